import { cronJobsFor } from '../jobs';
import { Rule, RuleLevel } from '../rule';

export const BACKUP_JOBS_MAY_OVERLAP: Rule = {
  id: 'PGR-BACKUP-007',
  level: RuleLevel.WARNING,
  name: 'A backup or restore-test CronJob allows a run to start while the last one still runs',
  explanation: 'With concurrencyPolicy Allow (the default) a slow backup and the next one run together: the second fails on the stanza lock or doubles the load on the database.',
  fix: 'Set concurrencyPolicy: Forbid on backup and restore-test CronJobs (the library\'s jobs do).',
  check: (app) => cronJobsFor(app, 'backup-full', 'backup-diff', 'backup-incr', 'dump', 'restore-test')
    .filter((o) => (o.manifest.spec?.concurrencyPolicy ?? 'Allow') === 'Allow')
    .map((object) => ({ object, message: 'concurrencyPolicy is Allow' })),
};
