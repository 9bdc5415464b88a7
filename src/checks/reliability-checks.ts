import { IConstruct } from 'constructs';
import { Reliability, ReliabilityAcknowledgement } from './acknowledgements';
import { viewOfTree } from './app-view';
import { describeFinding, ReliabilityFinding, runRules } from './findings';
import { ALL_RULES } from './rules';
import { propError } from '../core/errors';
import { addSynthValidation } from '../core/synth-scope';
import { Warnings } from '../core/warnings';

/** How the pack is applied. */
export interface ReliabilityChecksOptions {
  /**
   * Hold every database to production standards (a single instance is an error).
   * @default false - only objects labelled `environment: production` (or `env`, `app.kubernetes.io/environment`)
   */
  readonly production?: boolean;
  /**
   * Rule ids not run at all under this scope (prefer `Reliability.acknowledge` with a reason).
   * @default - every rule runs
   */
  readonly excludeRules?: string[];
}

/** A rule of the pack, as RULES.md lists it. */
export interface ReliabilityRuleInfo {
  /** The rule id, e.g. `PGR-BACKUP-001`. */
  readonly id: string;
  /** ERROR, WARNING or INFO. */
  readonly level: string;
  /** One line: what the rule refuses. */
  readonly name: string;
  /** Why a database reviewer refuses it. */
  readonly explanation: string;
  /** What to change. */
  readonly fix: string;
}

/** What the pack found, acknowledged findings included, as text and JSON. */
export interface ReliabilityReport {
  /** Findings not acknowledged. */
  readonly findings: ReliabilityFinding[];
  /** Findings acknowledged, with their reasons. */
  readonly acknowledged: ReliabilityFinding[];
  /** Every acknowledgement recorded under the scope (also those that matched no finding). */
  readonly acknowledgements: ReliabilityAcknowledgement[];
  /** The report as lines of text. */
  readonly text: string;
  /** The report as JSON (findings, acknowledged, acknowledgements). */
  readonly json: string;
}

const APPLIED = Symbol.for('cdk8s-pg-reliability.checks');

/**
 * The reliability rule pack, shaped like cdk-nag: every rule in `src/checks/rules` runs once per
 * synth over the whole app; findings on objects under the scope fail synth (errors) or print a
 * warning, unless acknowledged with `Reliability.acknowledge(scope, ruleId, reason)`.
 *
 * @example ReliabilityChecks.applyTo(app, { production: true });
 */
export class ReliabilityChecks {
  /** Adds the pack's validation to `scope` (an App or a Chart); applying it twice returns the first. */
  public static applyTo(scope: IConstruct, options: ReliabilityChecksOptions = {}): ReliabilityChecks {
    const existing = (scope as any)[APPLIED];
    if (existing instanceof ReliabilityChecks) return existing;
    const pack = new ReliabilityChecks(scope, options);
    Object.defineProperty(scope, APPLIED, { value: pack });
    return pack;
  }

  /** Every rule of the pack, in id order. */
  public static rules(): ReliabilityRuleInfo[] {
    return ALL_RULES.map((r) => ({ id: r.id, level: r.level.name, name: r.name, explanation: r.explanation, fix: r.fix }));
  }

  private readonly warned = new Set<string>();

  private constructor(private readonly scope: IConstruct, private readonly options: ReliabilityChecksOptions) {
    for (const id of options.excludeRules ?? []) {
      if (!ALL_RULES.some((r) => r.id === id)) throw propError(scope, 'excludeRules', id, `expected rule ids of the pack (${ALL_RULES.map((r) => r.id).join(', ')})`);
    }
    addSynthValidation(scope, () => {
      const open = this.findings().filter((f) => !f.acknowledgedReason);
      for (const f of open.filter((x) => x.level === 'WARNING')) {
        const line = `${f.ruleId}: [${f.path}] ${f.message}. Fix: ${f.fix}`;
        if (this.warned.has(line)) continue;
        this.warned.add(line);
        Warnings.add(scope, line);
      }
      return open.filter((f) => f.level === 'ERROR').map(describeFinding);
    });
  }

  /** Runs every rule now and reports findings and acknowledgements under the scope. */
  public report(): ReliabilityReport {
    const all = this.findings();
    const findings = all.filter((f) => !f.acknowledgedReason);
    const acknowledged = all.filter((f) => f.acknowledgedReason);
    const acknowledgements = Reliability.acknowledgementsOf(this.scope);
    const text = [
      `Reliability checks: ${findings.length} finding(s), ${acknowledged.length} acknowledged, ${ALL_RULES.length} rules`,
      ...findings.map(describeFinding),
      ...acknowledged.map(describeFinding),
      ...acknowledgements.map((a) => `acknowledgement ${a.ruleId} on [${a.path}]: ${a.reason}`),
    ].join('\n');
    const json = JSON.stringify({ findings, acknowledged, acknowledgements }, undefined, 2);
    return { findings, acknowledged, acknowledgements, text, json };
  }

  private findings(): ReliabilityFinding[] {
    const view = viewOfTree(this.scope.node.root, { now: new Date(), production: this.options.production ?? false });
    const prefix = this.scope.node.path;
    return runRules(view, this.options.excludeRules)
      .filter((f) => prefix === '' || f.path === prefix || f.path.startsWith(`${prefix}/`));
  }
}
