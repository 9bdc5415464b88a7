import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertFamily } from './alert-family';
import { AlertRule } from './alert-rule';
import { DEFAULT_RUNBOOK_BASE, RuleGroup, ruleGroups } from './rule-groups';
import { propError } from '../../core/errors';
import { SchemaValidation } from '../../core/schema-validation';

/** Props of `PostgresAlerts`. */
export interface PostgresAlertsProps {
  /**
   * The alert families to install.
   * @default AlertFamily.all()
   */
  readonly families?: AlertFamily[];
  /**
   * Base URL of the runbooks; each alert links to `<base>/<family>.md#<alert>`.
   * @default - this repository's docs/runbooks
   */
  readonly runbookBaseUrl?: string;
  /**
   * Labels added to every alert (e.g. `team`), and to the PrometheusRule for the Prometheus
   * rule selector.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
}

/**
 * A PrometheusRule with the library's alert catalog: families of typed alerts, each with a
 * severity, a summary, a description and a runbook link. Add your own with `addAlert()`.
 */
export class PostgresAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly resource: ApiObject;
  private readonly families: AlertFamily[];
  private readonly custom: AlertRule[] = [];
  private rendered?: RuleGroup[];
  private readonly runbookBase: string;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: PostgresAlertsProps = {}) {
    super(scope, id);
    this.families = [...(props.families ?? AlertFamily.all())];
    this.runbookBase = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE;
    this.labels = props.labels ?? {};
    // A plain ApiObject rather than the generated class, whose typed mapper expects `expr` as an
    // IntOrString object; the CRD schema still checks every field at synth.
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { labels: this.labels },
      // Rendered at synth, so alerts added after construction are included.
      spec: Lazy.any({ produce: () => ({ groups: this.groups() }) }),
    });
    SchemaValidation.addTo(this.resource);
    this.node.addValidation({ validate: () => this.duplicates() });
  }

  /** Adds an alert of your own to the `postgresql.custom` group. */
  public addAlert(alert: AlertRule): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alert.name ?? '')) throw propError(this, 'addAlert.name', alert.name, 'an alert name: letters, digits and "_"');
    if (!alert.expr || alert.expr.trim() === '') throw propError(this, `addAlert(${alert.name}).expr`, alert.expr, 'a PromQL expression');
    this.custom.push(alert);
    this.rendered = undefined;
  }

  /** The rule groups as they will be synthesized (`spec.groups`, also a valid Prometheus rule file's `groups`). */
  public ruleGroups(): any {
    return this.groups();
  }

  private groups(): RuleGroup[] {
    // Synth reads the groups several times (spec, duplicate check, schema check): render once.
    if (!this.rendered) {
      const families = this.custom.length > 0 ? [...this.families, AlertFamily.custom('custom', this.custom)] : this.families;
      this.rendered = ruleGroups(families, this.runbookBase, this.labels);
    }
    return this.rendered;
  }

  private duplicates(): string[] {
    const names = this.groups().flatMap((g) => g.rules.map((r) => r.alert as string));
    const dup = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    return dup.length > 0 ? [`alert names must be unique: ${dup.map((d) => `"${d}"`).join(', ')} appear more than once (PrometheusRule alerts are matched by name)`] : [];
  }
}
