import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkPgBackRestSettings, checkPgPaths, renderPgBackRestConfig } from './pgbackrest-config';
import { mountTls, PGBACKREST_PATHS, podPlacement, wirePgBackRest } from './pgbackrest-pod';
import { PgBackRestSettings } from './pgbackrest-settings';
import { PgBackRestTls } from './pgbackrest-tls';
import { RecoverySetting } from './recovery-target';
import { WalArchiving } from './wal-archiving';
import { checkAbsolutePath, checkInteger } from '../core/checks';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { restrictedContainerSecurity } from '../core/security';

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
   * The volume holding PostgreSQL's unix socket, shared with the database container.
   * @default - the sidecar connects over TCP to localhost
   */
  readonly socketVolume?: kplus.Volume;
  /**
   * The socket directory (where `socketVolume` is mounted in both containers).
   * @default "/var/run/postgresql"
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
    const user = props.runAsUser ?? 999;
    this.props = props;
    this.port = port;
    this.configMap = new kplus.ConfigMap(this, 'Config');
    this.container = props.workload.addContainer({
      name: 'pgbackrest-server',
      image: (props.image ?? ImageCatalog.PGBACKREST).reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['pgbackrest', `--config=${PGBACKREST_PATHS.configFile}`, 'server'],
      ports: [{ number: port, name: 'pgbackrest' }],
      readiness: kplus.Probe.fromTcpSocket({ port, periodSeconds: Duration.seconds(10) }),
      liveness: kplus.Probe.fromTcpSocket({ port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(20) }),
      resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(512) } },
      securityContext: restrictedContainerSecurity(user),
    });
    this.container.mount(props.dataVolumeMountPath, props.dataVolume);
    if (props.socketVolume) this.container.mount(props.socketDirectory ?? '/var/run/postgresql', props.socketVolume);
    wirePgBackRest(this, this.container, props.settings, this.configMap, props.repositoryVolume);
    const tls = mountTls(this, this.container, props.tls);
    const text = renderPgBackRestConfig(this, props.settings, {
      ...podPlacement(props.settings),
      pg: {
        path: props.dataDirectory,
        port: props.postgresPort ?? 5432,
        socketPath: props.socketVolume ? props.socketDirectory ?? '/var/run/postgresql' : undefined,
      },
      tlsServer: { address: '*', port, ...tls, clientCommonNames: props.clientCommonNames ?? ['pgbackrest-backup'] },
    });
    this.configMap.addData('pgbackrest.conf', text);
    annotateConfigHash(props.workload.podMetadata, () => [text]);
  }

  /** Gives the database container pgBackRest's config and secrets for `archive_command`. */
  public configureDatabaseContainer(container: kplus.Container): void {
    wirePgBackRest(this, container, this.props.settings, this.configMap, this.props.repositoryVolume);
  }

  /** The WAL archiving settings for postgresql.conf, pointing at this config. */
  public postgresSettings(): RecoverySetting[] {
    return WalArchiving.postgresSettings({ stanza: this.props.settings.stanza, configFile: PGBACKREST_PATHS.configFile });
  }
}
