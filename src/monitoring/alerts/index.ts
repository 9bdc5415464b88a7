// Only what jsii can see: classes, structs and enum-like classes. The renderers, checkers and
// value helpers (rule-groups, rule-check, prom-values, promql*) stay internal.
export * from './alert-rule';
export * from './alert-options';
export * from './alert-family';
export * from './postgres-alerts';
export * from './runbook-links';
