import { AlertFamily } from './alert-family';
import { AlertRule } from './alert-rule';
import { AlertContext } from './families/cronjobs';
import { promDuration } from './prom-values';
import { checkRule } from './rule-check';

/** A rule group as Prometheus and prometheus-operator read it. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: Array<Record<string, unknown>>;
}

/** Where runbooks live unless an alert or the catalog says otherwise. */
export const DEFAULT_RUNBOOK_BASE = 'https://github.com/maintainers/cdk8s-pg-reliability/blob/main/docs/runbooks';

/** The runbook of an alert of a family: docs/runbooks/<family>.md, section named after the alert. */
export function runbookUrl(base: string, family: string, alert: string): string {
  return `${base.replace(/\/$/, '')}/${family}.md#${alert.toLowerCase()}`;
}

/**
 * Renders families as rule groups `postgresql.<family>`, rules in the family's order, each rule
 * checked as Prometheus would load it (`where` names the construct in errors).
 */
export function ruleGroups(
  where: string, families: readonly AlertFamily[], ctx: AlertContext, runbookBase: string, extraLabels: Record<string, string>,
): RuleGroup[] {
  return families.map((family) => ({
    name: `postgresql.${family.name}`,
    rules: family._render(ctx).map((rule) => {
      checkRule(`${where} (group postgresql.${family.name})`, rule);
      return renderRule(rule, runbookUrl(runbookBase, family.name, rule.name), extraLabels);
    }),
  }));
}

function renderRule(rule: AlertRule, runbook: string, extraLabels: Record<string, string>): Record<string, unknown> {
  return {
    alert: rule.name,
    expr: rule.expr,
    ...(rule.pendingFor ? { for: promDuration(rule.pendingFor) } : {}),
    labels: { ...extraLabels, ...rule.labels, severity: rule.severity.value },
    annotations: { summary: rule.summary, description: rule.description, runbook_url: rule.runbookUrl ?? runbook },
  };
}
