// The reliability rule pack's public API, by name: rules, views and runners stay internal.
export { ReliabilityChecks } from './reliability-checks';
export type { ReliabilityChecksOptions, ReliabilityReport, ReliabilityRuleInfo } from './reliability-checks';
export { Reliability } from './acknowledgements';
export { RuleLevel } from './rule';
export type { ReliabilityAcknowledgement } from './acknowledgements';
export type { ReliabilityFinding } from './findings';
