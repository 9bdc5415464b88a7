import { Schedule } from '../core/schedule';

const DAY = 86_400_000;
// A fixed, ordinary two-year span: the day pattern of a cron repeats yearly (leap days aside),
// and a fixed span keeps findings the same whatever day the app is synthesized.
const START = Date.UTC(2025, 0, 1);
const SPAN_DAYS = 730;

/** The parts of a five- or six-field cron expression; undefined when it is not cron. */
function parts(expression: string): { minute: string; hour: string; day: string; month: string; weekDay: string } | undefined {
  const fields = String(expression).trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return undefined;
  const [minute, hour, day, month, weekDay] = fields.length === 6 ? fields.slice(1) : fields;
  return { minute, hour, day, month, weekDay };
}

function parse(expression: string): Schedule | undefined {
  try {
    return Schedule.expression(expression);
  } catch {
    return undefined;
  }
}

/** The minutes of the day (0-1439) at which the expression fires on a day it fires. */
export function minutesOfDay(expression: string): number[] {
  const p = parts(expression);
  const s = p && parse(`${p.minute} ${p.hour} * * *`);
  if (!s) return [];
  const found: number[] = [];
  for (let m = 0; m < 1440; m++) {
    if (s._firesAt({ minute: m % 60, hour: Math.floor(m / 60), day: 1, month: 1, weekDay: 3 })) found.push(m);
  }
  return found;
}

/** The days (0 = 2025-01-01) of a two-year span on which the expression fires. */
export function firingDays(expression: string): number[] {
  const p = parts(expression);
  const s = p && parse(`0 0 ${p.day} ${p.month} ${p.weekDay}`);
  if (!s) return [];
  const found: number[] = [];
  for (let i = 0; i < SPAN_DAYS; i++) {
    const d = new Date(START + i * DAY);
    if (s._firesAt({ minute: 0, hour: 0, day: d.getUTCDate(), month: d.getUTCMonth() + 1, weekDay: d.getUTCDay() })) found.push(i);
  }
  return found;
}

/** The longest stretch, in days, between two runs (undefined when the expression is not cron or never fires). */
export function longestGapDays(expression: string): number | undefined {
  const days = firingDays(expression);
  if (days.length === 0 || minutesOfDay(expression).length === 0) return undefined;
  let longest = days[0] + SPAN_DAYS - days[days.length - 1];
  for (let i = 1; i < days.length; i++) longest = Math.max(longest, days[i] - days[i - 1]);
  return longest;
}

/** A day and minute at which both expressions fire, or undefined when they never meet. */
export function commonRun(a: string, b: string): { day: number; minute: number } | undefined {
  const minutes = new Set(minutesOfDay(a));
  const minute = minutesOfDay(b).find((m) => minutes.has(m));
  if (minute === undefined) return undefined;
  const days = new Set(firingDays(a));
  const day = firingDays(b).find((d) => days.has(d));
  return day === undefined ? undefined : { day, minute };
}

/** `YYYY-MM-DD HH:MM` for a day of the span and a minute of the day. */
export function describeRun(run: { day: number; minute: number }): string {
  const d = new Date(START + run.day * DAY + run.minute * 60_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
