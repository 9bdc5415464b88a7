import { CheckedApp, CheckedObject, commandText, containersOf, nameOf, namespaceOf, ofKind, podSpecOf } from './app-view';

/** What a CronJob does, for the backup rules. */
export type JobPurpose = 'backup-full' | 'backup-diff' | 'backup-incr' | 'dump' | 'restore-test' | 'other';

/**
 * A CronJob's purpose: the kind the library registered for it (tree views), else what its
 * containers run (plain YAML): `pgbackrest --type=X backup`, a container named restore-test.
 */
export function purposeOf(app: CheckedApp, cronJob: CheckedObject): JobPurpose {
  const registered = app.jobKinds?.get(`${namespaceOf(cronJob.manifest)}/${nameOf(cronJob.manifest)}`);
  if (registered) return registered === 'cnpg-restore-test' ? 'restore-test' : registered as JobPurpose;
  const containers = containersOf(podSpecOf(cronJob.manifest));
  if (containers.some((c) => c.name === 'restore-test' || /restore-test/.test(commandText(c)))) return 'restore-test';
  for (const c of containers) {
    const text = commandText(c);
    const backup = /pgbackrest\b[^&;|]*--type=(full|diff|incr)[^&;|]*\bbackup\b/.exec(text);
    if (backup) return `backup-${backup[1]}` as JobPurpose;
    if (/pgbackrest\b[^&;|]*\bbackup\b/.test(text)) return 'backup-incr'; // pgBackRest's default type
    if (/\bpg_dump(all)?\b|pg-dump/.test(text) || c.name === 'pg-dump') return 'dump';
  }
  return 'other';
}

/** The pgBackRest stanza a CronJob's command names, if any. */
export function stanzaOf(cronJob: CheckedObject): string | undefined {
  for (const c of containersOf(podSpecOf(cronJob.manifest))) {
    const m = /--stanza[= ]([\w.-]+)/.exec(commandText(c));
    if (m) return m[1];
  }
  return undefined;
}

export function cronJobsFor(app: CheckedApp, ...purposes: JobPurpose[]): CheckedObject[] {
  return ofKind(app, 'CronJob').filter((o) => purposes.includes(purposeOf(app, o)));
}

/** Whether the app takes physical backups: CNPG (ScheduledBackup, Backup, backup plugin) or pgBackRest jobs. */
export function backupObjects(app: CheckedApp): CheckedObject[] {
  const cnpg = app.objects.filter((o) => String(o.manifest.apiVersion).startsWith('postgresql.cnpg.io/')
    && (o.manifest.kind === 'ScheduledBackup' || (o.manifest.kind === 'Cluster' && (o.manifest.spec?.backup || (o.manifest.spec?.plugins ?? []).some((p: any) => p.isWALArchiver !== false && /barman/.test(p.name))))));
  return [...cnpg, ...cronJobsFor(app, 'backup-full', 'backup-diff', 'backup-incr')];
}
