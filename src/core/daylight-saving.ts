import { IConstruct } from 'constructs';
import { Schedule } from './schedule';
import { Warnings } from './warnings';

/** A wall-clock minute in a time zone. */
interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekDay: number;
}

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();
const gapsByZone = new Map<string, Array<{ start: number; minutes: number; offset: number }>>();
const skippedBySchedule = new Map<string, readonly WallTime[]>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC, in minutes, at an instant (whole minutes). */
function offsetAt(timeZone: string, instant: number): number {
  const p = Object.fromEntries(format(timeZone).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/**
 * The zone's spring-forward gaps from `from` for `days` days: the first instant of each, how many
 * wall-clock minutes it skips, and the offset just before it. Offsets are sampled daily and each
 * change is narrowed to the minute, so a zone costs a few hundred look-ups, once.
 */
function gaps(timeZone: string, from: number, days: number) {
  const key = `${timeZone} ${from} ${days}`;
  let found = gapsByZone.get(key);
  if (found) return found;
  found = [];
  let before = offsetAt(timeZone, from);
  for (let i = 1; i <= days; i++) {
    const t = from + i * DAY;
    const after = offsetAt(timeZone, t);
    if (after > before) {
      let lo = t - DAY;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(timeZone, mid) === before) lo = mid; else hi = mid;
      }
      found.push({ start: hi, minutes: after - before, offset: before });
    }
    before = after;
  }
  gapsByZone.set(key, found);
  return found;
}

/**
 * The wall-clock minutes at which `schedule` would fire in `timeZone` but which do not exist
 * there, in the year from `from`: the CronJob controller skips those runs.
 */
export function skippedRuns(schedule: Schedule, timeZone: string, from: Date, days = 366): readonly WallTime[] {
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  // Many jobs share a schedule and a zone (one per database, say): each pair is worked out once.
  const key = `${schedule.toCnpg()} ${timeZone} ${start} ${days}`;
  const known = skippedBySchedule.get(key);
  if (known) return known;
  const skipped: WallTime[] = [];
  for (const gap of gaps(timeZone, start, days)) {
    for (let m = 0; m < gap.minutes; m++) {
      // The minute the clock jumps over, read as the wall time it would have been.
      const d = new Date(gap.start + (gap.offset + m) * 60_000);
      const wall = {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        weekDay: d.getUTCDay(),
      };
      if (schedule._firesAt(wall)) skipped.push(wall);
    }
  }
  skippedBySchedule.set(key, skipped);
  return skipped;
}

/**
 * Warns at synth when a CronJob's schedule falls into its time zone's daylight-saving gap: that
 * run is skipped, and a weekly full backup skipped once leaves two weeks without one.
 */
export function warnOnSkippedRuns(scope: IConstruct, prop: string, schedule: Schedule, timeZone: string | undefined, from = new Date()): void {
  if (timeZone === undefined) return;
  let runs: readonly WallTime[];
  try {
    runs = skippedRuns(schedule, timeZone, from);
  } catch {
    return; // a zone this Node.js does not know: the CronJob controller decides
  }
  if (runs.length === 0) return;
  const pad = (n: number) => String(n).padStart(2, '0');
  const when = (w: WallTime) => `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
  const first = runs[0];
  Warnings.add(scope, `${prop}: "${schedule.toKubernetes()}" in ${timeZone} fires at ${when(first)}, a time that does not exist there (clocks jump forward), so the CronJob controller skips that run${runs.length > 1 ? ` (and ${runs.length - 1} more in the next year)` : ''}; move it out of the daylight-saving change (e.g. 04:00-21:00)`);
}
