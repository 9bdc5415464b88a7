import { ofKind } from '../app-view';
import { longestGapDays } from '../cron';
import { cronJobsFor } from '../jobs';
import { Rule, RuleLevel } from '../rule';

/** Days from a pgbackrest.conf time retention or a CNPG retention policy ("30d", "4w", "1m"). */
function retentionDays(manifest: any): number | undefined {
  if (manifest.kind === 'ConfigMap') {
    const conf = String(manifest.data?.['pgbackrest.conf'] ?? '');
    if (!/^repo\d+-retention-full-type=time$/m.test(conf)) return undefined;
    const m = /^repo\d+-retention-full=(\d+)$/m.exec(conf);
    return m ? Number(m[1]) : undefined;
  }
  const policy = manifest.spec?.retentionPolicy ?? manifest.spec?.backup?.retentionPolicy;
  const m = /^(\d+)([dwm])$/.exec(String(policy ?? ''));
  return m ? Number(m[1]) * { d: 1, w: 7, m: 30 }[m[2] as 'd' | 'w' | 'm'] : undefined;
}

export const RETENTION_SHORTER_THAN_RESTORE_TEST: Rule = {
  id: 'PGR-BACKUP-003',
  level: RuleLevel.ERROR,
  name: 'Backup retention is shorter than the interval between restore tests',
  explanation: 'Backups expire before any restore test has tried them: some backups are never tested, and a failure found by the test may already have cost every good backup.',
  fix: 'Keep backups (repo-retention-full with type time, or retentionPolicy) at least as long as the longest gap between restore tests, or test more often.',
  check: (app) => {
    const gaps = cronJobsFor(app, 'restore-test').map((o) => longestGapDays(o.manifest.spec?.schedule)).filter((g): g is number => g !== undefined);
    if (gaps.length === 0) return [];
    const interval = Math.min(...gaps);
    return [...ofKind(app, 'ConfigMap'), ...ofKind(app, 'ObjectStore', 'Cluster')].flatMap((object) => {
      const days = retentionDays(object.manifest);
      return days !== undefined && days < interval
        ? [{ object, message: `backups are kept ${days} days, but restore tests are up to ${interval} days apart` }] : [];
    });
  },
};
