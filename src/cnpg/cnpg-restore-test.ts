import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkClusterProps } from './cluster-checks';
import { ICnpgCluster } from './cluster-interface';
import { clusterSpec } from './cluster-spec';
import { CnpgClusterProps } from './cnpg-cluster-props';
import { CREATE_SCRIPT, DIR, THROWAWAY_LABEL } from './create-step-script';
import { ICnpgObjectStore } from './object-store-props';
import { RestoreCheck } from '../backup/restore-check';
import { celErrors } from '../core/cel-validation';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ImageCatalog } from '../core/image';
import { manifestErrors } from '../core/manifest-checks';
import { assertServiceName, dnsLabel } from '../core/naming';
import { checkDuration } from '../core/prop-checks';
import { restoreTestScript } from '../core/restore-check-script';
import { Schedule } from '../core/schedule';
import { scheduledJob } from '../core/scheduled-job';
import { BasicAuthCredentials, ScheduledJobOptions } from '../core/scheduled-job-options';
import { schemaMessages } from '../core/schema-errors';
import { scriptFiles } from '../core/script-files';
import { SecretKeyRef } from '../core/secret-ref';
import { addSynthValidation } from '../core/synth-scope';
import { checkServiceUrl } from '../core/urls';

/** Props of `CnpgRestoreTest`. */
export interface CnpgRestoreTestProps extends ScheduledJobOptions {
  /**
   * The cluster whose backups are tested: it must back up to `objectStore` (`backupTo`, or
   * `backupStore` given to `CnpgCluster.fromClusterName`).
   */
  readonly cluster: ICnpgCluster;
  /** The object store `cluster` backs up to. */
  readonly objectStore: ICnpgObjectStore;
  /** What a good restore looks like; they run in the cluster's application database. */
  readonly checks: RestoreCheck[];
  /** When the test runs. @default Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }) */
  readonly schedule?: Schedule;
  /** Storage of the throwaway cluster. @default Size.gibibytes(20) */
  readonly storageSize?: Size;
  /** How long the throwaway cluster may take to recover and become ready. @default Duration.minutes(40) */
  readonly readyTimeout?: Duration;
  /** Webhook told of success and failure, with the figures. @default - none */
  readonly reportWebhook?: SecretKeyRef;
  /** Pushgateway for the restore-test metrics. @default - none */
  readonly pushgatewayUrl?: string;
  /** Basic-auth credentials of the Pushgateway, from Secrets. @default - no authentication */
  readonly pushgatewayCredentials?: BasicAuthCredentials;
  /** User the check container runs as. @default 26 (the postgres user of CloudNativePG's images) */
  readonly runAsUser?: number;
}


/** Where Kubernetes clients look for the API token, CA and namespace. */
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME = 'kube-api-access';

/**
 * A CloudNativePG-native restore test: on a schedule, a Job creates a throwaway one-instance
 * Cluster recovered from the latest backup in the object store (a leftover of an earlier run is
 * replaced, never reused), waits until it is ready, runs the restore checks in the source's
 * application database, reports (webhook, Pushgateway metrics), and deletes it, even when a step
 * fails. The throwaway Cluster is owned by the Job's pod, so deleting the pod removes it too.
 */
export class CnpgRestoreTest extends Construct {
  /** The CronJob that runs the test. */
  public readonly cronJob: kplus.CronJob;
  /** Name of the throwaway Cluster, `<cluster>-restore-test` (shortened with a hash past 50 characters). */
  public readonly throwawayClusterName: string;
  private readonly throwawayCluster: ThrowawayCluster;

  constructor(scope: Construct, id: string, props: CnpgRestoreTestProps) {
    super(scope, id);
    checkServiceUrl(this, 'pushgatewayUrl', props.pushgatewayUrl, 'http://pushgateway.monitoring:9091');
    if (!props.checks || props.checks.length === 0) throw propError(this, 'checks', props.checks, 'at least one check');
    const timeout = Math.ceil((checkDuration(this, 'readyTimeout', props.readyTimeout) ?? 40 * 60_000) / 1000);
    const source = props.cluster;
    const name = throwawayName(source.name);
    this.throwawayClusterName = name;
    assertServiceName(this, 'throwawayClusterName', name, 50);
    // backupTo may be called after this construct: check at synth.
    addSynthValidation(this, () => backsUpTo(this, source, props.objectStore));

    // Rendered by the Cluster's own spec renderer, so it is the same checked shape.
    // Same database, owner and image as the source: the checks must see the source's data.
    const throwawayProps: CnpgClusterProps = {
      name,
      instances: 1,
      storageSize: props.storageSize ?? Size.gibibytes(20),
      database: source.database,
      owner: source.owner,
      image: source.image,
      imageCatalog: source.imageCatalog,
      parameters: recoveryParameters(source),
      // A one-instance budget would block every drain of the node it runs on.
      podDisruptionBudget: false,
      recovery: { objectStore: props.objectStore, sourceServerName: source.name },
    };
    const parameters = checkClusterProps(this, throwawayProps);
    this.throwawayCluster = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name, labels: { [THROWAWAY_LABEL]: source.name } },
      spec: clusterSpec({ name, props: throwawayProps, parameters }),
    };
    const throwaway = this.throwawayCluster;
    addSynthValidation(this, () => manifestErrors(throwaway, [schemaMessages, celErrors]));

    const filesMount = scriptFiles(this, DIR, {
      'cluster.json': this.throwawayClusterJson,
      'create.sh': CREATE_SCRIPT,
      'check.sh': restoreTestScript({ source: source.name, from: { kind: 'server' }, checks: props.checks, database: source.database, superuser: 'postgres', port: 5432, startTimeoutSeconds: timeout }),
    });
    const tmp = kplus.Volume.fromEmptyDir(this, 'KubectlTmp', 'kubectl-tmp');
    const kubectl = (containerName: string, command: string[]): kplus.ContainerProps => ({
      name: containerName,
      image: ImageCatalog.KUBECTL.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command,
      envVariables: {
        CLUSTER: kplus.EnvValue.fromValue(name),
        THROWAWAY_OF: kplus.EnvValue.fromValue(source.name),
        TIMEOUT: kplus.EnvValue.fromValue(String(timeout)),
        HOME: kplus.EnvValue.fromValue('/tmp'),
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        POD_UID: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_UID),
      },
      resources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
      volumeMounts: [filesMount, { path: '/tmp', volume: tmp }],
    });

    // No apiAccess: the token is mounted below into the two kubectl containers only, not pod-wide.
    this.cronJob = scheduledJob(this, props.schedule ?? Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }), {
      activeDeadline: Duration.seconds(timeout + 20 * 60),
      ...props,
    }, {
      name: 'check',
      image: ImageCatalog.CNPG_POSTGRES.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/bash', `${DIR}/check.sh`],
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      envVariables: { SCRATCH_DIR: kplus.EnvValue.fromValue('/tmp') },
      volumeMounts: [filesMount, { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'CheckTmp', 'check-tmp') }],
    }, `Restore test of ${source.name} (CloudNativePG)`, props.runAsUser ?? 26, {
      webhook: props.reportWebhook,
      pushgatewayUrl: props.pushgatewayUrl,
      pushgatewayCredentials: props.pushgatewayCredentials,
      pushJob: `pgrel_restore_test/source/${source.name}`,
      before: [kubectl('create', ['/bin/bash', `${DIR}/create.sh`])],
      // By label as well as name: a Cluster of that name that is not our throwaway is never deleted.
      after: [kubectl('cleanup', ['kubectl', 'delete', 'cluster', '--selector', `${THROWAWAY_LABEL}=${source.name}`, '--field-selector', `metadata.name=${name}`, '--ignore-not-found', '--wait=false'])],
    }, 'cnpg-restore-test');
    mountApiToken(this.cronJob, ['create', 'cleanup']);

    const role = new kplus.Role(this, 'Role');
    // RBAC cannot limit create by name (the object does not exist yet when it is authorized); it
    // only makes new Clusters, and the create step refuses to replace one without our label.
    role.allow(['create'], kplus.ApiResource.custom({ apiGroup: 'postgresql.cnpg.io', resourceType: 'clusters' }));
    // Everything else only on the throwaway: list and watch by name need a metadata.name field
    // selector, which kubectl wait and the cleanup use.
    role.allow(['get', 'list', 'watch', 'delete', 'patch'], namedCluster(name));
    role.allow(['get'], kplus.Secret.fromSecretName(this, 'ThrowawayAppSecret', `${name}-app`));
    role.bind(this.cronJob.serviceAccount!);
    annotateConfigHash(this.cronJob.podMetadata, () => [JSON.stringify(this.throwawayCluster)]);
  }

  /** The throwaway Cluster the create step applies, as JSON (validated against the CRD schema at synth). */
  public get throwawayClusterJson(): string {
    return JSON.stringify(this.throwawayCluster, null, 2) + '\n';
  }
}

/** The throwaway Cluster manifest. */
interface ThrowawayCluster {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

/**
 * `<cluster>-restore-test`, shortened with a hash to CloudNativePG's limit for Cluster names (a
 * DNS-1035 label of at most 50 characters, checked by its webhook).
 */
function throwawayName(source: string): string {
  const name = dnsLabel(source, 'restore-test');
  if (name.length <= 50) return name;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 8);
  return `${name.slice(0, 41).replace(/-+$/, '')}-${hash}`;
}

/**
 * Settings a server replaying WAL needs at least as high as the server that wrote it (PostgreSQL
 * stops recovery below them); the rest is derived from the throwaway's own, smaller memory.
 */
const RECOVERY_MINIMUMS = ['max_connections', 'max_locks_per_transaction', 'max_prepared_transactions', 'max_wal_senders', 'max_worker_processes'];

function recoveryParameters(source: ICnpgCluster): Record<string, string> {
  return Object.fromEntries(RECOVERY_MINIMUMS.filter((p) => source.parameters[p] !== undefined).map((p) => [p, source.parameters[p]]));
}

function backsUpTo(scope: Construct, cluster: ICnpgCluster, store: ICnpgObjectStore): string[] {
  const actual = cluster.backupStore;
  // By name: an imported store of the same name is the same store.
  if (actual?.name === store.name) return [];
  const where = actual ? `it backs up to "${actual.name}"` : 'it backs up nowhere';
  return [propError(scope, 'objectStore', store.name, `cluster ${cluster.name} does not back up to it (${where}): call cluster.backupTo(objectStore), or test the store it backs up to`).message];
}

function namedCluster(name: string): kplus.IApiResource {
  return { apiGroup: 'postgresql.cnpg.io', resourceType: 'clusters', resourceName: name };
}

/**
 * Mounts the ServiceAccount token, the cluster CA and the namespace where Kubernetes clients look
 * for them, in the named containers only (the pod itself mounts no token). cdk8s-plus has no
 * projected volumes, hence the patches.
 */
function mountApiToken(job: kplus.CronJob, containerNames: string[]): void {
  const pod = '/spec/jobTemplate/spec/template/spec';
  const patches = [JsonPatch.add(`${pod}/volumes/-`, {
    name: TOKEN_VOLUME,
    projected: {
      defaultMode: 0o644,
      sources: [
        // The kubelet's own default lifetime for a projected token (rotated before it expires).
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        // Spelled like the generated k8s class: its toJson maps patched props to `downwardAPI`.
        { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  })];
  for (const containerName of containerNames) {
    const init = job.initContainers.findIndex((c) => c.name === containerName);
    const main = job.containers.findIndex((c) => c.name === containerName);
    const path = init >= 0 ? `${pod}/initContainers/${init}` : `${pod}/containers/${main}`;
    if (init < 0 && main < 0) throw new Error(`mountApiToken: no container named ${containerName}`);
    patches.push(JsonPatch.add(`${path}/volumeMounts/-`, { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true }));
  }
  ApiObject.of(job).addJsonPatch(...patches);
}
