import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addPgBouncerConnection } from './pgbouncer-connection';
import { PgBouncerOptions } from './pgbouncer-options';
import { addPgBouncerToPod, PgBouncerInPod } from './pgbouncer-pod';
import { PgBouncerDatabase } from './pgbouncer-settings';
import { ConnectionEnvOptions } from '../core/connection-env';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { ingressPolicy } from '../core/ingress-policy';
import { assertServiceName } from '../core/naming';
import { NetworkPeer } from '../core/network-policy';
import { checkPlusMajor } from '../core/plus-objects';
import { checkInteger } from '../core/prop-checks';
import { SchemaValidation } from '../core/schema-validation';
import { SecretKeyRef } from '../core/secret-ref';
import { sidecarContainerProps } from '../core/sidecar-container';
import { checkUniqueNames } from '../core/unique-names';
import { PodMonitor } from '../imports/monitoring.coreos.com';

/** pgbouncer_exporter's default port. */
const EXPORTER_PORT = 9127;

/** The pgbouncer_exporter sidecar of a standalone PgBouncer. */
export interface PgBouncerExporterOptions {
  /** A user listed in `statsUsers`, whose password is in the auth file too. */
  readonly user: string;
  /** That user's password, from a Secret (expanded into the exporter's connection string; URL-safe). */
  readonly password: SecretKeyRef;
  /**
   * Exporter image.
   * @default ImageCatalog.PGBOUNCER_EXPORTER
   */
  readonly image?: ContainerImage;
  /**
   * Create a prometheus-operator PodMonitor for the exporter.
   * @default true
   */
  readonly podMonitor?: boolean;
}

/** Props of `PgBouncerDeployment`. */
export interface PgBouncerDeploymentProps extends PgBouncerOptions {
  /**
   * Name of the Service applications connect to (`<name>:6432`, or
   * `<name>.<namespace>.svc` from another namespace), and of the Deployment, the
   * PodDisruptionBudget and the PodMonitor; the ConfigMap is `<name>-config`. A DNS-1035 label:
   * at most 63 lower-case letters, digits and "-", starting with a letter.
   * @default - names cdk8s derives from the construct path (with a hash)
   */
  readonly name?: string;
  /**
   * PgBouncer pods. Two or more, so a node drain or a crash leaves one serving.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Refuse to schedule two replicas on one node (required anti-affinity) instead of only preferring not to.
   * @default false
   */
  readonly requireSeparateNodes?: boolean;
  /**
   * Pods a voluntary disruption (node drain, upgrade) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Run pgbouncer_exporter beside each PgBouncer.
   * @default - no exporter
   */
  readonly exporter?: PgBouncerExporterOptions;
  /**
   * Put a NetworkPolicy on the PgBouncer pods: the pooler port admits `clients` only, the
   * exporter's port `metricsScrapers` only, every other port is closed.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Who may connect to PgBouncer: the workloads it serves.
   * @default - every pod of the namespace (NetworkPeer.sameNamespace())
   */
  readonly clients?: NetworkPeer[];
  /**
   * Who may scrape pgbouncer_exporter.
   * @default [NetworkPeer.namespaceNamed('monitoring')]
   */
  readonly metricsScrapers?: NetworkPeer[];
}

/**
 * PgBouncer as its own service: a Deployment spread across nodes, a ClusterIP Service on the
 * PgBouncer port, a PodDisruptionBudget, and optionally pgbouncer_exporter with a PodMonitor.
 * Applications connect to `service.name:6432`.
 */
export class PgBouncerDeployment extends Construct {
  /** The PgBouncer pods. */
  public readonly deployment: kplus.Deployment;
  /** The Service applications connect to. */
  public readonly service: kplus.Service;
  /** The PgBouncer container. */
  public readonly container: kplus.Container;
  /** The ConfigMap holding pgbouncer.ini. */
  public readonly configMap: kplus.ConfigMap;
  /** The port PgBouncer listens on, on the Service and in the pods. */
  public readonly port: number;
  /** The PodMonitor, when the exporter runs with one. */
  public readonly podMonitor?: ApiObject;
  private readonly pooler: PgBouncerInPod;

  constructor(scope: Construct, id: string, props: PgBouncerDeploymentProps) {
    super(scope, id);
    if (props.name !== undefined) assertServiceName(this, 'name', props.name);
    const metadata = props.name === undefined ? undefined : { name: props.name };
    const replicas = props.replicas ?? 2;
    checkInteger(this, 'replicas', replicas, 1);
    const maxUnavailable = props.maxUnavailable ?? 1;
    checkInteger(this, 'maxUnavailable', maxUnavailable, 1, replicas);
    const user = props.runAsUser ?? 998;

    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata,
      replicas,
      // One PgBouncer pod going away at a time; a new one is ready before an old one stops.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      securityContext: { ensureNonRoot: true, user, group: user, fsGroup: user },
      automountServiceAccountToken: false,
    });
    this.deployment.scheduling.spread(props.requireSeparateNodes ? {} : { weight: 100 });
    this.pooler = addPgBouncerToPod(this, this.deployment, props, () => replicas, {
      name: 'pgbouncer',
      portName: 'pgbouncer',
      secretFileMode: 0o440,
      nativeSidecar: false,
      configMapName: props.name === undefined ? undefined : `${props.name}-config`,
    });
    this.container = this.pooler.container;
    this.configMap = this.pooler.configMap;
    this.port = this.pooler.port;

    this.service = this.deployment.exposeViaService({
      name: props.name,
      ports: [{ port: this.pooler.port, targetPort: this.pooler.port, name: 'pgbouncer' }],
      serviceType: kplus.ServiceType.CLUSTER_IP,
    });

    new ApiObject(this, 'Disruption', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable, selector: { matchLabels: this.deployment.matchLabels } },
    });

    if (props.exporter) this.podMonitor = this.addExporter(props.exporter, user, props.name);
    if (props.networkPolicy ?? true) {
      ingressPolicy(this, 'NetworkPolicy', this.deployment.matchLabels, [
        { ports: () => [this.pooler.port], from: props.clients ?? [NetworkPeer.sameNamespace()] },
        { ports: () => (props.exporter ? [EXPORTER_PORT] : []), from: props.metricsScrapers ?? [NetworkPeer.namespaceNamed('monitoring')] },
      ], props.name);
    }
    checkUniqueNames(this);
  }

  /** Adds a `[databases]` entry. */
  public addDatabase(database: PgBouncerDatabase): void {
    this.pooler.addDatabase(database);
  }

  /**
   * Gives an application container its connection settings through this pooler's Service:
   * `PGHOST` (the Service name), `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` (from the
   * Secret) and `DATABASE_URL` (or JDBC's URL with `urlStyle`), which refers to the password as
   * `$(PGPASSWORD)` for the kubelet to expand: the password never appears in the YAML. The
   * container must run in the pooler's namespace (the host is the bare Service name).
   * `database`, `user` and `password` are required; the database must be in the pooler's
   * `[databases]`. Wiring a second connection into one container needs its own variable names
   * (`variablePrefix` or `variables`). `target` and `pooled` do not apply to a PgBouncer and
   * are refused.
   */
  public addConnectionEnv(container: kplus.Container, options: ConnectionEnvOptions): void {
    addPgBouncerConnection(this, { host: this.service.name, port: this.port, settings: () => this.pooler.settings() }, container, options);
  }

  /** pgbouncer.ini as it will be synthesized. */
  public renderIni(): string {
    return this.pooler.renderIni();
  }

  private addExporter(options: PgBouncerExporterOptions, user: number, name: string | undefined): ApiObject | undefined {
    checkPlusMajor(this, 'exporter.password.secret', options.password.secret);
    const { statsUsers = [], adminUsers = [] } = this.pooler.settings();
    if (![...statsUsers, ...adminUsers].includes(options.user)) {
      throw propError(this, 'exporter.user', options.user, 'the exporter reads SHOW STATS/POOLS on the admin console: list the user in settings.statsUsers');
    }
    const exporter = this.deployment.addContainer(sidecarContainerProps({
      name: 'exporter',
      image: options.image ?? ImageCatalog.PGBOUNCER_EXPORTER,
      user,
      args: [
        // $(VAR) is expanded by the kubelet from the env below: the password stays in its Secret.
        `--pgBouncer.connectionString=postgres://${encodeURIComponent(options.user)}:$(PGBOUNCER_STATS_PASSWORD)@localhost:${this.pooler.port}/pgbouncer?sslmode=disable`,
        `--web.listen-address=:${EXPORTER_PORT}`,
      ],
      port: EXPORTER_PORT,
      portName: 'metrics',
      readiness: kplus.Probe.fromHttpGet('/metrics', { port: EXPORTER_PORT }),
      // A hung exporter is restarted. The probe checks the exporter's own listener, not /metrics:
      // a scrape queries PgBouncer, and PgBouncer being down must not restart the exporter.
      liveness: kplus.Probe.fromTcpSocket({
        port: EXPORTER_PORT, periodSeconds: Duration.seconds(30), failureThreshold: 3, timeoutSeconds: Duration.seconds(10),
      }),
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
    }));
    options.password.addToEnv(exporter, 'PGBOUNCER_STATS_PASSWORD');
    if (options.podMonitor === false) return undefined;
    const monitor = new PodMonitor(this, 'PodMonitor', {
      metadata: name === undefined ? {} : { name },
      spec: {
        selector: { matchLabels: this.deployment.matchLabels },
        podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }],
      },
    });
    SchemaValidation.addTo(monitor);
    return monitor;
  }
}
