import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkPgBackRestSettings, checkPgPaths, renderPgBackRestConfig } from './pgbackrest-config';
import { mountTls, PGBACKREST_CLIENT_LABEL, PGBACKREST_PATHS, podPlacement, wirePgBackRest } from './pgbackrest-pod';
import { PgBackRestSettings } from './pgbackrest-settings';
import { PgBackRestTls } from './pgbackrest-tls';
import { WalArchiving } from './wal-archiving';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { ingressPolicy } from '../core/ingress-policy';
import { NetworkPeer } from '../core/network-policy';
import { checkPlusMajor, isPlusKind } from '../core/plus-objects';
import { PostgresSetting } from '../core/postgres-config';
import { checkAbsolutePath, checkInteger, checkText } from '../core/prop-checks';
import { SecretRotation } from '../core/secret-rotation';
import { RestrictedSecurity } from '../core/security';
import { sidecarContainerProps } from '../core/sidecar-container';
import { addSynthValidation } from '../core/synth-scope';
import { checkUniqueNames } from '../core/unique-names';

/**
 * What backup jobs need to know of the pgBackRest TLS server in a database pod: where to reach it
 * and where PostgreSQL's data and socket are inside that pod. `PgBackRestServerSidecar` is one;
 * `PgBackRestServerSidecar.fromServerAttributes()` describes a server set up elsewhere.
 */
export interface IPgBackRestServer {
  /** PGDATA as the database container sees it (`pg1-path`). */
  readonly dataDirectory: string;
  /** PostgreSQL's socket directory in the database pod (`pg1-socket-path`). */
  readonly socketDirectory: string;
  /** PostgreSQL's port in the database pod (`pg1-port`). */
  readonly postgresPort: number;
  /** The port of the pgBackRest TLS server (`pg1-host-port`). */
  readonly port: number;
  /**
   * DNS name of the database pod the server runs in, e.g. `app-db-0.app-db`; undefined when the
   * server cannot know it (then backups must be given `databaseHost`).
   * @default - unknown
   */
  readonly host?: string;
}

/** A pgBackRest TLS server set up outside this app, for `PgBackRestServerSidecar.fromServerAttributes`. */
export interface PgBackRestServerAttributes {
  /** PGDATA as the database container sees it. */
  readonly dataDirectory: string;
  /**
   * PostgreSQL's socket directory in the database pod.
   * @default "/var/run/postgresql"
   */
  readonly socketDirectory?: string;
  /**
   * PostgreSQL's port.
   * @default 5432
   */
  readonly postgresPort?: number;
  /**
   * The pgBackRest TLS server's port.
   * @default 8432
   */
  readonly port?: number;
  /** DNS name of the database pod running the server, e.g. `app-db-0.app-db`. */
  readonly host: string;
}

/** Props of `PgBackRestServerSidecar`. */
export interface PgBackRestServerSidecarProps {
  /** The database workload (a StatefulSet, or the pods of a Patroni cluster). */
  readonly workload: kplus.Workload;
  /**
   * The container of `workload` that runs PostgreSQL. It gets pgBackRest's config and secrets
   * (its `archive_command` runs pgBackRest) and the socket volume at `socketDirectory`, so the
   * sidecar reaches PostgreSQL's unix socket.
   * @default - none: call `configureDatabaseContainer()` once the container exists; until a
   * container of the workload mounts the socket volume, the synth fails
   */
  readonly databaseContainer?: kplus.Container;
  /**
   * DNS name of the pod whose server backup jobs reach (the primary, or a standby with
   * `backupStandby`), given to `PgBackRestBackups` through `host`.
   * @default - for a StatefulSet, its first pod through the StatefulSet's Service
   * (`<name>-0.<service>`); otherwise none, and `PgBackRestBackups` needs `databaseHost`
   */
  readonly host?: string;
  /** pgBackRest's settings: the stanza, the repositories, compression and parallelism. */
  readonly settings: PgBackRestSettings;
  /** PGDATA as the database container sees it, e.g. `/var/lib/postgresql/data/pgdata`. */
  readonly dataDirectory: string;
  /** The volume that holds PGDATA. */
  readonly dataVolume: kplus.Volume;
  /** Where the database container mounts `dataVolume`; the sidecar mounts it at the same path. */
  readonly dataVolumeMountPath: string;
  /**
   * The volume holding PostgreSQL's unix socket. pgBackRest reaches a local PostgreSQL only
   * through that socket (`pg1-socket-path`), never over TCP, so the sidecar must see the
   * database's socket directory. Give a volume here when the database container already mounts
   * one at `socketDirectory`.
   * @default - an emptyDir the construct creates; `configureDatabaseContainer()` mounts it in the
   * database container and the sidecar mounts it too, both at `socketDirectory`
   */
  readonly socketVolume?: kplus.Volume;
  /**
   * PostgreSQL's socket directory (one of its `unix_socket_directories`), where the socket volume
   * is mounted in both containers. `PgBackRestBackups` reads it from this server.
   * @default "/var/run/postgresql" (the official postgres and Spilo images)
   */
  readonly socketDirectory?: string;
  /**
   * PostgreSQL's port.
   * @default 5432
   */
  readonly postgresPort?: number;
  /** The server's certificate and key, and the CA that signs backup clients' certificates. */
  readonly tls: PgBackRestTls;
  /**
   * Common names of client certificates allowed to use the stanza.
   * @default ["pgbackrest-backup"]
   */
  readonly clientCommonNames?: string[];
  /**
   * The posix repository volume (ReadWriteMany), when a repository is posix.
   * @default - none
   */
  readonly repositoryVolume?: kplus.Volume;
  /**
   * Put a NetworkPolicy on the database pods: the pgBackRest port admits only backup jobs (pods
   * labelled `pg-reliability.cdk8s.io/pgbackrest-client: "true"`, as `PgBackRestBackups` labels
   * them), and every other port the pod's containers declare admits `databaseClients`. A policy
   * selects whole pods, so undeclared ports are closed. If you manage the database pods'
   * NetworkPolicies yourself, turn this off and allow the pgBackRest port from those pods.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Who may reach the database pods' other declared ports (PostgreSQL, metrics) under that policy.
   * @default - anyone, as without a policy
   */
  readonly databaseClients?: NetworkPeer[];
  /**
   * Bump this whenever you rotate a Secret the pod reads (repository keys, cipher passphrase, TLS):
   * the pod template changes and the database pods roll onto the new values.
   * @default - no revision: rotating a Secret does not roll the pods (see `SecretRotation`)
   */
  readonly secretRevision?: string;
  /**
   * The sidecar's image, with the pgBackRest version of the database image.
   * @default ImageCatalog.PGBACKREST
   */
  readonly image?: ContainerImage;
  /**
   * The port of the pgBackRest TLS server.
   * @default 8432
   */
  readonly port?: number;
  /**
   * Numeric user of the sidecar; must be able to read PGDATA (the database's user).
   * @default 999
   */
  readonly runAsUser?: number;
}

/**
 * Runs `pgbackrest server` beside PostgreSQL, so backup jobs in other pods reach the data
 * directory through pgBackRest's TLS protocol (`pg1-host-type=tls`) with client certificates,
 * with no SSH and no shared PGDATA volume.
 *
 * Plugging it in: a plain StatefulSet or Patroni pods mount the same PGDATA volume into the
 * sidecar; the database container itself needs pgBackRest for WAL archiving and shares its
 * socket directory with the sidecar: give it as `databaseContainer` (or call
 * `configureDatabaseContainer()` on it) and put `postgresSettings()` into postgresql.conf
 * (`PostgresConfig`, or Patroni's `postgresql.parameters`). Give the sidecar to
 * `PgBackRestBackups` as its `server`.
 */
export class PgBackRestServerSidecar extends Construct implements IPgBackRestServer {
  /** Describes a pgBackRest TLS server set up elsewhere, for `PgBackRestBackups.server`. */
  public static fromServerAttributes(attributes: PgBackRestServerAttributes): IPgBackRestServer {
    return {
      dataDirectory: attributes.dataDirectory,
      socketDirectory: attributes.socketDirectory ?? PGBACKREST_PATHS.postgresSocket,
      postgresPort: attributes.postgresPort ?? 5432,
      port: attributes.port ?? 8432,
      host: attributes.host,
    };
  }

  /** The `pgbackrest-server` container added to the workload. */
  public readonly container: kplus.Container;
  /** The ConfigMap holding the server's `pgbackrest.conf`. */
  public readonly configMap: kplus.ConfigMap;
  /** The port of the pgBackRest TLS server. */
  public readonly port: number;
  /** PostgreSQL's socket directory, shared by the database container and the sidecar. */
  public readonly socketDirectory: string;
  /** The volume that shares it. */
  public readonly socketVolume: kplus.Volume;
  /** PGDATA as the database container sees it. */
  public readonly dataDirectory: string;
  /** PostgreSQL's port. */
  public readonly postgresPort: number;
  /** DNS name of the pod backup jobs reach; undefined when neither given nor derivable from a StatefulSet. */
  public readonly host?: string;
  private readonly props: PgBackRestServerSidecarProps;

  constructor(scope: Construct, id: string, props: PgBackRestServerSidecarProps) {
    super(scope, id);
    const { workload, databaseContainer, dataVolume, socketVolume, repositoryVolume } = props;
    const plusObjects = { workload, databaseContainer, dataVolume, socketVolume, repositoryVolume };
    for (const [prop, value] of Object.entries(plusObjects)) checkPlusMajor(this, prop, value);
    checkPgBackRestSettings(this, props.settings);
    const port = props.port ?? 8432;
    checkInteger(this, 'port', port, 1, 65535);
    checkPgPaths(this, props.dataDirectory, props.socketDirectory, props.postgresPort);
    checkAbsolutePath(this, 'dataVolumeMountPath', props.dataVolumeMountPath);
    if (props.dataDirectory !== props.dataVolumeMountPath && !props.dataDirectory.startsWith(`${props.dataVolumeMountPath}/`)) {
      // The sidecar sees only what the volume holds: PGDATA elsewhere is invisible to it.
      throw propError(this, 'dataDirectory', props.dataDirectory, `a directory on dataVolume, i.e. under dataVolumeMountPath "${props.dataVolumeMountPath}"`);
    }
    // Two volumes at one mountPath make an invalid pod: keep the socket and data clear of pgBackRest's own mounts.
    const taken = [PGBACKREST_PATHS.configDir, PGBACKREST_PATHS.tlsDir, PGBACKREST_PATHS.gcsDir, PGBACKREST_PATHS.repository, PGBACKREST_PATHS.spool, '/tmp'];
    const socketDirectory = props.socketDirectory ?? PGBACKREST_PATHS.postgresSocket;
    for (const [prop, value] of [['socketDirectory', socketDirectory], ['dataVolumeMountPath', props.dataVolumeMountPath]] as const) {
      if (taken.includes(value)) throw propError(this, prop, value, `a directory other than those pgBackRest mounts (${taken.join(', ')})`);
    }
    if (socketDirectory === props.dataVolumeMountPath) throw propError(this, 'socketDirectory', socketDirectory, 'a directory other than dataVolumeMountPath');
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;
    this.props = props;
    this.port = port;
    this.socketDirectory = socketDirectory;
    this.dataDirectory = props.dataDirectory;
    this.postgresPort = props.postgresPort ?? 5432;
    if (props.host !== undefined) checkText(this, 'host', props.host);
    this.host = props.host ?? statefulSetPodHost(props.workload);
    this.socketVolume = props.socketVolume ?? kplus.Volume.fromEmptyDir(this, 'Socket', 'postgres-socket');
    this.configMap = new kplus.ConfigMap(this, 'Config');
    this.container = props.workload.addContainer(sidecarContainerProps({
      name: 'pgbackrest-server',
      image: props.image ?? ImageCatalog.PGBACKREST,
      user,
      command: ['pgbackrest', `--config=${PGBACKREST_PATHS.configFile}`, 'server'],
      port,
      portName: 'pgbackrest',
      resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(512) } },
    }));
    this.container.mount(props.dataVolumeMountPath, props.dataVolume);
    this.container.mount(this.socketDirectory, this.socketVolume);
    wirePgBackRest(this, this.container, props.settings, this.configMap, props.repositoryVolume);
    const tls = mountTls(this, this.container, props.tls);
    const text = renderPgBackRestConfig(this, props.settings, {
      ...podPlacement(props.settings),
      pg: {
        path: props.dataDirectory,
        port: this.postgresPort,
        socketPath: this.socketDirectory,
      },
      tlsServer: { address: '*', port, ...tls, clientCommonNames: props.clientCommonNames ?? ['pgbackrest-backup'] },
    });
    this.configMap.addData('pgbackrest.conf', text);
    checkUniqueNames(this);
    SecretRotation._fromProp(this, props.workload, props.secretRevision);
    if (props.networkPolicy ?? true) {
      // Read at synth: the pod's other containers may be added after this sidecar.
      const otherPorts = () => props.workload.containers.flatMap((c) => c.ports.map((p) => p.number)).filter((p) => p !== port);
      ingressPolicy(this, 'NetworkPolicy', props.workload.matchLabels, [
        { ports: () => [port], from: [NetworkPeer.pods({ [PGBACKREST_CLIENT_LABEL]: 'true' })] },
        { ports: otherPorts, from: props.databaseClients },
      ]);
    }
    annotateConfigHash(props.workload.podMetadata, () => [text]);
    addSynthValidation(this, () => this.socketShared());
    if (props.databaseContainer) this.configureDatabaseContainer(props.databaseContainer);
  }

  /**
   * Gives the database container pgBackRest's config and secrets for `archive_command`, and
   * mounts the socket volume at `socketDirectory` so the sidecar reaches PostgreSQL's socket.
   * The constructor does this for `databaseContainer`; call it for a container added later.
   */
  public configureDatabaseContainer(container: kplus.Container): void {
    checkPlusMajor(this, 'container', container);
    wirePgBackRest(this, container, this.props.settings, this.configMap, this.props.repositoryVolume);
    const existing = container.mounts.find((m) => m.path === this.socketDirectory);
    if (!existing) {
      container.mount(this.socketDirectory, this.socketVolume);
    } else if (existing.volume !== this.socketVolume) {
      throw propError(this, 'socketVolume', existing.volume.name,
        `the database container already mounts volume "${existing.volume.name}" at ${this.socketDirectory}: pass it as socketVolume so the sidecar shares it`);
    }
  }

  /** The WAL archiving settings for postgresql.conf, pointing at this config. */
  public postgresSettings(): PostgresSetting[] {
    return WalArchiving.postgresSettings({ stanza: this.props.settings.stanza, configFile: PGBACKREST_PATHS.configFile });
  }

  /**
   * The same settings as `postgres` command-line arguments (`-c name=value` pairs), for a database
   * container that starts `postgres` itself: append them to its args.
   */
  public postgresArgs(): string[] {
    return this.postgresSettings().flatMap((s) => ['-c', `${s.name}=${s.value}`]);
  }

  /** Without the database's socket directory the sidecar cannot connect at all: fail at synth, not at the first backup. */
  private socketShared(): string[] {
    const given = this.props.databaseContainer;
    if (given && !this.props.workload.containers.includes(given)) {
      return [`databaseContainer: container "${given.name ?? '(unnamed)'}" is not a container of workload; give the workload's PostgreSQL container`];
    }
    const shares = this.props.workload.containers.some((c) => c !== this.container
      && c.mounts.some((m) => m.path === this.socketDirectory && m.volume === this.socketVolume));
    if (shares) return [];
    return [`socketDirectory: no database container mounts the socket volume at ${this.socketDirectory}; `
      + 'pgBackRest reaches PostgreSQL only through its unix socket: give databaseContainer (or call configureDatabaseContainer(databaseContainer))'];
  }
}

/** `<name>-0.<service>`: the first pod of a StatefulSet through its governing Service. */
function statefulSetPodHost(workload: kplus.Workload): string | undefined {
  if (!isPlusKind(workload, 'StatefulSet')) return undefined;
  const sts = workload as kplus.StatefulSet;
  return `${sts.name}-0.${sts.service.name}`;
}
