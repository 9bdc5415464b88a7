import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './helpers/synth';
import { BackedUpPostgresChart } from '../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../examples/cnpg-production/chart';
import { MonitoredPostgresChart } from '../examples/monitored-postgres/chart';
import { PooledWebAppChart } from '../examples/pooled-web-app/chart';

describe('examples synthesize valid objects', () => {
  test('GIVEN the backup-schedules example WHEN synthesized THEN its one Schedule is rendered six-field for CNPG and five-field for the CronJob', () => {
    // GIVEN the backup-schedules example
    const chart = new BackupSchedulesChart(Testing.app(), 'backup-schedules');
    // WHEN synthesized with validation
    const manifests = synthValidated(chart as Chart);
    // THEN the ScheduledBackup and the dump CronJob share the schedule, and the dump reads its password from the Secret
    const backup = manifests.find((m) => m.kind === 'ScheduledBackup');
    const cronJob = manifests.find((m) => m.kind === 'CronJob');
    expect(backup.spec).toMatchObject({ schedule: '0 0 2 * * SUN', target: 'prefer-standby', backupOwnerReference: 'self' });
    expect(cronJob.spec.schedule).toBe('0 2 * * SUN');
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/library/postgres:15.18-bookworm');
    expect(container.env).toContainEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'app-db-app', key: 'password' } } });
  });

  test.each([
    ['backup-schedules', () => new BackupSchedulesChart(Testing.app(), 'backup-schedules')],
    ['backed-up-postgres', () => new BackedUpPostgresChart(Testing.app(), 'backed-up-postgres')],
  ])('#10.18 GIVEN the %s example WHEN synthesized THEN every dump lands on a PersistentVolumeClaim, never an emptyDir', (_name, make) => {
    // GIVEN the example, WHEN synthesized with validation
    const manifests = synthValidated(make() as Chart);
    // THEN there are dump CronJobs, and each mounts /backups from a PersistentVolumeClaim
    const podOf = (m: any) => m.spec.jobTemplate.spec.template.spec;
    const dumpJobs = manifests.filter((m) => m.kind === 'CronJob' && [...(podOf(m).initContainers ?? []), ...podOf(m).containers].some((c: any) => c.name === 'pg-dump'));
    expect(dumpJobs.length).toBeGreaterThan(0);
    for (const job of dumpJobs) {
      const pod = job.spec.jobTemplate.spec.template.spec;
      const work = [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === 'pg-dump');
      const mount = work.volumeMounts.find((m: any) => m.mountPath === '/backups');
      expect(pod.volumes.find((v: any) => v.name === mount.name)).toHaveProperty('persistentVolumeClaim');
    }
  });
});

describe('pooled-web-app example', () => {
  test('GIVEN the pooled-web-app example WHEN synthesized THEN sidecars sized from PoolSizing fit the budget; the standalone pooler exports metrics', () => {
    // GIVEN the pooled-web-app example
    const chart = new PooledWebAppChart(Testing.app(), 'pooled-web-app');
    // WHEN synthesized with validation
    const manifests = synthValidated(chart as Chart);
    // THEN it has the expected objects (the pooler's PodMonitor among them), the sidecar's pool fits the budget, and no secret value is written
    const kinds = manifests.map((m) => m.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'PodMonitor', 'Service']);
    const webIni = manifests.find((m) => m.kind === 'ConfigMap' && m.data['pgbouncer.ini'].includes('myapp =')).data['pgbouncer.ini'];
    // withHeadroom(4 cores, x5) = 45 connections over 3 pods
    expect(webIni).toContain('default_pool_size = 15\n');
    // No secret value anywhere: only references.
    expect(JSON.stringify(manifests)).not.toMatch(/SCRAM-SHA-256\$|password=|:[^$@/]+@localhost/);
  });
});

describe('backed-up-postgres example', () => {
  test('GIVEN the backed-up-postgres example WHEN synthesized THEN it has the sidecar, backup CronJobs, the dump job and two restore tests', () => {
    // GIVEN the backed-up-postgres example
    const chart = new BackedUpPostgresChart(Testing.app(), 'backed-up-postgres');
    // WHEN synthesized with validation
    const manifests = synthValidated(chart as Chart);
    // THEN the five CronJobs run on their schedules and the database pod has the pgBackRest server sidecar
    expect(manifests.filter((m) => m.kind === 'CronJob').map((m) => `${m.spec.schedule} ${m.spec.timeZone ?? ''}`.trim())).toEqual([
      '0 4 * * SUN Europe/Berlin', '0 4 * * MON-SAT Europe/Berlin', '30 1 * * *', '0 6 * * WED', '0 6 * * THU',
    ]);
    const db = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    expect(db.containers.map((c: any) => c.name)).toEqual(['postgres', 'pgbackrest-server']);
  });
});

describe('monitored-postgres example', () => {
  test('GIVEN the monitored-postgres example WHEN synthesized THEN it has the exporter with a ServiceMonitor and the alert catalog with a custom alert', () => {
    // GIVEN the monitored-postgres example, WHEN synthesized with validation
    const manifests = synthValidated(new MonitoredPostgresChart(Testing.app(), 'monitored-postgres') as Chart);
    // THEN the exporter objects and one PrometheusRule with the custom group are written
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PrometheusRule', 'Service', 'ServiceMonitor']);
    const groups = manifests.find((m) => m.kind === 'PrometheusRule').spec.groups;
    expect(groups.map((g: any) => g.name)).toContain('postgresql.custom');
    // 27 alerts in the eight default families (the replication family has five since issue 16), the storage alert and the custom one
    expect(groups.flatMap((g: any) => g.rules).length).toBe(29);
  });
});

describe('cnpg-production example', () => {
  test('GIVEN the cnpg-production example (the seed CNPG setup) WHEN synthesized with validation THEN its custom resources are strictly valid', () => {
    // GIVEN the cnpg-production example, WHEN synthesized with validation
    const manifests = synthValidated(new CnpgProductionChart(Testing.app(), 'cnpg-production') as Chart);
    // THEN it has the Cluster, Pooler, backups and monitoring, with the seed's PostgreSQL parameters and alerts
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'Cluster', 'Deployment', 'Deployment', 'ObjectStore', 'PodDisruptionBudget', 'PodMonitor', 'PodMonitor', 'Pooler', 'PrometheusRule', 'ScheduledBackup', 'ScheduledBackup',
    ]);
    const cluster = manifests.find((m) => m.kind === 'Cluster').spec;
    expect(cluster.postgresql.parameters).toMatchObject({ max_connections: '200', shared_buffers: '1024MB', work_mem: '5242kB' });
    expect(JSON.stringify(manifests)).toContain('cnpg_pg_replication_in_recovery');
  });
});
