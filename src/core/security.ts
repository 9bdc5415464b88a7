import * as kplus from 'cdk8s-plus-28';

/**
 * A container security context that meets Pod Security Standards "restricted": a fixed non-root
 * user, no privilege escalation, every capability dropped, the runtime's seccomp profile, and a
 * read-only root filesystem (programs write only to mounted volumes).
 */
export function restrictedContainerSecurity(user: number, group: number = user): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user,
    group,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}
