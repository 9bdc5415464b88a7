import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertFamily } from './alert-family';
import { AlertRule } from './alert-rule';
import { AlertContext } from './families/cronjobs';
import { labelNameProblem } from './promql';
import { promqlProblems } from './promql-syntax';
import { checkRule, prometheusRuleCheck } from './rule-check';
import { RuleGroup, ruleGroups } from './rule-groups';
import { RunbookLinks } from './runbook-links';
import { propError } from '../../core/errors';
import { JOB_KINDS, libraryCronJobs } from '../../core/job-registry';
import { addManifestChecks } from '../../core/manifest-checks';
import { SchemaValidation } from '../../core/schema-validation';
import { addSynthValidation } from '../../core/synth-scope';
import { Warnings } from '../../core/warnings';

/** Props of `PostgresAlerts`. */
export interface PostgresAlertsProps {
  /**
   * The alert families to install.
   * @default AlertFamily.all()
   */
  readonly families?: AlertFamily[];
  /**
   * Where each alert's `runbook_url` annotation points (an alert's own `runbookUrl` wins).
   * @default RunbookLinks.packaged() - the runbooks shipped in this package, at its installed version
   */
  readonly runbooks?: RunbookLinks;
  /**
   * Labels added to every alert (e.g. `team`), and to the PrometheusRule for the Prometheus
   * rule selector. Names are Prometheus label names (`[a-zA-Z_][a-zA-Z0-9_]*`): a Kubernetes-style
   * `app.kubernetes.io/part-of` would make every rule invalid, so it is refused.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
}

/**
 * A PrometheusRule with the library's alert catalog: families of typed alerts, each with a
 * severity, a summary, a description and a runbook link. Add your own with `addAlert()`.
 *
 * Alerts about the library's CronJobs (backups, dumps, restore tests) select, at synth, exactly
 * the CronJobs of those kinds in the whole app (every chart), by their synthesized names; a kind
 * the app does not have gets no rule unless its family is given a pattern.
 */
export class PostgresAlerts extends Construct {
  /** The PrometheusRule. */
  public readonly resource: ApiObject;
  private readonly families: AlertFamily[];
  private readonly custom: AlertRule[] = [];
  private rendered?: { key: string; groups: RuleGroup[] };
  private warned = false;
  private readonly runbooks: RunbookLinks;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: PostgresAlertsProps = {}) {
    super(scope, id);
    this.families = [...(props.families ?? AlertFamily.all())];
    this.runbooks = props.runbooks ?? RunbookLinks.packaged();
    this.labels = props.labels ?? {};
    for (const name of Object.keys(this.labels)) {
      const problem = labelNameProblem(name);
      if (problem) throw propError(this, 'labels', name, problem);
    }
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
    // Reads the emitted rules, JSON patches included, in the object's one synth-time pass.
    addManifestChecks(this.resource, prometheusRuleCheck);
    addSynthValidation(this, () => this.findDuplicates());
  }

  /** Adds an alert of your own to the `postgresql.custom` group. */
  public addAlert(alert: AlertRule): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alert.name ?? '')) throw propError(this, 'addAlert.name', alert.name, 'an alert name: letters, digits and "_"');
    const problems = promqlProblems(alert.expr);
    if (problems.length > 0) throw propError(this, `addAlert(${alert.name}).expr`, alert.expr, problems.join('; '));
    checkRule(this.node.path, alert);
    this.custom.push(alert);
    this.rendered = undefined;
  }

  /**
   * The alerting rules as a Prometheus rule file (YAML with a top-level `groups:`): the same
   * groups the PrometheusRule's `spec.groups` will hold at synth, for `promtool check rules` or a
   * Prometheus that reads rule files without prometheus-operator.
   */
  public ruleFile(): string {
    return Yaml.stringify({ groups: this.groups() });
  }

  private groups(): RuleGroup[] {
    // Synth reads the groups several times (spec, duplicate check, schema check): render once
    // per set of CronJobs in the app (CronJobs added later render again).
    const ctx: AlertContext = { cronJobs: libraryCronJobs(this) };
    const key = JSON.stringify(ctx.cronJobs);
    if (this.rendered?.key !== key) {
      const families = this.custom.length > 0 ? [...this.families, AlertFamily.custom('custom', this.custom)] : this.families;
      this.rendered = { key, groups: ruleGroups(this.node.path, families, ctx, this.runbooks, this.labels) };
      this.warnUnwatched(this.rendered.groups);
    }
    return this.rendered.groups;
  }

  /** A backups family that watches no CronJob at all is most likely a mistake: say so once. */
  private warnUnwatched(groups: RuleGroup[]): void {
    const backups = groups.find((g) => g.name === 'postgresql.backups');
    if (this.warned || !backups || backups.rules.some((r) => /kube_|barman_/.test(String(r.expr)))) return;
    this.warned = true;
    Warnings.add(this, 'the backups family watches no CronJob: the app has no PgBackRestBackups or PgDumpBackup and no pattern was given, '
      + 'so the backup-age and failed-backup alerts are left out (give AlertFamily.backups() a pattern for CronJobs made elsewhere)');
  }

  private findDuplicates(): string[] {
    // Names do not depend on which CronJobs the app has, only on their kinds: check every name a
    // family can render, without walking the app.
    const everyKind: AlertContext = { cronJobs: JOB_KINDS.map((kind) => ({ kind, name: kind })) };
    const families = this.custom.length > 0 ? [...this.families, AlertFamily.custom('custom', this.custom)] : this.families;
    const names = families.flatMap((f) => f._render(everyKind).map((r) => r.name));
    const dup = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
    return dup.length > 0 ? [`alert names must be unique: ${dup.map((d) => `"${d}"`).join(', ')} appear more than once (PrometheusRule alerts are matched by name)`] : [];
  }
}
