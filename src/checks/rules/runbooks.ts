import { alertRules } from '../app-view';
import { Rule, RuleLevel } from '../rule';

export const ALERT_WITHOUT_RUNBOOK: Rule = {
  id: 'PGR-MON-001',
  level: RuleLevel.WARNING,
  name: 'An alert has no runbook_url',
  explanation: 'The person paged at 3 a.m. for PostgresWalArchivingFailing needs the steps, not a metric name: alerts without runbooks get silenced instead of fixed.',
  fix: 'Give every alert an annotations.runbook_url (PostgresAlerts links its runbooks; set runbookBaseUrl for your own).',
  check: (app) => alertRules(app).filter(({ rule }) => !rule.annotations?.runbook_url)
    .map(({ object, rule }) => ({ object, message: `alert ${rule.alert} has no runbook_url annotation` })),
};
