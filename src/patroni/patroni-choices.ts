import { SecretKeyRef } from '../core/secret-ref';

/**
 * The Patroni release the configuration is written for. Patroni ignores what it does not know
 * (a `synchronous_mode: quorum` is read as "off" by 3.0), so settings that need a later release
 * are refused for an earlier one.
 */
export class PatroniVersion {
  /** Patroni 3.0 (3.0.2 runs in the default Spilo image and in the contract tests). */
  public static readonly V3_0 = new PatroniVersion(3, 0);
  /**
   * Patroni 4.0: quorum-based synchronous replication, the `failover_priority` tag, and the
   * leader's role label `primary` instead of `master`.
   */
  public static readonly V4_0 = new PatroniVersion(4, 0);

  private constructor(
    /** Major release. */
    public readonly major: number,
    /** Minor release. */
    public readonly minor: number,
  ) {}

  /** True when this release is `major.minor` or later. */
  public atLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  /** The value of the `role` label Patroni puts on the leader's pod. */
  public get leaderRoleLabel(): string {
    return this.atLeast(4, 0) ? 'primary' : 'master';
  }
}

/**
 * Whether a commit waits for a standby (`synchronous_mode`).
 * @see https://patroni.readthedocs.io/en/latest/replication_modes.html
 */
export class SynchronousMode {
  /** Asynchronous replication: a failover may lose up to `maximumLagOnFailover` of commits. */
  public static readonly OFF = new SynchronousMode('off');
  /**
   * One (or `synchronousNodeCount`) standby confirms every commit, and only such a standby may
   * be promoted: an acknowledged commit survives the loss of the primary.
   */
  public static readonly ON = new SynchronousMode('on');
  /** Like `ON`, but writes stop rather than continue unprotected when no standby is left. */
  public static readonly STRICT = new SynchronousMode('strict');
  /**
   * Quorum commit (`ANY n (...)`) with quorum-aware promotion. Needs Patroni 4.0
   * (`PatroniVersion.V4_0`).
   */
  public static readonly QUORUM = new SynchronousMode('quorum');

  private constructor(
    /** `off`, `on`, `strict` or `quorum`. */
    public readonly mode: string,
  ) {}
}

/**
 * What Patroni does with a hardware or softdog watchdog, which resets the node if Patroni hangs
 * while it holds the leader lock.
 * @see https://patroni.readthedocs.io/en/latest/watchdog.html
 */
export class WatchdogMode {
  /** No watchdog (pods under Pod Security "restricted" cannot open `/dev/watchdog`). */
  public static readonly OFF = new WatchdogMode('off');
  /** Use the watchdog when the device exists. */
  public static readonly AUTOMATIC = new WatchdogMode('automatic');
  /** Refuse to become leader without a working watchdog. */
  public static readonly REQUIRED = new WatchdogMode('required');

  private constructor(
    /** The value of `watchdog.mode`. */
    public readonly mode: string,
  ) {}
}

/** TLS towards etcd. Files come from Secrets, mounted by the construct. */
export interface EtcdTls {
  /** The CA that signs etcd's server certificate. */
  readonly ca: SecretKeyRef;
  /**
   * Client certificate, when etcd checks clients.
   * @default - no client certificate
   */
  readonly certificate?: SecretKeyRef;
  /**
   * Its private key (with `certificate`).
   * @default - no client certificate
   */
  readonly privateKey?: SecretKeyRef;
}

/** An etcd v3 cluster as Patroni's DCS. */
export interface Etcd3DcsOptions {
  /** Members as `host:port`, e.g. `["etcd-0.etcd:2379", "etcd-1.etcd:2379"]`. */
  readonly hosts: string[];
  /**
   * TLS; the protocol is `https` when given.
   * @default - plain http
   */
  readonly tls?: EtcdTls;
  /**
   * The hosts are proxies or a load-balanced Service (e.g. `etcd-client:2379`), not members:
   * Patroni then talks to them only (`use_proxies`) instead of discovering the members' own
   * addresses from the cluster, which a pod may not reach.
   * @default false
   */
  readonly useProxies?: boolean;
}

/** Kubernetes objects as Patroni's DCS. */
export interface KubernetesDcsOptions {
  /**
   * Keep the leader lock in Endpoints (`use_endpoints: true`): the lock and the primary
   * Service's address change in one update, so the Service can only point at the leader. With
   * `false`, ConfigMaps hold the state and the primary Service selects the leader's role label.
   * @default true
   */
  readonly useEndpoints?: boolean;
}

/**
 * Where Patroni keeps the leader lock and the cluster state.
 * @see https://patroni.readthedocs.io/en/latest/yaml_configuration.html
 */
export class PatroniDcs {
  /** The Kubernetes API of the cluster the pods run in (no etcd to run). */
  public static kubernetes(options: KubernetesDcsOptions = {}): PatroniDcs {
    return new PatroniDcs('kubernetes', options.useEndpoints ?? true, [], false);
  }

  /** An etcd v3 cluster (etcd 3.4 or later). */
  public static etcd3(options: Etcd3DcsOptions): PatroniDcs {
    return new PatroniDcs('etcd3', false, [...(options.hosts ?? [])], options.useProxies ?? false, options.tls);
  }

  private constructor(
    /** `kubernetes` or `etcd3`: the section name in patroni.yml. */
    public readonly kind: string,
    /** With the Kubernetes DCS: Endpoints (true) or ConfigMaps (false). */
    public readonly useEndpoints: boolean,
    /** With etcd3: the members. */
    public readonly hosts: string[],
    /** With etcd3: the hosts are proxies (`use_proxies`). */
    public readonly useProxies: boolean,
    /** With etcd3: TLS. */
    public readonly tls?: EtcdTls,
  ) {}
}

/** Options of a pgBackRest replica creation method. */
export interface PgBackRestReplicaOptions {
  /** The pgBackRest stanza. */
  readonly stanza: string;
  /**
   * The pgBackRest config file.
   * @default - pgBackRest's own default (/etc/pgbackrest/pgbackrest.conf)
   */
  readonly configFile?: string;
}

/**
 * How a new member gets its data (`create_replica_methods`), tried in the order given.
 * @see https://patroni.readthedocs.io/en/latest/replica_bootstrap.html
 */
export class ReplicaCreationMethod {
  /** `pg_basebackup` from the leader (or a replica), with a fast checkpoint. */
  public static readonly BASEBACKUP = new ReplicaCreationMethod('basebackup', undefined);

  /**
   * Restore the latest pgBackRest backup (`--delta restore`), then stream from the leader: a new
   * member does not load the primary. Needs pgBackRest in the Patroni container.
   */
  public static pgbackrest(options: PgBackRestReplicaOptions): ReplicaCreationMethod {
    return new ReplicaCreationMethod('pgbackrest', options);
  }

  private constructor(
    /** The method's name in `create_replica_methods`. */
    public readonly name: string,
    /** With pgBackRest: its options. */
    public readonly pgbackrestOptions?: PgBackRestReplicaOptions,
  ) {}
}
