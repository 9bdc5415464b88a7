import { alertRules } from '../app-view';
import { backupObjects } from '../jobs';
import { Rule, RuleLevel } from '../rule';

export const NO_WAL_ARCHIVING_ALERT: Rule = {
  id: 'PGR-BACKUP-005',
  level: RuleLevel.WARNING,
  name: 'Backups are taken but no alert fires when WAL archiving fails',
  explanation: 'Point-in-time recovery needs every WAL segment: a failing archive_command breaks the chain silently, and pg_wal fills until the primary stops.',
  fix: 'Add an alert on the archiver failure counter (pg_stat_archiver failed_count, e.g. the backup alert family\'s PostgresWalArchivingFailing).',
  check: (app) => {
    const archiving = alertRules(app).filter(({ rule }) => /archiver/.test(String(rule.expr)));
    return archiving.length > 0 ? [] : backupObjects(app).map((object) => ({ object, message: 'no PrometheusRule alert reads the WAL archiver\'s failures' }));
  },
};
