import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DumpFormat, DumpStorage, PgDumpBackup, Schedule, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function setup() {
  const chart = Testing.chart();
  const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'app-db-app'), 'password');
  return { chart, connection: { host: 'app-db-ro.db.svc', database: 'shop', user: 'shop', password } };
}

describe('PgDumpBackup', () => {
  test('a nightly custom-format dump onto a new claim, verified and pruned by its script', () => {
    // GIVEN
    const { chart, connection } = setup();
    // WHEN
    const dump = new PgDumpBackup(chart, 'Dump', { connection, storage: DumpStorage.newClaim(Size.gibibytes(20), 'standard-rwo'), keep: 14 });
    const manifests = synthValidated(chart);
    // THEN
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'CronJob', 'PersistentVolumeClaim', 'ServiceAccount']);
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(cronJob.spec).toMatchObject({ schedule: '0 5 * * *', concurrencyPolicy: 'Forbid' });
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];
    expect(container.command).toEqual(['/bin/bash', '/opt/pg-dump/pg-dump.sh']);
    expect(container.env).toEqual([
      { name: 'PGHOST', value: 'app-db-ro.db.svc' },
      { name: 'PGPORT', value: '5432' },
      { name: 'PGDATABASE', value: 'shop' },
      { name: 'PGUSER', value: 'shop' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } },
    ]);
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['pg-dump.sh']).toBe(dump.script);
    expect(dump.script).toContain('pg_dump --no-password --format=custom --compress=6 --file="$partial"');
    expect(dump.script).toContain('for (( i = ${#dumps[@]} - 1 - 14; i >= 0; i-- )); do');
    expect(manifests.find((m) => m.kind === 'PersistentVolumeClaim').spec).toMatchObject({ storageClassName: 'standard-rwo', resources: { requests: { storage: '20Gi' } } });
    expectRestricted(pod);
  });

  test('invalid input', () => {
    // GIVEN
    const { chart, connection } = setup();
    const storage = DumpStorage.existingClaim('dumps');
    // WHEN / THEN each bad prop is refused
    expect(() => new PgDumpBackup(chart, 'A', { connection, storage, jobs: 4 })).toThrow('[test/A] jobs: got 4; pg_dump runs in parallel only with DumpFormat.DIRECTORY');
    expect(() => new PgDumpBackup(chart, 'B', { connection, storage, keep: 0 })).toThrow('[test/B] keep: got 0; expected an integer from 1 to 1000');
    expect(() => new PgDumpBackup(chart, 'C', { connection: { ...connection, database: 'shop; rm -rf /' }, storage })).toThrow('[test/C] connection.database: got "shop; rm -rf /"');
    expect(() => new PgDumpBackup(chart, 'D', { connection, storage, schedule: Schedule.expression('30 0 3 * * *') })).toThrow('[test/D] schedule: got "30 0 3 * * *"; Schedule "30 0 3 * * *": a Kubernetes CronJob has no seconds field');
    expect(() => new PgDumpBackup(chart, 'E', { connection, storage, timeZone: 'Mars/Olympus Mons' })).toThrow('[test/E] timeZone: got "Mars/Olympus Mons"; an IANA time zone name');
    expect(() => new PgDumpBackup(chart, 'F', { connection, storage, format: DumpFormat.DIRECTORY, jobs: 4, compressionLevel: 12 })).toThrow('[test/F] compressionLevel: got 12; expected an integer from 0 to 9');
  });
});

describe('what a user needs to wire a dump to its restore test', () => {
  test('the claim of a new dump volume is exposed, so a restore test can read it by name', () => {
    // GIVEN
    const { chart, connection } = setup();
    // WHEN
    const dump = new PgDumpBackup(chart, 'Dump', { connection, storage: DumpStorage.newClaim(Size.gibibytes(5)) });
    const manifests = synthValidated(chart);
    // THEN
    expect(manifests.find((m) => m.kind === 'PersistentVolumeClaim').metadata.name).toBe(dump.claim.name);
  });
});
