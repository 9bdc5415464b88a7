import { alertRules } from '../app-view';
import { backupObjects } from '../jobs';
import { Rule, RuleLevel } from '../rule';

export const NO_BACKUP_AGE_ALERT: Rule = {
  id: 'PGR-BACKUP-004',
  level: RuleLevel.WARNING,
  name: 'Backups are taken but no alert fires when the last one is too old',
  explanation: 'A backup job that stops running (suspended CronJob, deleted schedule, stuck operator) fails nothing and pages no one: the gap is found at restore time.',
  fix: 'Add the backup alert family (PostgresAlerts with backups) so an alert fires when the newest successful backup is older than its schedule allows.',
  check: (app) => {
    const ages = alertRules(app).filter(({ rule }) => /last_(successful_time|available_backup_timestamp)|backup.*timestamp/.test(String(rule.expr)));
    return ages.length > 0 ? [] : backupObjects(app).map((object) => ({ object, message: 'no PrometheusRule alert reads the age of the last successful backup' }));
  },
};
