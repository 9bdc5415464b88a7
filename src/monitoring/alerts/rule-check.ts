import { AlertRule } from './alert-rule';
import { exprProblem, labelNameProblem } from './promql';
import { promqlProblems } from './promql-syntax';
import { propError } from '../../core/errors';

/**
 * The problems Prometheus would have loading a PrometheusRule as emitted: every rule's PromQL
 * (grammar, types, portability) and label names, each message naming the field and the rule.
 */
export function prometheusRuleCheck(manifest: any): string[] {
  const groups: unknown = manifest?.spec?.groups;
  if (!Array.isArray(groups)) return [];
  const problems: string[] = [];
  groups.forEach((group, i) => {
    const rules: unknown = group?.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule, j) => {
      const at = `spec.groups[${i}].rules[${j}]`;
      const name = rule?.alert !== undefined ? `alert "${rule.alert}"` : `record "${rule?.record}"`;
      // `expr` is an IntOrString in the CRD: a bare number is a valid expression.
      const expr = typeof rule?.expr === 'number' ? String(rule.expr) : rule?.expr;
      if (typeof expr === 'string') problems.push(...promqlProblems(expr).map((p) => `${at}.expr (${name}): ${p}`));
      for (const label of Object.keys(rule?.labels ?? {})) {
        const problem = labelNameProblem(label);
        if (problem) problems.push(`${at}.labels (${name}): "${label}" is not ${problem}`);
      }
    });
  });
  return problems;
}

/**
 * Checks a rule as Prometheus would load it: its name, its PromQL, its label names and its pending period.
 * Throws naming `where`, the field and the value.
 */
export function checkRule(where: string, rule: AlertRule): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rule.name ?? '')) throw propError(where, 'name', rule.name, 'an alert name: letters, digits and "_"');
  const problem = exprProblem(rule.expr);
  if (problem) throw propError(where, `${rule.name}.expr`, rule.expr, problem);
  for (const name of Object.keys(rule.labels ?? {})) {
    const labelProblem = labelNameProblem(name);
    if (labelProblem) throw propError(where, `${rule.name}.labels`, name, labelProblem);
  }
  if (rule.pendingFor !== undefined && !(rule.pendingFor.toSeconds({ integral: false }) >= 0)) {
    throw propError(where, `${rule.name}.pendingFor`, rule.pendingFor.toHumanString(), 'a duration of 0 or more');
  }
}

/**
 * Checks a user's rule expression with the PromQL grammar and types, when it is given (the
 * catalog's own rules are checked at synth, with the rest of the PrometheusRule).
 */
export function checkExpr(where: string, rule: AlertRule): void {
  const problems = promqlProblems(rule.expr);
  if (problems.length > 0) throw propError(where, `${rule.name}.expr`, rule.expr, problems.join('; '));
}
