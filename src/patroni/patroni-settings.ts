import { Duration, Size } from 'cdk8s';
import { PatroniDcs, PatroniVersion, ReplicaCreationMethod, SynchronousMode, WatchdogMode } from './patroni-choices';
import { PostgresSetting } from '../core/postgres-config';

/**
 * Scripts Patroni runs on member events, with the action, role and scope as arguments.
 * Each is an absolute path inside the Patroni container.
 * @see https://patroni.readthedocs.io/en/latest/yaml_configuration.html#postgresql
 */
export interface PatroniCallbacks {
  /**
   * `on_start`.
   * @default - none
   */
  readonly onStart?: string;
  /**
   * `on_stop`.
   * @default - none
   */
  readonly onStop?: string;
  /**
   * `on_restart`.
   * @default - none
   */
  readonly onRestart?: string;
  /**
   * `on_reload`.
   * @default - none
   */
  readonly onReload?: string;
  /**
   * `on_role_change`: e.g. fence or re-point a virtual IP.
   * @default - none
   */
  readonly onRoleChange?: string;
}

/**
 * Member tags (`tags`). In a StatefulSet every member shares them.
 * @see https://patroni.readthedocs.io/en/latest/yaml_configuration.html#tags
 */
export interface PatroniTags {
  /**
   * `nofailover`: never promote these members.
   * @default false
   */
  readonly noFailover?: boolean;
  /**
   * `noloadbalance`: `/replica` answers 503, so the replica Service skips them.
   * @default false
   */
  readonly noLoadBalance?: boolean;
  /**
   * `nosync`: never choose these members as synchronous standby.
   * @default false
   */
  readonly noSync?: boolean;
  /**
   * `failover_priority` (higher wins among equally caught-up members; 0 never promotes).
   * Needs `PatroniVersion.V4_0`.
   * @default - Patroni's default (1)
   */
  readonly failoverPriority?: number;
}

/**
 * The database users Patroni itself connects as. Their passwords are never in the file: the
 * construct delivers them as `PATRONI_SUPERUSER_PASSWORD`, `PATRONI_REPLICATION_PASSWORD` and
 * `PATRONI_REWIND_PASSWORD` from Secrets.
 */
export interface PatroniUsers {
  /**
   * Superuser name.
   * @default "postgres"
   */
  readonly superuser?: string;
  /**
   * Replication user name.
   * @default "replicator"
   */
  readonly replication?: string;
  /**
   * pg_rewind user name (created by Patroni at bootstrap with only the functions pg_rewind needs).
   * @default "rewind_user"
   */
  readonly rewind?: string;
}

/**
 * Patroni's settings in its own vocabulary (`patroni.yml`). The member name and the addresses
 * other members use come from the pod (environment), not from the file; passwords from Secrets.
 * @see https://patroni.readthedocs.io/en/latest/yaml_configuration.html
 */
export interface PatroniSettings {
  /**
   * The cluster name (`scope`): every member of one cluster has the same. Also the name of the
   * leader Endpoints (and so of the primary Service) with the Kubernetes DCS. A DNS label.
   */
  readonly scope: string;
  /**
   * Where the leader lock lives.
   * @default PatroniDcs.kubernetes() (Endpoints)
   */
  readonly dcs?: PatroniDcs;
  /**
   * The Patroni release of the image.
   * @default PatroniVersion.V3_0
   */
  readonly version?: PatroniVersion;
  /**
   * `ttl`: how long the leader lock lasts without renewal; a failover starts at most this long
   * after the leader dies. Whole seconds, at least 20.
   * @default Duration.seconds(30)
   */
  readonly ttl?: Duration;
  /**
   * `loop_wait`: the pause between two runs of Patroni's HA loop. Whole seconds.
   * @default Duration.seconds(10)
   */
  readonly loopWait?: Duration;
  /**
   * `retry_timeout`: how long DCS and PostgreSQL operations are retried before the leader
   * demotes itself. Whole seconds; `loopWait + 2 × retryTimeout` must not exceed `ttl`.
   * @default Duration.seconds(10)
   */
  readonly retryTimeout?: Duration;
  /**
   * `maximum_lag_on_failover`: a replica further behind may not be promoted.
   * @default Size.mebibytes(1)
   */
  readonly maximumLagOnFailover?: Size;
  /**
   * Synchronous replication.
   * @default SynchronousMode.OFF
   */
  readonly synchronousMode?: SynchronousMode;
  /**
   * `synchronous_node_count`: standbys that confirm each commit (with `ON`, `STRICT`, `QUORUM`).
   * @default 1
   */
  readonly synchronousNodeCount?: number;
  /**
   * `failsafe_mode`: when the DCS is unreachable, the leader keeps its role as long as every
   * other member still answers it over the REST API, instead of demoting itself. It avoids a
   * full outage when the Kubernetes API or etcd is down, at the price of relying on the member
   * list being complete: a member that is isolated from both DCS and leader cannot be counted.
   * @default false
   */
  readonly failsafeMode?: boolean;
  /**
   * `use_pg_rewind`: an old leader rejoins as a replica by rewinding instead of a full copy.
   * Needs data checksums (`dataChecksums`) or `wal_log_hints`; the file always states one.
   * @default true
   */
  readonly usePgRewind?: boolean;
  /**
   * `use_slots`: a replication slot per member, so the primary keeps the WAL a replica needs.
   * @default true
   */
  readonly useSlots?: boolean;
  /**
   * `initdb --data-checksums` at bootstrap (detects storage corruption; enough for pg_rewind).
   * @default true
   */
  readonly dataChecksums?: boolean;
  /**
   * PostgreSQL parameters for every member (`bootstrap.dcs.postgresql.parameters`). Parameters
   * Patroni manages itself (`listen_addresses`, `port`, `hot_standby`, `wal_log_hints`,
   * `synchronous_standby_names`, ...) are refused, as are values Patroni would silently replace.
   * @default - Patroni's defaults
   */
  readonly postgresSettings?: PostgresSetting[];
  /**
   * `pg_hba.conf` lines, in order.
   * @default - local and remote connections with scram-sha-256, replication for the replication user only
   */
  readonly pgHba?: string[];
  /**
   * Users Patroni connects as.
   * @default - postgres, replicator and rewind_user
   */
  readonly users?: PatroniUsers;
  /**
   * How new members get their data, tried in order.
   * @default [ReplicaCreationMethod.BASEBACKUP]
   */
  readonly replicaCreationMethods?: ReplicaCreationMethod[];
  /**
   * Event scripts.
   * @default - none
   */
  readonly callbacks?: PatroniCallbacks;
  /**
   * Watchdog use.
   * @default WatchdogMode.OFF
   */
  readonly watchdog?: WatchdogMode;
  /**
   * Member tags.
   * @default - none
   */
  readonly tags?: PatroniTags;
}
