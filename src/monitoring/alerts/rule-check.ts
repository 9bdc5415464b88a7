import { labelNameProblem } from './promql';
import { promqlProblems } from './promql-syntax';

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
