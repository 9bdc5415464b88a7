import { acknowledgementFor } from './acknowledgements';
import { CheckedApp } from './app-view';
import { ALL_RULES } from './rules';

/** One finding of the reliability pack. */
export interface ReliabilityFinding {
  /** The rule, e.g. `PGR-BACKUP-001`. */
  readonly ruleId: string;
  /** ERROR, WARNING or INFO. */
  readonly level: string;
  /** The construct path of the object found (or `Kind/namespace/name` for plain YAML). */
  readonly path: string;
  /** What is wrong with this object. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
  /**
   * The reason the finding was acknowledged with.
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}

/** Every rule over the view, skipping `excluded` ids; findings ordered by rule, then path. */
export function runRules(app: CheckedApp, excluded: readonly string[] = []): ReliabilityFinding[] {
  const findings: ReliabilityFinding[] = [];
  for (const rule of ALL_RULES.filter((r) => !excluded.includes(r.id))) {
    const seen = new Set<string>();
    for (const raw of rule.check(app)) {
      const key = `${raw.object.path}\n${raw.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ack = acknowledgementFor(raw.object.construct, rule.id);
      findings.push({
        ruleId: rule.id,
        level: rule.level.name,
        path: raw.object.path,
        message: raw.message,
        fix: rule.fix,
        ...(ack ? { acknowledgedReason: ack.reason } : {}),
      });
    }
  }
  return findings;
}

/** One line per finding: `[path] ID LEVEL: message. Fix: ...`. */
export function describeFinding(f: ReliabilityFinding): string {
  return `[${f.path}] ${f.ruleId} ${f.level}: ${f.message}. Fix: ${f.fix}${f.acknowledgedReason ? ` (acknowledged: ${f.acknowledgedReason})` : ''}`;
}
