import { Duration } from 'cdk8s';

/** How urgent an alert is (the `severity` label routed by Alertmanager). */
export class Severity {
  /** Someone should act now. */
  public static readonly CRITICAL = new Severity('critical');
  /** Someone should look today. */
  public static readonly WARNING = new Severity('warning');
  /** Worth knowing; nobody needs to act. */
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
   * Runbook link (the `runbook_url` annotation).
   * @default - the catalog's link for the alert (`PostgresAlertsProps.runbooks`)
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
