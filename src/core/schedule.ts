import { Cron } from 'cdk8s';

/**
 * The fields of a cron schedule. Every field takes standard cron syntax (`*`, numbers, names,
 * lists, ranges and steps); an absent field means `*`, except `second`, which means `0`.
 */
export interface ScheduleOptions {
  /**
   * Second of the minute. Only schedulers with a seconds field (CloudNativePG) can honour
   * anything but `0`.
   * @default "0"
   */
  readonly second?: string;
  /**
   * Minute of the hour, `0`-`59`.
   * @default "*"
   */
  readonly minute?: string;
  /**
   * Hour of the day, `0`-`23`, in the CronJob's time zone (UTC unless it sets one).
   * @default "*"
   */
  readonly hour?: string;
  /**
   * Day of the month, `1`-`31`, or `?`.
   * @default "*"
   */
  readonly day?: string;
  /**
   * Month, `1`-`12` or `JAN`-`DEC`.
   * @default "*"
   */
  readonly month?: string;
  /**
   * Day of the week, `0`-`7` (both 0 and 7 are Sunday), `SUN`-`SAT`, or `?`.
   * @default "*"
   */
  readonly weekDay?: string;
}

interface FieldRule {
  readonly name: keyof ScheduleOptions;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRule[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'weekDay', min: 0, max: 7, names: DAYS },
];

/**
 * A cron schedule that renders in both forms the library needs: five fields for a Kubernetes
 * CronJob and six fields, seconds first, for CloudNativePG's ScheduledBackup. Giving a five-field
 * string where six are expected (or the reverse) is the classic way to back up once a minute
 * instead of once a day; building schedules from named fields avoids it.
 *
 * @example Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' }) // Sundays 02:00
 */
export class Schedule {
  /** A schedule from named fields. */
  public static cron(options: ScheduleOptions): Schedule {
    return new Schedule(options);
  }

  /** A schedule from a cdk8s `Cron` (five fields; seconds are 0). */
  public static fromCron(cron: Cron): Schedule {
    return Schedule.expression(cron.expressionString);
  }

  /**
   * Parses a cron expression: five fields (minute first) or six fields (second first, as
   * CloudNativePG writes them).
   */
  public static expression(expression: string): Schedule {
    const parts = expression.trim().split(/\s+/);
    if (parts.length !== 5 && parts.length !== 6) {
      throw new Error(`Schedule: got ${JSON.stringify(expression)}; expected five fields "minute hour day month weekday" or six with seconds first`);
    }
    const fields = parts.length === 5 ? ['0', ...parts] : parts;
    const [second, minute, hour, day, month, weekDay] = fields;
    return new Schedule({ second, minute, hour, day, month, weekDay });
  }

  private readonly fields: Required<ScheduleOptions>;

  private constructor(options: ScheduleOptions) {
    this.fields = {
      second: options.second ?? '0',
      minute: options.minute ?? '*',
      hour: options.hour ?? '*',
      day: options.day ?? '*',
      month: options.month ?? '*',
      weekDay: options.weekDay ?? '*',
    };
    for (const rule of FIELDS) checkField(rule, this.fields[rule.name]);
  }

  /** Whether the schedule fires at a second other than 0, which five-field cron cannot say. */
  public get hasSeconds(): boolean {
    return this.fields.second !== '0';
  }

  /** The five-field form for `CronJob.spec.schedule`. Fails if the schedule needs seconds. */
  public toKubernetes(): string {
    if (this.hasSeconds) {
      throw new Error(`Schedule "${this.toCnpg()}": a Kubernetes CronJob has no seconds field, so second ${JSON.stringify(this.fields.second)} cannot be kept; use second "0"`);
    }
    const { minute, hour, day, month, weekDay } = this.fields;
    return [minute, hour, day, month, weekDay].join(' ');
  }

  /** The schedule as a cdk8s `Cron`, for cdk8s-plus `CronJob`. Fails if the schedule needs seconds. */
  public toCron(): Cron {
    const [minute, hour, day, month, weekDay] = this.toKubernetes().split(' ');
    return new Cron({ minute, hour, day, month, weekDay });
  }

  /**
   * Whether the schedule fires at this wall-clock minute (any second). Day of month and day of
   * week combine as cron does: both restricted means either may match.
   * @internal
   */
  public _firesAt(t: { minute: number; hour: number; day: number; month: number; weekDay: number }): boolean {
    const f = this.fields;
    const field = (name: keyof ScheduleOptions, value: number) => fieldMatches(FIELDS.find((r) => r.name === name)!, f[name], value);
    if (!field('minute', t.minute) || !field('hour', t.hour) || !field('month', t.month)) return false;
    const anyDay = (text: string) => text.startsWith('*') || text === '?';
    const day = field('day', t.day);
    const weekDay = field('weekDay', t.weekDay) || (t.weekDay === 0 && field('weekDay', 7));
    return anyDay(f.day) || anyDay(f.weekDay) ? day && weekDay : day || weekDay;
  }

  /** The six-field form, seconds first, for CloudNativePG `ScheduledBackup.spec.schedule`. */
  public toCnpg(): string {
    const { second, minute, hour, day, month, weekDay } = this.fields;
    return [second, minute, hour, day, month, weekDay].join(' ');
  }
}

function checkField(rule: FieldRule, text: string): void {
  const bad = (why: string) =>
    new Error(`Schedule: ${rule.name} ${JSON.stringify(text)} ${why}; expected "*", ${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : ''}, lists "a,b", ranges "a-b" and steps "*/n"`);
  if (text === '?' && (rule.name === 'day' || rule.name === 'weekDay')) return;
  for (const item of text.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!match) throw bad('is not valid cron syntax');
    const [, range, step] = match;
    if (step !== undefined && Number(step) < 1) throw bad('has a step below 1');
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) throw bad('is not valid cron syntax');
    const values = bounds.map((b) => fieldValue(rule, b));
    if (values.some((v) => v === undefined)) throw bad('is out of range');
    if (values.length === 2 && values[0]! > values[1]!) throw bad('has a range that runs backwards');
  }
}

/** Whether a (checked) field matches `value`. */
function fieldMatches(rule: FieldRule, text: string, value: number): boolean {
  if (text === '?') return true;
  return text.split(',').some((item) => {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [low, high] = range === '*'
      ? [rule.min, rule.max]
      : range.includes('-')
        ? range.split('-').map((b) => fieldValue(rule, b)!)
        : [fieldValue(rule, range)!, stepText === undefined ? fieldValue(rule, range)! : rule.max];
    return value >= low && value <= high && (value - low) % step === 0;
  });
}

function fieldValue(rule: FieldRule, text: string): number | undefined {
  const named = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return rule.name === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= rule.min && value <= rule.max ? value : undefined;
}
