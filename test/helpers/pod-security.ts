/**
 * Asserts the Pod Security Standards "restricted" rules for the named containers of a pod spec
 * (all when none are named): non-root, no privilege escalation, all capabilities dropped, a
 * RuntimeDefault or Localhost seccomp profile, nothing privileged, no host namespaces or paths.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function expectRestricted(podSpec: any, containerNames?: string[]): void {
  const pod = podSpec.securityContext ?? {};
  expect(podSpec.hostNetwork ?? false).toBe(false);
  expect(podSpec.hostPID ?? false).toBe(false);
  expect(podSpec.hostIPC ?? false).toBe(false);
  for (const volume of podSpec.volumes ?? []) expect(volume.hostPath).toBeUndefined();
  const containers = [...(podSpec.initContainers ?? []), ...podSpec.containers]
    .filter((c: any) => !containerNames || containerNames.includes(c.name));
  expect(containers.length).toBeGreaterThan(0);
  for (const container of containers) {
    const sc = container.securityContext ?? {};
    const where = `container ${container.name}`;
    expect([where, sc.runAsNonRoot ?? pod.runAsNonRoot]).toEqual([where, true]);
    expect([where, sc.runAsUser ?? pod.runAsUser ?? 1]).not.toEqual([where, 0]);
    expect([where, sc.allowPrivilegeEscalation]).toEqual([where, false]);
    expect([where, sc.privileged ?? false]).toEqual([where, false]);
    expect([where, sc.capabilities?.drop]).toEqual([where, expect.arrayContaining(['ALL'])]);
    expect([where, (sc.capabilities?.add ?? []).filter((c: string) => c !== 'NET_BIND_SERVICE')]).toEqual([where, []]);
    expect([where, ['RuntimeDefault', 'Localhost']]).toEqual([where, expect.arrayContaining([(sc.seccompProfile ?? pod.seccompProfile)?.type])]);
  }
}
