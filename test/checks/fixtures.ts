// Small hand-written manifests for the rule tests: each a minimal, compliant object that a
// test then breaks in exactly one way.
const restricted = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } };

export function container(name: string, image: string, extra: any = {}): any {
  return { name, image, securityContext: restricted, resources, ...extra };
}

export function deployment(name: string, replicas: number, containers: any[], extra: any = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }], ...extra } } },
  };
}

export function pdb(name: string, app: string, spec: any = { maxUnavailable: 1 }): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app } }, ...spec } };
}

export function networkPolicy(name: string, app: string): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec: { podSelector: { matchLabels: { app } } } };
}

export function cronJob(name: string, schedule: string, containers: any[], extra: any = {}): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule, concurrencyPolicy: 'Forbid', ...extra, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers } } } } },
  };
}

export function backupJob(name: string, schedule: string, type: string, stanza = 'db'): any {
  return cronJob(name, schedule, [container('backup', 'pgbackrest:2.45', { command: ['/bin/sh', '-c', `pgbackrest --stanza=${stanza} --type=${type} backup`] })]);
}

export function restoreTestJob(schedule: string): any {
  return cronJob('restore-test', schedule, [container('restore-test', 'postgres:15.18', { args: ['/opt/restore-test/restore-test.sh'] })]);
}

export function alerts(rules: any[]): any {
  return { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'alerts' }, spec: { groups: [{ name: 'g', rules }] } };
}

export const BACKUP_ALERTS = alerts([
  { alert: 'BackupTooOld', expr: 'time() - kube_cronjob_status_last_successful_time > 86400', annotations: { runbook_url: 'https://runbooks.example/backup' } },
  { alert: 'WalArchivingFailing', expr: 'increase(pg_stat_archiver_failed_count[10m]) > 0', annotations: { runbook_url: 'https://runbooks.example/wal' } },
]);

export function cnpgCluster(name: string, spec: any = {}): any {
  return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name }, spec: { instances: 3, resources, ...spec } };
}

export function podMonitor(cluster: string): any {
  return { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: `${cluster}-pm` }, spec: { selector: { matchLabels: { 'cnpg.io/cluster': cluster } } } };
}
