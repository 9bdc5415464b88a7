import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CnpgCluster } from './cnpg-cluster';
import { CnpgObjectStore } from './object-store';
import { RestoreCheck } from '../backup/restore-check';
import { restoreTestScript } from '../backup/restore-test-script';
import { checkDuration } from '../core/checks';
import { annotateConfigHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ImageCatalog } from '../core/image';
import { dnsLabel } from '../core/naming';
import { Schedule } from '../core/schedule';
import { scheduledJob } from '../core/scheduled-job';
import { ScheduledJobOptions } from '../core/scheduled-job-options';
import { scriptFiles } from '../core/script-files';
import { SecretKeyRef } from '../core/secret-ref';

/** Props of `CnpgRestoreTest`. */
export interface CnpgRestoreTestProps extends ScheduledJobOptions {
  /** The cluster whose backups are tested (it must back up with `backupTo`). */
  readonly cluster: CnpgCluster;
  /** The object store `cluster` backs up to. */
  readonly objectStore: CnpgObjectStore;
  /** What a good restore looks like; they run in the cluster's application database. */
  readonly checks: RestoreCheck[];
  /** @default Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }) */
  readonly schedule?: Schedule;
  /** Storage of the throwaway cluster. @default Size.gibibytes(20) */
  readonly storageSize?: Size;
  /** How long the throwaway cluster may take to recover and become ready. @default Duration.minutes(40) */
  readonly readyTimeout?: Duration;
  /** Webhook told of success and failure, with the figures. @default - none */
  readonly reportWebhook?: SecretKeyRef;
  /** Pushgateway for the restore-test metrics. @default - none */
  readonly pushgatewayUrl?: string;
  /** @default 26 (the postgres user of CloudNativePG's images) */
  readonly runAsUser?: number;
}

const DIR = '/opt/cnpg-restore-test';

/**
 * A CloudNativePG-native restore test: on a schedule, a Job creates a throwaway one-instance
 * Cluster recovered from the latest backup in the object store, waits until it is ready, runs the
 * restore checks against it, reports (webhook, Pushgateway metrics), and deletes it, even when a
 * step fails. The throwaway Cluster is owned by the Job's pod, so deleting the pod removes it too.
 */
export class CnpgRestoreTest extends Construct {
  public readonly cronJob: kplus.CronJob;
  /** The throwaway Cluster the job creates (validated against the CRD schema at synth). */
  public readonly throwawayCluster: any;

  constructor(scope: Construct, id: string, props: CnpgRestoreTestProps) {
    super(scope, id);
    if (!props.checks || props.checks.length === 0) throw propError(this, 'checks', props.checks, 'at least one check');
    const timeout = Math.ceil((checkDuration(this, 'readyTimeout', props.readyTimeout) ?? 40 * 60_000) / 1000);
    const name = dnsLabel(props.cluster.name, 'restore-test');

    // Built by the Cluster construct itself in a detached app, so it is the same validated shape.
    const detached = new Chart(new App(), 'detached');
    const throwaway = new CnpgCluster(detached, 'Throwaway', {
      name,
      instances: 1,
      storageSize: props.storageSize ?? Size.gibibytes(20),
      recovery: { objectStore: props.objectStore, sourceServerName: props.cluster.name },
    });
    this.throwawayCluster = throwaway.resource.toJson();
    this.node.addValidation({ validate: () => detached.node.findAll().flatMap((c) => c.node.validate()) });

    const filesMount = scriptFiles(this, DIR, {
      'cluster.json': JSON.stringify(this.throwawayCluster, null, 2) + '\n',
      'create.sh': CREATE_SCRIPT,
      'check.sh': restoreTestScript({ source: props.cluster.name, from: { kind: 'server' }, checks: props.checks, database: 'app', superuser: 'postgres', port: 5432, startTimeoutSeconds: timeout }),
    });
    const tmp = kplus.Volume.fromEmptyDir(this, 'KubectlTmp', 'kubectl-tmp');
    const kubectl = (containerName: string, command: string[]): kplus.ContainerProps => ({
      name: containerName,
      image: ImageCatalog.KUBECTL.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command,
      envVariables: {
        CLUSTER: kplus.EnvValue.fromValue(name),
        TIMEOUT: kplus.EnvValue.fromValue(String(timeout)),
        HOME: kplus.EnvValue.fromValue('/tmp'),
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        POD_UID: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_UID),
      },
      resources: { cpu: { request: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
      volumeMounts: [filesMount, { path: '/tmp', volume: tmp }],
    });

    this.cronJob = scheduledJob(this, props.schedule ?? Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }), {
      activeDeadline: Duration.seconds(timeout + 20 * 60),
      ...props,
      failureWebhook: props.reportWebhook ?? props.failureWebhook,
    }, {
      name: 'check',
      image: ImageCatalog.CNPG_POSTGRES.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/bash', `${DIR}/check.sh`],
      resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      envVariables: { SCRATCH_DIR: kplus.EnvValue.fromValue('/tmp') },
      volumeMounts: [filesMount, { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'CheckTmp', 'check-tmp') }],
    }, `Restore test of ${props.cluster.name} (CloudNativePG)`, props.runAsUser ?? 26, {
      pushgatewayUrl: props.pushgatewayUrl,
      pushJob: `pgrel_restore_test/source/${props.cluster.name}`,
      before: [kubectl('create', ['/bin/bash', `${DIR}/create.sh`])],
      after: [kubectl('cleanup', ['kubectl', 'delete', 'cluster', name, '--ignore-not-found', '--wait=false'])],
      apiAccess: true,
    });

    const role = new kplus.Role(this, 'Role');
    role.allow(['create', 'get', 'list', 'watch', 'patch', 'delete'], kplus.ApiResource.custom({ apiGroup: 'postgresql.cnpg.io', resourceType: 'clusters' }));
    role.allow(['get'], kplus.Secret.fromSecretName(this, 'ThrowawayAppSecret', `${name}-app`));
    role.bind(this.cronJob.serviceAccount!);
    annotateConfigHash(this.cronJob.podMetadata, () => [JSON.stringify(this.throwawayCluster)]);
  }
}

/**
 * Creates the throwaway cluster (owned by this pod), waits for it, and leaves its URI and an exit
 * code for the check container. Always exits 0: the cleanup and report containers must still run.
 */
export const CREATE_SCRIPT = `#!/bin/bash
set -uo pipefail
status="\${JOB_STATUS_DIR:-/run/job-status}"
echo 1 > "$status/create-exit-code"
owner=$(printf '[{"apiVersion":"v1","kind":"Pod","name":"%s","uid":"%s"}]' "$POD_NAME" "$POD_UID")
if ! jq --argjson owner "$owner" '.metadata.ownerReferences = $owner' ${DIR}/cluster.json | kubectl apply -f -; then
  echo "could not create cluster $CLUSTER" >&2
  exit 0
fi
if ! kubectl wait --for=condition=Ready "cluster/$CLUSTER" --timeout="\${TIMEOUT}s"; then
  echo "cluster $CLUSTER did not become ready within \${TIMEOUT}s:" >&2
  kubectl get cluster "$CLUSTER" -o jsonpath='{.status.phase}: {.status.phaseReason}{"\\\\n"}' >&2 || true
  exit 0
fi
kubectl get secret "$CLUSTER-app" -o jsonpath='{.data.uri}' | base64 -d > "$status/uri"
chmod 0600 "$status/uri"
echo 0 > "$status/create-exit-code"
exit 0
`;
