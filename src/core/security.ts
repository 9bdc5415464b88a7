import * as kplus from 'cdk8s-plus-28';

/** Who a restricted container runs as. */
export interface RestrictedSecurityOptions {
  /**
   * The user id; never 0.
   * @default 999 (the postgres user of the official images)
   */
  readonly user?: number;
  /**
   * The primary group id.
   * @default - the user id
   */
  readonly group?: number;
}

/**
 * Security contexts that meet Pod Security Standards "restricted", as the library's own
 * containers use them: give your application containers the same.
 *
 * @example
 * web.addContainer({ image: 'app:1.2.3', securityContext: RestrictedSecurity.container({ user: 1000 }) });
 */
export class RestrictedSecurity {
  /**
   * The user and group id of the postgres user in the official images (Debian-based), the
   * library's default for the containers it adds.
   */
  public static readonly POSTGRES_USER = 999;

  /**
   * A container context: a fixed non-root user, no privilege escalation, every capability
   * dropped, the runtime's seccomp profile, and a read-only root filesystem (programs write only
   * to mounted volumes).
   */
  public static container(options: RestrictedSecurityOptions = {}): kplus.ContainerSecurityContextProps {
    const user = options.user ?? RestrictedSecurity.POSTGRES_USER;
    return {
      ensureNonRoot: true,
      user,
      group: options.group ?? user,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    };
  }

  /**
   * A pod context: non-root, the same user and group, and `fsGroup` so mounted volumes and
   * Secret files are group-readable by the containers.
   */
  public static pod(options: RestrictedSecurityOptions = {}): kplus.PodSecurityContextProps {
    const user = options.user ?? RestrictedSecurity.POSTGRES_USER;
    return { ensureNonRoot: true, user, group: options.group ?? user, fsGroup: options.group ?? user };
  }

  private constructor() {}
}
