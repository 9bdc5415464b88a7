import { createHash } from 'crypto';
import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CustomQuery } from './custom-query';
import { ExporterQueries } from './default-queries';
import { ExporterDatabases } from './exporter-databases';
import { EXPORTER_SSL_MODES, dataSourceUri, defaultSslMode, hostProblem } from './exporter-dsn';
import { checkQueries, renderQueriesYaml } from './queries-yaml';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { ingressPolicy } from '../core/ingress-policy';
import { assertDnsLabel, assertServiceName } from '../core/naming';
import { NetworkPeer } from '../core/network-policy';
import { checkPlusMajor } from '../core/plus-objects';
import { addPodMonitor } from '../core/pod-monitor';
import { checkInteger, checkText } from '../core/prop-checks';
import { SchemaValidation } from '../core/schema-validation';
import { SecretKeyRef } from '../core/secret-ref';
import { sidecarContainerProps } from '../core/sidecar-container';
import { oncePerSynth } from '../core/synth-scope';
import { checkUniqueNames } from '../core/unique-names';

/** The database postgres_exporter connects to. */
export interface ExporterConnection {
  /**
   * Server host: a DNS name, an IPv4 or an IPv6 address (no brackets). Anything else is refused,
   * so a host cannot smuggle URI parameters (`?sslmode=disable#`) into the connection.
   * @default "localhost" (the exporter as a sidecar of the database pod)
   */
  readonly host?: string;
  /**
   * Server port.
   * @default 5432
   */
  readonly port?: number;
  /**
   * The database the exporter connects to (and runs its server-wide queries in).
   * @default "postgres"
   */
  readonly database?: string;
  /** The monitoring user (ideally a member of `pg_monitor`). */
  readonly user: string;
  /** Its password, delivered as `DATA_SOURCE_PASS`. */
  readonly password: SecretKeyRef;
  /**
   * sslmode: `disable`, `require`, `verify-ca` or `verify-full`. postgres_exporter 0.11 connects
   * with lib/pq, which refuses libpq's `prefer` and `allow`.
   * @default - "disable" over loopback (localhost, 127.0.0.1, ::1: a sidecar), "require" otherwise
   * @see https://pkg.go.dev/github.com/lib/pq#hdr-Connection_String_Parameters
   */
  readonly sslMode?: string;
}

/** Props of `PostgresExporter`. */
export interface PostgresExporterProps {
  /** The database server the exporter connects to, and as whom. */
  readonly connection: ExporterConnection;
  /**
   * Value of the `cluster` label added to every scraped series (the alert catalog groups by it).
   */
  readonly clusterName: string;
  /**
   * Custom queries (`queries.yaml`).
   * @default ExporterQueries.defaults()
   */
  readonly queries?: CustomQuery[];
  /**
   * Where per-database queries (`primaryDatabaseOnly: false`, e.g. dead tuples per table) run:
   * the application's tables live in its own database, not in `postgres`.
   * @default ExporterDatabases.ALL
   */
  readonly databases?: ExporterDatabases;
  /**
   * Run as a sidecar of this database workload (scraped with a PodMonitor) instead of as its own
   * Deployment with a Service and a ServiceMonitor.
   * @default - its own Deployment
   */
  readonly sidecarOf?: kplus.Workload;
  /**
   * Name of the exporter's container; also names its volume and, when short enough, its port.
   * Give each exporter its own when several run in one pod (one per database server). As its
   * own Deployment (no `sidecarOf`), it also names the Deployment and the Service Prometheus
   * scrapes (`<name>:<port>`), so it must then be a DNS-1035 label (starting with a letter).
   * @default - "postgres-exporter" for the container; the Deployment and Service get names cdk8s
   * derives from the construct path (with a hash)
   */
  readonly name?: string;
  /**
   * Port the exporter listens on.
   * @default 9187
   */
  readonly port?: number;
  /**
   * The postgres_exporter image, pinned by tag.
   * @default ImageCatalog.POSTGRES_EXPORTER
   */
  readonly image?: ContainerImage;
  /**
   * User (and group) id the exporter runs as; it needs no file of its own.
   * @default 65534
   */
  readonly runAsUser?: number;
  /**
   * Scrape interval.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Put a NetworkPolicy on the exporter's own pods: its port (statement statistics, table names)
   * admits `scrapers` only. As a sidecar the exporter lives in the database pod, whose policy is
   * the database's (e.g. `PgBackRestServerSidecar.databaseClients`), so none is made then.
   * @default true
   */
  readonly networkPolicy?: boolean;
  /**
   * Who may scrape the exporter.
   * @default [NetworkPeer.namespaceNamed('monitoring')]
   */
  readonly scrapers?: NetworkPeer[];
}

const QUERIES_DIR = '/etc/postgres_exporter';
const DEFAULT_PORT = 9187;

/** Refuses a second container of the same name or port in the pod (cdk8s-plus would fail obscurely). */
function checkFreeInPod(scope: Construct, pod: kplus.Workload, name: string, port: number): void {
  const containers = [...pod.initContainers, ...pod.containers];
  if (containers.some((c) => c.name === name)) {
    throw propError(scope, 'name', name, 'the pod already has a container of that name: give each exporter in one pod its own name (and port)');
  }
  if (containers.some((c) => c.ports.some((p) => p.number === port))) {
    throw propError(scope, 'port', port, 'the pod already uses that port: give each exporter in one pod its own port');
  }
}

/**
 * postgres_exporter with the library's custom queries, credentials from a Secret, and a
 * prometheus-operator ServiceMonitor (or PodMonitor as a sidecar) that labels every series with
 * the cluster name.
 */
export class PostgresExporter extends Construct {
  /** The exporter's container (in its own Deployment, or in the `sidecarOf` pod). */
  public readonly container: kplus.Container;
  /** The ServiceMonitor or PodMonitor. */
  public readonly monitor: ApiObject;
  private readonly queries: CustomQuery[];

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(scope, id);
    const c = props.connection;
    checkText(this, 'connection.user', c.user);
    checkText(this, 'connection.host', c.host);
    const host = c.host ?? 'localhost';
    const badHost = hostProblem(host);
    if (badHost) throw propError(this, 'connection.host', c.host, badHost);
    checkText(this, 'connection.database', c.database);
    checkInteger(this, 'connection.port', c.port, 1, 65535);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.clusterName ?? '')) {
      throw propError(this, 'clusterName', props.clusterName, 'a label value such as the cluster\'s name, "app-db"');
    }
    if (c.sslMode !== undefined && !EXPORTER_SSL_MODES.includes(c.sslMode)) {
      throw propError(this, 'connection.sslMode', c.sslMode, `one of ${EXPORTER_SSL_MODES.join(', ')} (postgres_exporter's lib/pq refuses prefer and allow)`);
    }
    this.queries = [...(props.queries ?? ExporterQueries.defaults())];
    checkQueries(this, 'queries', this.queries);
    const user = props.runAsUser ?? 65534;
    const name = props.name ?? 'postgres-exporter';
    // Standalone, the name is also the Service's (and the Deployment's): a DNS-1035 label.
    if (props.sidecarOf) assertDnsLabel(this, 'name', name);
    else assertServiceName(this, 'name', name);
    const port = props.port ?? DEFAULT_PORT;
    checkInteger(this, 'port', port, 1, 65535);
    // The first exporter keeps the names it always had; others take theirs from `name` (a port
    // name is at most 15 characters: longer names get a short digest instead).
    const portName = name === 'postgres-exporter' ? 'metrics' : /^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/.test(name) ? name : `pe-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;

    const config = new kplus.ConfigMap(this, 'Queries');
    // Read at synth (queries added later count), rendered once per synth for the file and its hash.
    const queriesYaml = oncePerSynth(() => renderQueriesYaml(this.queries));
    config.addData('queries.yaml', Lazy.any({ produce: queriesYaml }) as unknown as string);
    if (props.sidecarOf) {
      checkPlusMajor(this, 'sidecarOf', props.sidecarOf);
      checkFreeInPod(this, props.sidecarOf, name, port);
    }
    const deployment = props.sidecarOf ? undefined : new kplus.Deployment(this, 'Resource', {
      ...(props.name !== undefined ? { metadata: { name } } : {}),
      replicas: 1,
      securityContext: { ensureNonRoot: true, user, group: user },
      automountServiceAccountToken: false,
    });
    const workload = (deployment ?? props.sidecarOf) as kplus.Workload;
    this.container = workload.addContainer({
      ...sidecarContainerProps({
        name,
        image: props.image ?? ImageCatalog.POSTGRES_EXPORTER,
        user,
        args: [`--extend.query-path=${QUERIES_DIR}/queries.yaml`, `--web.listen-address=:${port}`, ...(props.databases ?? ExporterDatabases.ALL).args],
        port,
        portName,
        readiness: kplus.Probe.fromHttpGet('/', { port }),
        // "/" answers while the exporter's HTTP server lives, whether or not PostgreSQL is up (that
        // is pg_up's job): a database outage must not restart the exporter.
        liveness: kplus.Probe.fromHttpGet('/', { port, periodSeconds: Duration.seconds(30) }),
        resources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } },
      }),
      volumeMounts: [{ path: QUERIES_DIR, volume: kplus.Volume.fromConfigMap(this, 'QueriesVolume', config, { name: name === 'postgres-exporter' ? 'exporter-queries' : `${name}-queries` }), readOnly: true }],
    });
    const uri = dataSourceUri(host, c.port ?? 5432, c.database ?? 'postgres', c.sslMode ?? defaultSslMode(host));
    this.container.env.addVariable('DATA_SOURCE_URI', kplus.EnvValue.fromValue(uri));
    this.container.env.addVariable('DATA_SOURCE_USER', kplus.EnvValue.fromValue(c.user));
    c.password.addToEnv(this.container, 'DATA_SOURCE_PASS');
    annotateConfigHash(workload.podMetadata, () => [queriesYaml()]);

    const interval = `${(props.scrapeInterval ?? Duration.seconds(30)).toSeconds()}s`;
    if (deployment === undefined) {
      this.monitor = addPodMonitor(this, 'PodMonitor', { matchLabels: workload.matchLabels, port: portName, interval, clusterLabel: props.clusterName });
    } else {
      const service = deployment.exposeViaService({ ...(props.name !== undefined ? { name } : {}), ports: [{ port, targetPort: port, name: 'metrics' }] });
      service.metadata.addLabel('app.kubernetes.io/component', 'postgres-exporter');
      this.monitor = new ApiObject(this, 'ServiceMonitor', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/component': 'postgres-exporter', ...workloadSelector(workload) } },
          endpoints: [{ port: 'metrics', interval, relabelings: [{ action: 'replace', targetLabel: 'cluster', replacement: props.clusterName }] }],
        },
      });
      service.metadata.addLabel(...selectorLabel(workload));
      if (props.networkPolicy ?? true) {
        ingressPolicy(this, 'NetworkPolicy', workload.matchLabels,
          [{ ports: () => [port], from: props.scrapers ?? [NetworkPeer.namespaceNamed('monitoring')] }], props.name);
      }
    }
    checkUniqueNames(this);
    SchemaValidation.addTo(this.monitor);
  }

  /** Adds a custom query. */
  public addQuery(query: CustomQuery): void {
    checkQueries(this, 'queries', [...this.queries, query]);
    this.queries.push(query);
  }
}

/** A label that singles out this exporter's Service: the pod selector's first label. */
function selectorLabel(workload: kplus.Workload): [string, string] {
  const [key, value] = Object.entries(workload.matchLabels)[0];
  return [key, value];
}

function workloadSelector(workload: kplus.Workload): Record<string, string> {
  const [key, value] = selectorLabel(workload);
  return { [key]: value };
}
