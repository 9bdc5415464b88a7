import { IConstruct } from 'constructs';
import { UNIT_SETTINGS, UnitSetting } from './postgres-settings';
import { propError } from '../core/errors';

const MEMORY_UNITS: Record<string, number> = { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Unitless integers whose range PostgreSQL 15 enforces at start (`pg_settings.min_val/max_val`). */
const INTEGER_SETTINGS: Record<string, [number, number]> = {
  max_connections: [1, 262143],
  max_wal_senders: [0, 262143],
  max_replication_slots: [0, 262143],
  max_worker_processes: [0, 262143],
  max_parallel_workers: [0, 1024],
  max_parallel_workers_per_gather: [0, 1024],
  max_prepared_transactions: [0, 262143],
  max_locks_per_transaction: [10, 2147483647],
  autovacuum_max_workers: [1, 262143],
};

/** A WAL segment is 16MB unless initdb is told otherwise; PostgreSQL needs two for min/max_wal_size. */
const WAL_SEGMENT_MB = 16;

/**
 * Refuses a parameter PostgreSQL would not start with (or that would add a line to the rendered
 * configuration): names must be identifiers (`ext.name` for extensions), values a single line,
 * values of settings with a unit a number with one of PostgreSQL's (case-sensitive) units within
 * the setting's range, and the integers above within theirs.
 * @see https://www.postgresql.org/docs/15/config-setting.html
 */
export function checkParameterValues(scope: IConstruct, parameters: Record<string, string>): void {
  for (const [name, value] of Object.entries(parameters)) {
    const prop = `parameters.${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
      throw propError(scope, prop, name, 'a parameter name: letters, digits and "_" (with one "." for an extension\'s, e.g. pg_stat_statements.max)');
    }
    if (typeof value !== 'string' || /[\x00-\x1f\x7f]/.test(value)) {
      throw propError(scope, prop, value, 'a value on a single line, without control characters (a newline would start another setting)');
    }
    const unit = UNIT_SETTINGS[name];
    if (unit) checkUnitValue(scope, prop, value, unit);
    const range = INTEGER_SETTINGS[name];
    if (range && (!/^\s*\d+\s*$/.test(value) || Number(value) < range[0] || Number(value) > range[1])) {
      throw propError(scope, prop, value, `${range[0] >= 1 ? 'a positive integer' : 'an integer'} from ${range[0]} to ${range[1]}`);
    }
    if ((name === 'min_wal_size' || name === 'max_wal_size') && baseValue(value, UNIT_SETTINGS[name])! < 2 * WAL_SEGMENT_MB) {
      throw propError(scope, prop, value, `at least twice the ${WAL_SEGMENT_MB}MB WAL segment (${2 * WAL_SEGMENT_MB}MB); PostgreSQL refuses to start with less`);
    }
  }
}

/** A setting's value in its base unit as PostgreSQL computes it, or undefined if unreadable. */
export function baseValue(value: string, setting: UnitSetting): number | undefined {
  const { units, base } = unitsOf(setting.unit);
  // No leading zeros: PostgreSQL would read "010" as octal.
  const match = /^\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match || (match[2] !== '' && units[match[2]] === undefined)) return undefined;
  const raw = match[2] === '' ? Number(match[1]) : (Number(match[1]) * units[match[2]]) / base;
  return setting.real ? raw : roundHalfEven(raw);
}

function checkUnitValue(scope: IConstruct, prop: string, value: string, setting: UnitSetting): void {
  const { units } = unitsOf(setting.unit);
  const converted = baseValue(value, setting);
  const unitList = Object.keys(units).join(', ');
  if (converted === undefined) {
    throw propError(scope, prop, value, `a number with one of PostgreSQL's units ${unitList} (case-sensitive; no unit means ${setting.unit}), e.g. "${example(setting.unit)}"`);
  }
  if (converted < setting.min || converted > setting.max) {
    const special = setting.min === -1 ? ' (or -1)' : '';
    throw propError(scope, prop, value, `at least ${show(Math.max(setting.min, 0), setting.unit)}${special} (PostgreSQL's minimum) and at most ${show(setting.max, setting.unit)}`);
  }
}

function unitsOf(unit: string): { units: Record<string, number>; base: number } {
  if (unit === '8kB') return { units: MEMORY_UNITS, base: 8192 };
  if (unit in MEMORY_UNITS) return { units: MEMORY_UNITS, base: MEMORY_UNITS[unit] };
  return { units: TIME_UNITS, base: TIME_UNITS[unit] };
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
