import { SUPPRESSION_MARKER } from './marker';
import { RawToken } from './parser';


/** A suppression comment as written. */
export interface Suppression {
  readonly ruleIds: readonly string[];
  readonly reason: string;
  /** Byte offset of the comment. */
  readonly start: number;
  /** Why the comment is not a valid suppression, when it is not. */
  readonly problem?: string;
}

/**
 * Reads the suppression comments among the scanner's tokens. Comments are tokens, so a marker
 * inside a string literal or a dollar-quoted body is never taken for one.
 */
export function readSuppressions(tokens: readonly RawToken[], source: Buffer, knownRules: ReadonlySet<string>): Suppression[] {
  const found: Suppression[] = [];
  for (const token of tokens) {
    if (token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT') continue;
    const text = source.subarray(token.start, token.end).toString('utf8')
      .replace(/^--/, '').replace(/^\/\*/, '').replace(/\*\/$/, '').trim();
    if (!text.startsWith(SUPPRESSION_MARKER)) continue;
    const words = text.slice(SUPPRESSION_MARKER.length).trim().split(/\s+/);
    if (words[0] !== 'allow' || !words[1]) {
      found.push({ ruleIds: [], reason: '', start: token.start, problem: `expected "${SUPPRESSION_MARKER} allow <rule-id> <reason>"` });
      continue;
    }
    const ruleIds = words[1].split(',').filter(Boolean);
    const reason = words.slice(2).join(' ');
    const unknown = ruleIds.filter((id) => !knownRules.has(id));
    const problem = unknown.length > 0
      ? `unknown rule ${unknown.join(', ')}`
      : reason.length < 10 ? 'a suppression needs a reason (at least a few words) after the rule id' : undefined;
    found.push({ ruleIds, reason, start: token.start, problem });
  }
  return found;
}
