import { IConstruct } from 'constructs';
import { ALL_RULES } from './rules';
import { propError } from '../core/errors';

const METADATA_TYPE = 'cdk8s-pg-reliability:acknowledgement';

/** A deliberate exception to a reliability rule, recorded on a construct. */
export interface ReliabilityAcknowledgement {
  /** The rule acknowledged, e.g. `PGR-HA-001`. */
  readonly ruleId: string;
  /** Why the exception is deliberate. */
  readonly reason: string;
  /** The construct path the acknowledgement was recorded on (it covers that subtree). */
  readonly path: string;
}

/**
 * Deliberate exceptions to the reliability rules. An acknowledgement covers the construct it is
 * recorded on and everything below it, and always carries a reason, which the report lists.
 */
export class Reliability {
  /**
   * Acknowledges `ruleId` for `scope` and its subtree: its findings no longer fail synth or warn,
   * and the report lists them with the reason.
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (!ALL_RULES.some((r) => r.id === ruleId)) {
      throw propError(scope, 'ruleId', ruleId, `expected one of the pack's rule ids (${ALL_RULES.map((r) => r.id).join(', ')})`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw propError(scope, 'reason', reason, `an acknowledgement of ${ruleId} needs a reason: say why the exception is deliberate`);
    }
    scope.node.addMetadata(METADATA_TYPE, { ruleId, reason: reason.trim() });
  }

  /** Every acknowledgement recorded on `scope` and below it. */
  public static acknowledgementsOf(scope: IConstruct): ReliabilityAcknowledgement[] {
    return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === METADATA_TYPE)
      .map((m) => ({ ruleId: m.data.ruleId, reason: m.data.reason, path: c.node.path })));
  }

  private constructor() {}
}

/** The acknowledgement of `ruleId` covering `construct` (on it or an ancestor, nearest first). */
export function acknowledgementFor(construct: IConstruct | undefined, ruleId: string): ReliabilityAcknowledgement | undefined {
  if (!construct) return undefined;
  for (const scope of [...construct.node.scopes].reverse()) {
    const found = scope.node.metadata.find((m) => m.type === METADATA_TYPE && m.data.ruleId === ruleId);
    if (found) return { ruleId, reason: found.data.reason, path: scope.node.path };
  }
  return undefined;
}
