import { Duration } from 'cdk8s';
import { exprProblem, labelNameProblem } from './promql';
import { promqlProblems } from './promql-syntax';
import { propError } from '../../core/errors';

/** How urgent an alert is (the `severity` label routed by Alertmanager). */
export class Severity {
  /** Someone should act now. */
  public static readonly CRITICAL = new Severity('critical');
  /** Someone should look today. */
  public static readonly WARNING = new Severity('warning');
  public static readonly INFO = new Severity('info');

  private constructor(
    /** The label value. */
    public readonly value: string,
  ) {}
}

/** One Prometheus alerting rule. */
export interface AlertRule {
  /** Alert name, e.g. `PostgresReplicationLagHigh`; unique in the catalog. */
  readonly name: string;
  /** PromQL expression; the alert fires for each series it returns. */
  readonly expr: string;
  /**
   * The pending period: how long the expression must keep returning a series before the alert
   * fires (Prometheus' `for`).
   * @default - at once
   */
  readonly pendingFor?: Duration;
  /** How urgent the alert is; becomes the `severity` label. */
  readonly severity: Severity;
  /** One line for the notification title; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** What is wrong and why it matters. */
  readonly description: string;
  /**
   * Runbook link.
   * @default - the family's runbook in this repository's docs/runbooks
   */
  readonly runbookUrl?: string;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
}

/** Where a family reads its metrics from. */
export class MetricSource {
  /** postgres_exporter with the library's custom queries (`ExporterQueries.defaults()`). */
  public static readonly POSTGRES_EXPORTER = new MetricSource('postgres_exporter');
  /** CloudNativePG's instance metrics (`cnpg_*`). */
  public static readonly CNPG = new MetricSource('cnpg');

  private constructor(
    /** Source id. */
    public readonly id: string,
  ) {}
}

/** A Prometheus duration literal, e.g. `5m`, `8d`, `90s`. */
export function promDuration(duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
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
