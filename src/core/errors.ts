import { IConstruct } from 'constructs';

/**
 * Builds the one error shape the library throws for a bad prop: it names the construct path,
 * the prop, the value received and what would be accepted, so the fix is in the message.
 */
export function propError(scope: IConstruct | string, prop: string, value: unknown, expected: string): Error {
  const where = typeof scope === 'string' ? scope : scope.node.path || '<root>';
  return new Error(`[${where}] ${prop}: got ${describe(value)}; ${expected}`);
}

/** Renders a received value for an error message without dumping whole objects. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
