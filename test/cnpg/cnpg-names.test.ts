import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgObjectStore, ObjectStoreCredentials, Schedule, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

function backedUp(chart: Chart, id: string, name?: string) {
  const cluster = new CnpgCluster(chart, id, { name, storageSize: Size.gibibytes(5) });
  const s3 = kplus.Secret.fromSecretName(chart, `${id}S3`, 'backup-s3');
  cluster.backupTo(new CnpgObjectStore(chart, `${id}Store`, {
    destinationPath: 's3://acme-backups/app-db',
    credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
  }));
  return cluster;
}

const nightly = { schedule: Schedule.cron({ minute: '0', hour: '1' }) };
const synthError = (run: () => unknown) => { try { run(); return ''; } catch (e) { return (e as Error).message; } };

describe('#11.15 CloudNativePG object names', () => {
  test('#11.15 two rw poolers without a name collide: synth fails naming both', () => {
    // GIVEN two unnamed rw poolers WHEN synthesized THEN fails naming both objects of each kind
    const chart = Testing.chart();
    const cluster = backedUp(chart, 'AppDb', 'app-db');
    cluster.addPooler('PoolerA');
    cluster.addPooler('PoolerB');
    const error = synthError(() => Testing.synth(chart));
    expect(error).toContain('Pooler "app-db-pooler-rw" (no namespace: the one it is applied to) is emitted twice, by test/AppDb/PoolerA/Resource and by test/AppDb/PoolerB/Resource');
    expect(error).toContain('PodDisruptionBudget "app-db-pooler-rw" (no namespace: the one it is applied to) is emitted twice, by test/AppDb/PoolerA/Disruption and by test/AppDb/PoolerB/Disruption');
    expect(error).toContain('Give one of them another name');
  });

  test('#11.15 ScheduledBackup ids Daily and daily collide: synth fails; a name option tells them apart', () => {
    // GIVEN backups Daily and daily WHEN synthesized THEN fails; with a name option THEN both rendered
    const chart = Testing.chart();
    const cluster = backedUp(chart, 'AppDb', 'app-db');
    cluster.addScheduledBackup('Daily', nightly);
    cluster.addScheduledBackup('daily', nightly);
    expect(() => Testing.synth(chart)).toThrow('ScheduledBackup "app-db-daily" (no namespace: the one it is applied to) is emitted twice, by test/AppDb/Daily/Resource and by test/AppDb/daily/Resource');
    const fixed = Testing.chart();
    const other = backedUp(fixed, 'AppDb', 'app-db');
    other.addScheduledBackup('Daily', nightly);
    other.addScheduledBackup('daily', { ...nightly, name: 'app-db-daily-2' });
    expect(synthValidated(fixed).filter((m) => m.kind === 'ScheduledBackup').map((m) => m.metadata.name)).toEqual(['app-db-daily', 'app-db-daily-2']);
  });

  test('#11.15 two clusters of one name in two charts of one app: synth fails naming both', () => {
    // GIVEN one cluster name in two charts of one namespace WHEN synthesized THEN fails naming both
    const app = new App({ outdir: Testing.app().outdir });
    backedUp(new Chart(app, 'shop', { namespace: 'prod' }), 'Db', 'app-db');
    backedUp(new Chart(app, 'billing', { namespace: 'prod' }), 'Db', 'app-db');
    expect(() => app.synthYaml()).toThrow('Cluster "app-db" in namespace "prod" is emitted twice, by shop/Db/Resource and by billing/Db/Resource');
  });

  test('#11.15 id "Nightly Full" yields a valid name: names derive from the construct id (lower-cased, other characters as "-")', () => {
    // GIVEN ids with spaces and capitals WHEN synthesized THEN names derive from the ids, valid DNS names
    const chart = Testing.chart();
    const cluster = backedUp(chart, 'Shop DB');
    cluster.addScheduledBackup('Nightly Full', nightly);
    cluster.addPooler('Pooler');
    const manifests = synthValidated(chart);
    expect(cluster.name).toBe('shop-db');
    expect(manifests.filter((m) => m.metadata?.name).map((m) => `${m.kind} ${m.metadata.name}`).sort()).toEqual([
      'Cluster shop-db', 'ObjectStore shop-dbstore', 'PodDisruptionBudget shop-db-pooler-rw', 'Pooler shop-db-pooler-rw', 'ScheduledBackup shop-db-nightly-full',
    ].concat(manifests.filter((m) => m.kind === 'PodMonitor').map((m) => `PodMonitor ${m.metadata.name}`)).sort());
  });

  test('#11.15 names CloudNativePG refuses are refused at construction: a cluster name over 50 or starting with a digit, a pooler or backup name that is no DNS label', () => {
    // GIVEN names CloudNativePG refuses WHEN constructs are built THEN refused at construction
    const chart = Testing.chart();
    expect(() => new CnpgCluster(chart, 'A', { name: 'a'.repeat(51), storageSize: Size.gibibytes(1) })).toThrow(/^\[test\/A\] name: got "a{51}"; .*at most 50/);
    expect(() => new CnpgCluster(chart, 'B', { name: '1db', storageSize: Size.gibibytes(1) })).toThrow(/^\[test\/B\] name: got "1db"; .*starting with a letter/);
    const cluster = backedUp(chart, 'AppDb', 'app-db');
    expect(() => cluster.addPooler('P', { name: 'Pooler RW' })).toThrow(/^\[test\/AppDb\/P\] name: got "Pooler RW"/);
    expect(() => cluster.addScheduledBackup('S', { ...nightly, name: 'nightly full' })).toThrow(/^\[test\/AppDb\/S\] name: got "nightly full"/);
  });
});
