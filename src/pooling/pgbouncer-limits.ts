import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * PgBouncer's own limits, from its source (include/bouncer.h, src/util.c) and confirmed with
 * PgBouncer 1.18 in the contract tests. A value past one of them does not fail loudly in every
 * case: a long `[databases]` name stops PgBouncer at start-up ("too long db name"), a long user
 * name is silently truncated, and an integer past C's `int` wraps around to a negative number.
 * @see https://github.com/pgbouncer/pgbouncer/blob/master/include/bouncer.h
 */
export const PGBOUNCER_LIMITS = {
  /** MAX_DBNAME is 64 bytes including the terminating NUL (PostgreSQL's NAMEDATALEN). */
  databaseNameBytes: 63,
  /** MAX_USERNAME is 128 bytes including the terminating NUL. */
  userNameBytes: 127,
  /** Integer settings are C `int`s. */
  maxInteger: 2147483647,
} as const;

/** Throws unless `value` is an integer in [min, max] that PgBouncer's `int` settings can hold. */
export function checkPgBouncerInteger(
  scope: IConstruct, prop: string, value: number | undefined, min: number, max: number = PGBOUNCER_LIMITS.maxInteger,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, value, `expected an integer from ${min} to ${max}${max === PGBOUNCER_LIMITS.maxInteger ? ' (PgBouncer keeps it in a C int)' : ''}`);
  }
}

/**
 * Throws unless `name` is a name PgBouncer keeps whole: at most `maxBytes` bytes of UTF-8.
 * @param what what the name is, for the message ("a [databases] name")
 */
export function checkNameLength(scope: IConstruct, prop: string, name: string | undefined, maxBytes: number, what: string): void {
  if (name === undefined) return;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > maxBytes) {
    throw propError(scope, prop, name.length > 80 ? `${name.slice(0, 77)}...` : name,
      `${what} may be at most ${maxBytes} bytes in PgBouncer (got ${bytes}); shorten it`);
  }
}

/**
 * Throws unless every element of a list setting survives PgBouncer's list syntax: the list is
 * one line whose items are separated by commas *or whitespace* (util.c `strlist_contains`:
 * "It does not support space inside tokens"), so `'a,b'` or `'a b'` would become two items.
 */
export function checkListItems(scope: IConstruct, prop: string, items: readonly string[] | undefined, maxBytes?: number): void {
  items?.forEach((item, i) => {
    if (typeof item !== 'string' || item === '' || /[,\s\0]/.test(item)) {
      throw propError(scope, `${prop}[${i}]`, item, 'PgBouncer splits this list at commas and whitespace: give one non-empty item without either');
    }
    if (maxBytes !== undefined) checkNameLength(scope, `${prop}[${i}]`, item, maxBytes, 'a user name');
  });
}

/**
 * Checks a time setting and returns it in milliseconds. PgBouncer reads times as seconds with a
 * fraction (to microseconds); the library writes whole milliseconds, so a duration that is not
 * one would be rounded and, below 1 ms, turn a timeout into 0 ("disabled").
 */
export function checkPgBouncerTime(scope: IConstruct, prop: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = millisOf(value);
  if (!Number.isFinite(ms) || ms < 0 || !Number.isInteger(ms) || ms > Number.MAX_SAFE_INTEGER) {
    throw propError(scope, prop, shown(ms), 'expected a finite Duration of whole milliseconds');
  }
  return ms;
}

/**
 * Checks a setting PgBouncer reads as an integer number of seconds (`stats_period`, a C int:
 * `stats_period = 0.5` stops PgBouncer at start-up with "invalid value").
 */
export function checkPgBouncerWholeSeconds(scope: IConstruct, prop: string, value: Duration | undefined, minSeconds: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = millisOf(value);
  const seconds = ms / 1000;
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > PGBOUNCER_LIMITS.maxInteger) {
    throw propError(scope, prop, shown(ms), `PgBouncer reads it as whole seconds (a C int): expected ${minSeconds} to ${PGBOUNCER_LIMITS.maxInteger} whole seconds`);
  }
  return seconds;
}

function millisOf(value: Duration): number {
  try {
    return value.toMilliseconds({ integral: false });
  } catch {
    return Number.NaN;
  }
}

/** In milliseconds: cdk8s's toHumanString() rounds (1500 ms reads "1 second"). */
function shown(ms: number): string {
  return Number.isNaN(ms) ? 'an invalid Duration' : `${ms} ms`;
}
