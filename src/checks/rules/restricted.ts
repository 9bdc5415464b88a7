import { everyContainer } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

/** What keeps a container from Pod Security Standards "restricted". */
export function restrictedGaps(container: any, podSpec: any): string[] {
  const sc = container.securityContext ?? {};
  const pod = podSpec.securityContext ?? {};
  const gaps: string[] = [];
  if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) gaps.push('runAsNonRoot is not true');
  if ((sc.runAsUser ?? pod.runAsUser) === 0) gaps.push('runAsUser is 0');
  if (sc.allowPrivilegeEscalation !== false) gaps.push('allowPrivilegeEscalation is not false');
  if (sc.privileged === true) gaps.push('privileged');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) gaps.push('capabilities do not drop ALL');
  if ((sc.capabilities?.add ?? []).some((c: string) => c !== 'NET_BIND_SERVICE')) gaps.push('capabilities add more than NET_BIND_SERVICE');
  if (!['RuntimeDefault', 'Localhost'].includes((sc.seccompProfile ?? pod.seccompProfile)?.type)) gaps.push('seccompProfile is not RuntimeDefault');
  return gaps;
}

export const POD_NOT_RESTRICTED: Rule = {
  id: 'PGR-POD-003',
  level: RuleLevel.ERROR,
  name: 'A container does not meet Pod Security Standards "restricted"',
  explanation: 'A namespace enforcing "restricted" refuses the pod at apply time; without it, a compromised tool container (a backup job holding repository keys) gets root and the node\'s capabilities.',
  fix: 'Use RestrictedSecurity.container() / .pod(): runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, seccomp RuntimeDefault.',
  check: (app) => {
    const found: RawFinding[] = [];
    for (const { object, container, podSpec } of everyContainer(app)) {
      const host = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => podSpec[k]);
      const gaps = [...restrictedGaps(container, podSpec), ...host];
      if (gaps.length) found.push({ object, message: `container ${container.name}: ${gaps.join(', ')}` });
    }
    return found;
  },
};
