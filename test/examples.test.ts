import { Chart, Testing } from 'cdk8s';
import { synthValidated } from './helpers/synth';
import { BackedUpPostgresChart } from '../examples/backed-up-postgres/chart';
import { BackupSchedulesChart } from '../examples/backup-schedules/chart';
import { CnpgProductionChart } from '../examples/cnpg-production/chart';
import { MonitoredPostgresChart } from '../examples/monitored-postgres/chart';
import { PooledWebAppChart } from '../examples/pooled-web-app/chart';

describe('examples synthesize valid objects', () => {
  test('backup-schedules: one Schedule, rendered six-field for CNPG and five-field for the CronJob', () => {
    const chart = new BackupSchedulesChart(Testing.app(), 'backup-schedules');
    const manifests = synthValidated(chart as Chart);
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
  ])('#10.18 %s: every dump lands on a PersistentVolumeClaim, never an emptyDir', (_name, make) => {
    const manifests = synthValidated(make() as Chart);
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
  test('sidecars sized from PoolSizing fit the budget; the standalone pooler exports metrics', () => {
    const chart = new PooledWebAppChart(Testing.app(), 'pooled-web-app');
    const manifests = synthValidated(chart as Chart);
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
  test('synthesizes the sidecar, backup CronJobs, the dump job and two restore tests', () => {
    const chart = new BackedUpPostgresChart(Testing.app(), 'backed-up-postgres');
    const manifests = synthValidated(chart as Chart);
    expect(manifests.filter((m) => m.kind === 'CronJob').map((m) => `${m.spec.schedule} ${m.spec.timeZone ?? ''}`.trim())).toEqual([
      '0 4 * * SUN Europe/Berlin', '0 4 * * MON-SAT Europe/Berlin', '30 1 * * *', '0 6 * * WED', '0 6 * * THU',
    ]);
    const db = manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec;
    expect(db.containers.map((c: any) => c.name)).toEqual(['postgres', 'pgbackrest-server']);
  });
});

describe('monitored-postgres example', () => {
  test('exporter with a ServiceMonitor and the alert catalog with a custom alert', () => {
    const manifests = synthValidated(new MonitoredPostgresChart(Testing.app(), 'monitored-postgres') as Chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PrometheusRule', 'Service', 'ServiceMonitor']);
    const groups = manifests.find((m) => m.kind === 'PrometheusRule').spec.groups;
    expect(groups.map((g: any) => g.name)).toContain('postgresql.custom');
    // 25 alerts in the eight default families, the storage alert and the custom one
    expect(groups.flatMap((g: any) => g.rules).length).toBe(28);
  });
});

describe('cnpg-production example', () => {
  test('the seed CNPG setup synthesizes strictly valid custom resources', () => {
    const manifests = synthValidated(new CnpgProductionChart(Testing.app(), 'cnpg-production') as Chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'Cluster', 'Deployment', 'Deployment', 'ObjectStore', 'PodDisruptionBudget', 'PodMonitor', 'PodMonitor', 'Pooler', 'PrometheusRule', 'ScheduledBackup', 'ScheduledBackup',
    ]);
    const cluster = manifests.find((m) => m.kind === 'Cluster').spec;
    expect(cluster.postgresql.parameters).toMatchObject({ max_connections: '200', shared_buffers: '1024MB', work_mem: '5242kB' });
    expect(JSON.stringify(manifests)).toContain('cnpg_pg_replication_in_recovery');
  });
});
