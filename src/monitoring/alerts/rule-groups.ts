import { AlertFamily } from './alert-family';
import { AlertRule } from './alert-rule';
import { AlertContext } from './families/cronjobs';
import { promDuration } from './prom-values';
import { checkRule } from './rule-check';
import { RunbookLinks } from './runbook-links';

/** A rule group as Prometheus and prometheus-operator read it. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: Array<Record<string, unknown>>;
}

/**
 * Renders families as rule groups `postgresql.<family>`, rules in the family's order, each rule
 * checked as Prometheus would load it (`where` names the construct in errors).
 */
export function ruleGroups(
  where: string, families: readonly AlertFamily[], ctx: AlertContext, runbooks: RunbookLinks, extraLabels: Record<string, string>,
): RuleGroup[] {
  return families.map((family) => ({
    name: `postgresql.${family.name}`,
    rules: family._render(ctx).map((rule) => {
      checkRule(`${where} (group postgresql.${family.name})`, rule);
      return renderRule(rule, rule.runbookUrl ?? runbooks.urlFor(rule.name, family.name), extraLabels);
    }),
  }));
}

function renderRule(rule: AlertRule, runbook: string | undefined, extraLabels: Record<string, string>): Record<string, unknown> {
  return {
    alert: rule.name,
    expr: rule.expr,
    ...(rule.pendingFor ? { for: promDuration(rule.pendingFor) } : {}),
    labels: { ...extraLabels, ...rule.labels, severity: rule.severity.value },
    annotations: { summary: rule.summary, description: rule.description, ...(runbook !== undefined ? { runbook_url: runbook } : {}) },
  };
}
