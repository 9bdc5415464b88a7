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
import { PostgresSetting } from '../core/postgres-config';
import { checkAbsolutePath, checkInteger } from '../core/prop-checks';
import { SecretRotation } from '../core/secret-rotation';
import { RestrictedSecurity } from '../core/security';
import { sidecarContainerProps } from '../core/sidecar-container';
import { addSynthValidation } from '../core/synth-scope';
import { checkUniqueNames } from '../core/unique-names';

/** Props of `PgBackRestServerSidecar`. */
export interface PgBackRestServerSidecarProps {
  /** The database workload (a StatefulSet, or the pods of a Patroni cluster). */
  readonly workload: kplus.Workload;
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
   * is mounted in both containers. `PgBackRestBackups.socketDirectory` must name the same one.
   * @default "/var/run/postgresql" (the official postgres and Spilo images)
   */
  readonly socketDirectory?: string;
  /** @default 5432 */
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
  /** @default ImageCatalog.PGBACKREST */
  readonly image?: ContainerImage;
  /** @default 8432 */
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
 * sidecar; the database container itself needs pgBackRest for WAL archiving, so call
 * `configureDatabaseContainer()` on it and put `postgresSettings()` into postgresql.conf (or
 * Patroni's `postgresql.parameters`).
 */
export class PgBackRestServerSidecar extends Construct {
  public readonly container: kplus.Container;
  public readonly configMap: kplus.ConfigMap;
  public readonly port: number;
  /** PostgreSQL's socket directory, shared by the database container and the sidecar. */
  public readonly socketDirectory: string;
  /** The volume that shares it. */
  public readonly socketVolume: kplus.Volume;
  private readonly props: PgBackRestServerSidecarProps;

  constructor(scope: Construct, id: string, props: PgBackRestServerSidecarProps) {
    super(scope, id);
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
        port: props.postgresPort ?? 5432,
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
  }

  /**
   * Gives the database container pgBackRest's config and secrets for `archive_command`, and
   * mounts the socket volume at `socketDirectory` so the sidecar reaches PostgreSQL's socket.
   */
  public configureDatabaseContainer(container: kplus.Container): void {
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
    const shares = this.props.workload.containers.some((c) => c !== this.container
      && c.mounts.some((m) => m.path === this.socketDirectory && m.volume === this.socketVolume));
    if (shares) return [];
    return [`socketDirectory: no database container mounts the socket volume at ${this.socketDirectory}; `
      + 'pgBackRest reaches PostgreSQL only through its unix socket: call configureDatabaseContainer(databaseContainer)'];
  }
}
