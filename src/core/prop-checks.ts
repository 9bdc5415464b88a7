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

/**
 * Throws unless `value` is an absolute path that every reader takes verbatim: pgBackRest refuses
 * a relative path ("must begin with /") and "//"; a space or newline breaks its config file and
 * the shell commands the library writes; "." and ".." segments make two spellings of one
 * directory, so mounts and pg1-path would silently disagree. `maxLength` bounds the whole path
 * (a unix socket path, for one, must fit in 107 bytes).
 */
export function checkAbsolutePath(scope: IConstruct, prop: string, value: string | undefined, maxLength = 4095): void {
  if (value === undefined) return;
  const segments = typeof value === 'string' ? value.split('/').slice(1) : [];
  const ok = typeof value === 'string' && value.startsWith('/') && value.length <= maxLength
    && segments.length > 0 && segments.every((s) => /^[A-Za-z0-9_.+@~-]+$/.test(s) && s !== '.' && s !== '..');
  if (!ok) {
    throw propError(scope, prop, value, `expected an absolute path such as "/var/lib/postgresql/data" (at most ${maxLength} characters): `
      + 'segments of letters, digits and "._+@~-", no ".", ".." or empty segment, no trailing "/"');
  }
}

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
