import { IConstruct } from 'constructs';
import { closest } from './gucs/did-you-mean';
import { CNPG_MANAGED, PER_TRANSACTION } from './gucs/managed';
import { KNOWN_MAJORS, PostgresSetting, postgresSettings, TargetMajor } from './postgres-settings';
import { propError } from '../core/errors';

const MEMORY_UNITS: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** A WAL segment is 16MB unless initdb is told otherwise; PostgreSQL needs two for min/max_wal_size. */
const WAL_SEGMENT_MB = 16;

/**
 * PostgreSQL refuses a max_stack_depth above the process's stack limit less 512kB; a container's
 * limit is 8MB unless its runtime says otherwise.
 */
const MAX_STACK_DEPTH_KB = 8 * 1024 - 512;

/**
 * Server processes PostgreSQL can address (MAX_BACKENDS): connections, autovacuum workers,
 * background workers and WAL senders (plus the launcher) must fit together. Unset ones count
 * with CloudNativePG's or PostgreSQL's default.
 */
const MAX_BACKENDS = 262143;
const BACKEND_DEFAULTS: Record<string, number> = { max_connections: 100, autovacuum_max_workers: 3, max_worker_processes: 32, max_wal_senders: 10 };

/** What a value is read against: a setting's type and base unit. */
export type ValueShape = Pick<PostgresSetting, 'type' | 'unit'>;

/**
 * Refuses a parameter PostgreSQL would not start with, one CloudNativePG would refuse or
 * overwrite, or one that would add a line to the rendered configuration. Names are checked
 * against the parameters of the target major (extension parameters, `ext.name`, are taken as
 * given), values against the parameter's type, unit, range and accepted spellings, as the
 * server reads them.
 * @see https://www.postgresql.org/docs/current/config-setting.html
 */
export function checkParameterValues(scope: IConstruct, parameters: Record<string, string>, target: TargetMajor): void {
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(parameters)) {
    const prop = `parameters.${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
      throw propError(scope, prop, name, 'a parameter name: letters, digits and "_" (with one "." for an extension\'s, e.g. pg_stat_statements.max)');
    }
    if (typeof value !== 'string' || /[\x00-\x1f\x7f]/.test(value)) {
      throw propError(scope, prop, value, 'a value on a single line, without control characters (a newline would start another setting)');
    }
    const key = name.toLowerCase();
    if (seen.has(key)) throw propError(scope, prop, name, `PostgreSQL ignores the case of names: this is parameters.${seen.get(key)} again; give it once`);
    seen.set(key, name);
    const managed = CNPG_MANAGED[key];
    if (managed) throw propError(scope, prop, value, `CloudNativePG manages ${key} itself and refuses or overwrites it in parameters; use ${managed}`);
    if (key.includes('.')) continue;
    const setting = knownSetting(scope, prop, name, target);
    checkValue(scope, prop, value, setting, target);
    if ((key === 'min_wal_size' || key === 'max_wal_size') && baseValue(value, setting)! < 2 * WAL_SEGMENT_MB) {
      throw propError(scope, prop, value, `at least twice the ${WAL_SEGMENT_MB}MB WAL segment (${2 * WAL_SEGMENT_MB}MB); PostgreSQL refuses to start with less`);
    }
    if (key === 'max_stack_depth' && baseValue(value, setting)! > MAX_STACK_DEPTH_KB) {
      throw propError(scope, prop, value, `at most ${MAX_STACK_DEPTH_KB}kB: PostgreSQL refuses more than the stack limit (8MB in a container) less 512kB`);
    }
  }
  checkBackendCount(scope, parameters, seen);
}

function checkBackendCount(scope: IConstruct, parameters: Record<string, string>, names: Map<string, string>): void {
  const count = (key: string) => (names.has(key) ? Number(parameters[names.get(key)!]) : BACKEND_DEFAULTS[key]);
  const total = Object.keys(BACKEND_DEFAULTS).reduce((sum, key) => sum + count(key), 1);
  if (total > MAX_BACKENDS) {
    const largest = Object.keys(BACKEND_DEFAULTS).filter((key) => names.has(key)).sort((a, b) => count(b) - count(a))[0];
    throw propError(scope, `parameters.${names.get(largest)}`, parameters[names.get(largest)!],
      `max_connections + autovacuum_max_workers + max_worker_processes + max_wal_senders + 1 at most ${MAX_BACKENDS} (PostgreSQL's process limit); they add up to ${total}`);
  }
}

function knownSetting(scope: IConstruct, prop: string, name: string, target: TargetMajor): PostgresSetting {
  const key = name.toLowerCase();
  const { byName } = postgresSettings(target.major);
  const setting = byName.get(key);
  if (!setting) {
    const elsewhere = KNOWN_MAJORS.filter((m) => m !== target.major && postgresSettings(m).byName.has(key));
    const guess = closest(name, byName.keys());
    const hint = elsewhere.length ? `; it is a parameter of PostgreSQL ${elsewhere.join(', ')} only` : guess ? `; did you mean ${guess}?` : '';
    throw propError(scope, prop, name, `a PostgreSQL ${target.major} parameter${target.caveat}; there is none of that name${hint} `
      + '(an extension\'s parameter takes its prefix, e.g. pg_stat_statements.max)');
  }
  if (setting.context === 'internal') {
    throw propError(scope, prop, name, `a parameter that can be set; ${setting.name} is read-only (PostgreSQL computes it or fixes it at initdb or build time)`);
  }
  if (PER_TRANSACTION[key]) {
    throw propError(scope, prop, name, `${PER_TRANSACTION[key]}: ${key} is the current transaction's and cannot be applied from a configuration file`);
  }
  return setting;
}

function checkValue(scope: IConstruct, prop: string, value: string, setting: PostgresSetting, target: TargetMajor): void {
  switch (setting.type) {
    case 'bool':
      if (!isBool(value)) throw propError(scope, prop, value, 'a boolean as PostgreSQL reads it: on, off, true, false, yes, no, 1 or 0 (any case; an unambiguous prefix such as "t" or "of" too)');
      return;
    case 'enum':
      if (![...setting.values!, ...setting.aliases ?? []].some((v) => v.toLowerCase() === value.toLowerCase())) {
        throw propError(scope, prop, value, `one of ${setting.values!.join(', ')} (PostgreSQL ${target.major}${target.caveat}; any case)`);
      }
      return;
    case 'integer':
    case 'real':
      if (setting.unit) checkUnitValue(scope, prop, value, setting);
      else checkNumber(scope, prop, value, setting);
      return;
    default:
      return;
  }
}

/** PostgreSQL's parse_bool: the words in any case, prefixes of them where unambiguous ("o" is not). */
function isBool(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '1' || v === '0') return true;
  const word = ['true', 'false', 'yes', 'no', 'on', 'off'].find((w) => w.startsWith(v));
  return v.length > 0 && word !== undefined && (v[0] !== 'o' || v.length >= 2);
}

function checkNumber(scope: IConstruct, prop: string, value: string, setting: PostgresSetting): void {
  const min = setting.min!;
  const max = setting.max!;
  const number = setting.type === 'integer' ? /^\s*-?(0|[1-9]\d*)\s*$/ : /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
  if (!number.test(value) || Number(value) < min || Number(value) > max) {
    const kind = setting.type === 'integer' ? (min >= 1 ? 'a positive integer' : 'an integer') : 'a number';
    throw propError(scope, prop, value, `${kind} from ${min} to ${max}`);
  }
}

/** A setting's value in its base unit as PostgreSQL computes it, or undefined if unreadable. */
export function baseValue(value: string, setting: ValueShape): number | undefined {
  const { units, base } = unitsOf(setting.unit ?? '');
  // No leading zeros: PostgreSQL would read "010" as octal.
  const match = /^\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match || (match[2] !== '' && units[match[2]] === undefined)) return undefined;
  const raw = match[2] === '' ? Number(match[1]) : (Number(match[1]) * units[match[2]]) / base;
  return setting.type === 'real' ? raw : roundHalfEven(raw);
}

function checkUnitValue(scope: IConstruct, prop: string, value: string, setting: PostgresSetting): void {
  const unit = setting.unit!;
  const { units } = unitsOf(unit);
  const converted = baseValue(value, setting);
  const unitList = Object.keys(units).join(', ');
  if (converted === undefined) {
    throw propError(scope, prop, value, `a number with one of PostgreSQL's units ${unitList} (case-sensitive; no unit means ${unit}), e.g. "${example(unit)}"`);
  }
  const min = setting.min!;
  const max = setting.max!;
  if (converted < min || converted > max) {
    const special = min === -1 ? ' (or -1)' : '';
    throw propError(scope, prop, value, `at least ${show(Math.max(min, 0), unit)}${special} (PostgreSQL's minimum) and at most ${show(max, unit)}`);
  }
}

function unitsOf(unit: string): { units: Record<string, number>; base: number } {
  if (unit === '8kB') return { units: MEMORY_UNITS, base: 8192 };
  if (unit in MEMORY_UNITS) return { units: MEMORY_UNITS, base: MEMORY_UNITS[unit] };
  if (unit in TIME_UNITS) return { units: TIME_UNITS, base: TIME_UNITS[unit] };
  throw new Error(`unit "${unit}" of a generated parameter list is not one the library converts`);
}

function show(amount: number, unit: string): string {
  if (unit === '8kB') return `${amount * 8}kB`;
  return `${amount}${unit}`;
}

function example(unit: string): string {
  return unit in TIME_UNITS ? '30s' : '64MB';
}

/** C's rint(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
