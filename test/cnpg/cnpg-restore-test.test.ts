import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgObjectStore, CnpgRestoreTest, ObjectStoreCredentials, RestoreCheck, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup() {
  const chart = Testing.chart();
  const cluster = new CnpgCluster(chart, 'Db', { name: 'myapp-db', storageSize: Size.gibibytes(50) });
  const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
  const objectStore = new CnpgObjectStore(chart, 'Store', {
    name: 'myapp-db-backups', destinationPath: 's3://acme/myapp-db', credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'id'), SecretKeyRef.of(s3, 'secret')),
  });
  cluster.backupTo(objectStore);
  return { chart, cluster, objectStore };
}

describe('CnpgRestoreTest', () => {
  test('creates a throwaway cluster recovered from the store, checks it, reports, and always deletes it', () => {
    const { chart, cluster, objectStore } = setup();
    const webhook = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Hook', 'restore-webhook'), 'url');
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks: [RestoreCheck.minRows('orders', 1), RestoreCheck.integrity()], reportWebhook: webhook });
    const manifests = synthValidated(chart);

    // The throwaway cluster: one instance, recovered from the store, no backups of its own.
    expect(test.throwawayCluster.metadata.name).toBe('myapp-db-restore-test');
    expect(test.throwawayCluster.spec).toMatchObject({
      instances: 1,
      bootstrap: { recovery: { source: 'origin' } },
      externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'myapp-db-backups', serverName: 'myapp-db' } } }],
    });
    expect(test.throwawayCluster.spec.plugins).toBeUndefined();

    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(cronJob.spec.schedule).toBe('0 6 * * WED');
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['create', 'check']);
    expect(pod.containers.map((c: any) => c.name).sort()).toEqual(['cleanup', 'notify']);
    expect(pod.containers.find((c: any) => c.name === 'cleanup').command).toEqual(['kubectl', 'delete', 'cluster', 'myapp-db-restore-test', '--ignore-not-found', '--wait=false']);
    expect(pod.automountServiceAccountToken).toBe(true);
    expectRestricted(pod);

    // Least privilege: clusters of its namespace, and only the throwaway's app Secret.
    const role = manifests.find((m) => m.kind === 'Role');
    expect(role.rules).toEqual(expect.arrayContaining([
      { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['create', 'get', 'list', 'watch', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['myapp-db-restore-test-app'], verbs: ['get'] },
    ]));
    const binding = manifests.find((m) => m.kind === 'RoleBinding');
    expect(binding.subjects[0].name).toBe(pod.serviceAccountName);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['cluster.json']).toContain('"name": "myapp-db-restore-test"');
  });

  test('needs checks', () => {
    const { chart, cluster, objectStore } = setup();
    expect(() => new CnpgRestoreTest(chart, 'T', { cluster, objectStore, checks: [] })).toThrow('[test/T] checks: got []; at least one check');
  });
});
