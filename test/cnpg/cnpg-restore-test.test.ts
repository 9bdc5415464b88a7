import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgClusterProps, CnpgObjectStore, CnpgRestoreTest, ContainerImage, ObjectStoreCredentials, RestoreCheck, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup(clusterProps: Partial<CnpgClusterProps> = {}, backup = true) {
  const chart = Testing.chart();
  const cluster = new CnpgCluster(chart, 'Db', { name: 'myapp-db', storageSize: Size.gibibytes(50), ...clusterProps });
  const objectStore = store(chart, 'Store', 'myapp-db-backups');
  if (backup) cluster.backupTo(objectStore);
  return { chart, cluster, objectStore };
}

function store(chart: ReturnType<typeof Testing.chart>, id: string, name: string) {
  const s3 = kplus.Secret.fromSecretName(chart, `${id}S3`, 'backup-s3');
  return new CnpgObjectStore(chart, id, {
    name, destinationPath: `s3://acme/${name}`, credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'id'), SecretKeyRef.of(s3, 'secret')),
  });
}

const checks = [RestoreCheck.minRows('orders', 1)];
/** The throwaway Cluster as the create step applies it. */
const throwawayOf = (test: CnpgRestoreTest) => JSON.parse(test.throwawayClusterJson);
const podOf = (manifests: any[]) => manifests.find((m) => m.kind === 'CronJob').spec.jobTemplate.spec.template.spec;
const containersOf = (pod: any): any[] => [...pod.initContainers, ...pod.containers];

describe('CnpgRestoreTest', () => {
  test('creates a throwaway cluster recovered from the store, checks it, reports, and always deletes it', () => {
    // GIVEN a cluster backing up to a store WHEN restore-tested THEN a recovered one-instance throwaway, checked, reported and deleted
    const { chart, cluster, objectStore } = setup();
    const webhook = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Hook', 'restore-webhook'), 'url');
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks: [RestoreCheck.minRows('orders', 1), RestoreCheck.integrity()], reportWebhook: webhook });
    const manifests = synthValidated(chart);

    // The throwaway cluster: one instance, recovered from the store, no backups of its own.
    expect(throwawayOf(test).metadata.name).toBe('myapp-db-restore-test');
    expect(throwawayOf(test).spec).toMatchObject({
      instances: 1,
      bootstrap: { recovery: { source: 'origin' } },
      externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'myapp-db-backups', serverName: 'myapp-db' } } }],
    });
    expect(throwawayOf(test).spec.plugins).toBeUndefined();

    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(cronJob.spec.schedule).toBe('0 6 * * WED');
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['create', 'check']);
    expect(pod.containers.map((c: any) => c.name).sort()).toEqual(['cleanup', 'notify']);
    expect(pod.automountServiceAccountToken).toBe(false);
    expectRestricted(pod);

    expect(manifests.find((m) => m.kind === 'ConfigMap').data['cluster.json']).toContain('"name": "myapp-db-restore-test"');
  });

  test('needs checks', () => {
    // GIVEN no checks WHEN a restore test is built THEN refused
    const { chart, cluster, objectStore } = setup();
    expect(() => new CnpgRestoreTest(chart, 'T', { cluster, objectStore, checks: [] })).toThrow('[test/T] checks: got []; at least one check');
  });

  test('#10.10 the throwaway restores into the source\'s application database and owner, with its image', () => {
    // GIVEN a source whose application database is not the default "app", on its own image
    const image = ContainerImage.of('registry.example/postgresql', '16.4-acme');
    const { chart, cluster, objectStore } = setup({ database: 'shop', owner: 'shopkeeper', image });
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    synthValidated(chart);
    // THEN the recovery creates the source's database and owner (the checks run there), on the source's image
    expect(throwawayOf(test).spec.bootstrap.recovery).toMatchObject({ database: 'shop', owner: 'shopkeeper' });
    expect(throwawayOf(test).spec.imageName).toBe('registry.example/postgresql:16.4-acme');
    expect(cluster.database).toBe('shop');
    expect(cluster.owner).toBe('shopkeeper');
  });

  test('#10.10 the throwaway uses the source\'s image catalog entry', () => {
    // GIVEN a source on an image catalog
    const { chart, cluster, objectStore } = setup({ imageCatalog: { kind: 'ClusterImageCatalog', name: 'postgresql', major: 16 } });
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    synthValidated(chart);
    // THEN the same catalog entry, and no imageName (CloudNativePG refuses both)
    expect(throwawayOf(test).spec.imageCatalogRef).toEqual({ apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 16 });
    expect(throwawayOf(test).spec.imageName).toBeUndefined();
  });

  test('#10.11 each run restores fresh: kubectl create (never apply) of a labelled throwaway, deleted after every run', () => {
    // GIVEN
    const { chart, cluster, objectStore } = setup();
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    const manifests = synthValidated(chart);
    // THEN the throwaway carries the label the create step checks before deleting a leftover
    expect(throwawayOf(test).metadata.labels).toEqual({ 'pg-reliability.cdk8s.io/restore-test-of': 'myapp-db' });
    const create = manifests.find((m) => m.kind === 'ConfigMap').data['create.sh'];
    expect(create).toContain('kubectl create -f -');
    expect(create).not.toContain('kubectl apply');
    expect(create).toContain('jsonpath={.metadata.name}/{.metadata.labels.pg-reliability\\.cdk8s\\.io/restore-test-of}');
    // the cleanup deletes it by name and label: never a Cluster of that name that is not ours
    const cleanup = podOf(manifests).containers.find((c: any) => c.name === 'cleanup');
    expect(cleanup.command).toEqual(['kubectl', 'delete', 'cluster', '--selector', 'pg-reliability.cdk8s.io/restore-test-of=myapp-db',
      '--field-selector', 'metadata.name=myapp-db-restore-test', '--ignore-not-found', '--wait=false']);
    expect(podOf(manifests).initContainers.find((c: any) => c.name === 'create').env).toEqual(expect.arrayContaining([
      { name: 'THROWAWAY_OF', value: 'myapp-db' },
    ]));
  });

  test('#10.12 refused at synth for a cluster that never called backupTo(store)', () => {
    // GIVEN a cluster that does not back up at all
    const { chart, cluster, objectStore } = setup({}, false);
    // WHEN
    new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    // THEN
    expect(() => synthValidated(chart)).toThrow('[test/RestoreTest] objectStore: got "myapp-db-backups"; cluster myapp-db does not back up to it (it backs up nowhere): call cluster.backupTo(objectStore), or test the store it backs up to');
  });

  test('#10.12 refused at synth for a cluster that backs up to another store', () => {
    // GIVEN a cluster backing up elsewhere
    const { chart, cluster } = setup();
    const other = store(chart, 'Other', 'other-backups');
    // WHEN
    new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore: other, checks });
    // THEN
    expect(() => synthValidated(chart)).toThrow('[test/RestoreTest] objectStore: got "other-backups"; cluster myapp-db does not back up to it (it backs up to "myapp-db-backups")');
    expect(cluster.backupStore?.name).toBe('myapp-db-backups');
  });

  test('#10.12 backupTo may come after the restore test', () => {
    // GIVEN a restore test constructed first
    const { chart, cluster, objectStore } = setup({}, false);
    new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    // WHEN the cluster is told to back up afterwards
    cluster.backupTo(objectStore);
    // THEN
    expect(() => synthValidated(chart)).not.toThrow();
  });

  test('#10.13 the Role touches only the throwaway, the token reaches only the API callers, and no PDB blocks drains', () => {
    // GIVEN
    const { chart, cluster, objectStore } = setup();
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks, reportWebhook: SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Hook', 'hook'), 'url') });
    const manifests = synthValidated(chart);
    // THEN every cluster verb but create is limited to the throwaway's name
    const role = manifests.find((m) => m.kind === 'Role');
    expect(role.rules).toEqual([
      { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['create'] },
      { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], resourceNames: ['myapp-db-restore-test'], verbs: ['get', 'list', 'watch', 'delete', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['myapp-db-restore-test-app'], verbs: ['get'] },
    ]);
    const pod = podOf(manifests);
    expect(manifests.find((m) => m.kind === 'RoleBinding').subjects[0].name).toBe(pod.serviceAccountName);
    // the token only in create and cleanup, through a projected volume
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(manifests.find((m) => m.kind === 'ServiceAccount').automountServiceAccountToken).toBe(false);
    const tokenVolume = pod.volumes.find((v: any) => v.projected);
    expect(tokenVolume.projected.sources).toEqual([
      { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ]);
    const withToken = containersOf(pod)
      .filter((c) => (c.volumeMounts ?? []).some((m: any) => m.name === tokenVolume.name))
      .map((c) => [c.name, c.volumeMounts.find((m: any) => m.name === tokenVolume.name)]);
    expect(withToken.sort()).toEqual([
      ['cleanup', { name: tokenVolume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
      ['create', { name: tokenVolume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
    ]);
    expect(containersOf(pod).map((c) => c.name).sort()).toEqual(['check', 'cleanup', 'create', 'notify']);
    expectRestricted(pod);
    // the throwaway has no PodDisruptionBudget
    expect(throwawayOf(test).spec.enablePDB).toBe(false);
  });

  test('#10.13 the throwaway name stays fixed and within CloudNativePG\'s limit for a long source name', () => {
    // GIVEN a source name at CloudNativePG's 50-character limit
    const { chart, cluster, objectStore } = setup({ name: 'a'.repeat(50) });
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    const manifests = synthValidated(chart);
    // THEN one name, a DNS-1035 label of at most 50 characters (CloudNativePG's webhook), the same in the Role and the cleanup
    const name = throwawayOf(test).metadata.name;
    expect(name).toMatch(/^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$/);
    expect(manifests.find((m) => m.kind === 'Role').rules[1].resourceNames).toEqual([name]);
    expect(podOf(manifests).containers.find((c: any) => c.name === 'cleanup').command).toContain(`metadata.name=${name}`);
  });

  test('#10.10 the throwaway has at least the source\'s settings that recovery requires (max_connections, ...)', () => {
    // GIVEN a source with more connections and locks than the defaults (PostgreSQL stops replaying WAL below them)
    const { chart, cluster, objectStore } = setup({ parameters: { max_connections: '400', max_locks_per_transaction: '256', work_mem: '64MB' } });
    // WHEN
    const test = new CnpgRestoreTest(chart, 'RestoreTest', { cluster, objectStore, checks });
    synthValidated(chart);
    // THEN those are copied; tuning for the production memory is not
    expect(throwawayOf(test).spec.postgresql.parameters).toMatchObject({ max_connections: '400', max_locks_per_transaction: '256' });
    expect(throwawayOf(test).spec.postgresql.parameters.work_mem).not.toBe('64MB');
  });
});
