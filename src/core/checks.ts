import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from './errors';

/** Throws the library's prop error unless `value` is an integer in [min, max]. */
export function checkInteger(scope: IConstruct, prop: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    throw propError(scope, prop, value, `expected ${range}`);
  }
}

/**
 * Throws unless `value` is a finite duration (cdk8s already refuses negative amounts when the
 * Duration is made) and returns it in milliseconds.
 */
export function checkDuration(scope: IConstruct, prop: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = attempt(() => value.toMilliseconds({ integral: false }), Number.NaN);
  if (!Number.isFinite(ms) || ms < 0) {
    throw propError(scope, prop, attempt(() => value.toHumanString(), 'an invalid Duration'), 'expected a finite, non-negative Duration');
  }
  return ms;
}

/** Throws unless `value` is a non-empty single-line string. */
export function checkText(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value.trim() === '' || /[\r\n\0]/.test(value)) {
    throw propError(scope, prop, value, 'expected a non-empty, single-line string');
  }
}

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
