import { propError } from '../core/errors';
import { PostgresSetting } from '../core/postgres-config';

/** What PostgreSQL does once the recovery target is reached. */
export class RecoveryAction {
  /** End recovery and accept writes. */
  public static readonly PROMOTE = new RecoveryAction('promote');
  /** Pause so the data can be inspected; `pg_wal_replay_resume()` continues. */
  public static readonly PAUSE = new RecoveryAction('pause');
  /** Stop the server at the target. */
  public static readonly SHUTDOWN = new RecoveryAction('shutdown');

  private constructor(
    /** `recovery_target_action` / pgBackRest `--target-action`. */
    public readonly value: string,
  ) {}
}

/** Where point-in-time recovery stops. Exactly one of the target kinds is set. */
export interface RecoveryTargetProps {
  /**
   * A timestamp with time zone, RFC 3339, e.g. `2026-11-24T10:15:00Z`.
   * @default - not a time target
   */
  readonly time?: string;
  /**
   * A transaction id.
   * @default - not a transaction target
   */
  readonly xid?: string;
  /**
   * A WAL location, e.g. `0/3000060`.
   * @default - not a WAL location target
   */
  readonly lsn?: string;
  /**
   * A restore point made with `pg_create_restore_point()`.
   * @default - not a restore point target
   */
  readonly name?: string;
  /**
   * Stop as soon as the backup is consistent.
   * @default false
   */
  readonly immediate?: boolean;
  /**
   * What PostgreSQL does once the target is reached.
   * @default RecoveryAction.PAUSE (PostgreSQL's default)
   */
  readonly action?: RecoveryAction;
  /**
   * Whether the target itself is replayed (time, xid, lsn).
   * @default true
   */
  readonly inclusive?: boolean;
}

/**
 * A typed recovery target, rendered both as pgBackRest restore options and as PostgreSQL
 * recovery settings.
 */
export class RecoveryTarget {
  /** Recover up to a moment (RFC 3339 with offset or Z). */
  public static time(time: string, action?: RecoveryAction): RecoveryTarget {
    return RecoveryTarget.of({ time, action });
  }

  /** Recover up to a transaction id (digits). */
  public static xid(xid: string, action?: RecoveryAction): RecoveryTarget {
    return RecoveryTarget.of({ xid, action });
  }

  /** Recover up to a WAL location, e.g. `0/3000060`. */
  public static lsn(lsn: string, action?: RecoveryAction): RecoveryTarget {
    return RecoveryTarget.of({ lsn, action });
  }

  /** Recover up to a restore point made with `pg_create_restore_point()`. */
  public static name(name: string, action?: RecoveryAction): RecoveryTarget {
    return RecoveryTarget.of({ name, action });
  }

  /** Stop as soon as the backup is consistent: the backup as it was taken, no more WAL. */
  public static immediate(action?: RecoveryAction): RecoveryTarget {
    return RecoveryTarget.of({ immediate: true, action });
  }

  /** A target from props; exactly one of time, xid, lsn, name and immediate. */
  public static of(props: RecoveryTargetProps): RecoveryTarget {
    const kinds = (['time', 'xid', 'lsn', 'name', 'immediate'] as const).filter((k) => props[k] !== undefined && props[k] !== false);
    if (kinds.length !== 1) {
      throw propError('RecoveryTarget', 'kind', kinds.length === 0 ? 'none' : kinds.join(' and '), 'set exactly one of time, xid, lsn, name or immediate');
    }
    const kind = kinds[0];
    const value = kind === 'immediate' ? 'immediate' : String(props[kind]);
    if (kind === 'time' && !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/.test(value)) {
      throw propError('RecoveryTarget', 'time', value, 'an RFC 3339 timestamp with a zone, e.g. "2026-11-24T10:15:00Z"');
    }
    if (kind === 'lsn' && !/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(value)) {
      throw propError('RecoveryTarget', 'lsn', value, 'a WAL location such as "0/3000060"');
    }
    if (kind === 'xid' && !/^\d+$/.test(value)) throw propError('RecoveryTarget', 'xid', value, 'a transaction id (digits)');
    if (kind === 'name' && (value === '' || /[\r\n\0]/.test(value))) throw propError('RecoveryTarget', 'name', value, 'a restore point name');
    return new RecoveryTarget(kind, kind === 'time' ? pgBackRestTime(value) : value, props.action ?? RecoveryAction.PAUSE, props.inclusive ?? true, props.action);
  }

  private constructor(
    /** time, xid, lsn, name or immediate. */
    public readonly kind: string,
    /** The target value. */
    public readonly value: string,
    /** What PostgreSQL does at the target. */
    public readonly action: RecoveryAction,
    /** Whether the target itself is replayed (time, xid and lsn targets). */
    public readonly inclusive: boolean,
    /**
     * The action exactly as the caller gave it; undefined when `action` is PostgreSQL's default.
     * Tools that always act one way (CloudNativePG promotes) refuse only an explicit other action.
     */
    public readonly explicitAction?: RecoveryAction,
  ) {}

  /** `pgbackrest restore` options, e.g. `--type=time --target=... --target-action=promote`. */
  public toPgBackRestOptions(): string[] {
    const options = [`--type=${this.kind}`];
    if (this.kind !== 'immediate') options.push(`--target=${this.value}`);
    options.push(`--target-action=${this.action.value}`);
    if (!this.inclusive && this.kind !== 'immediate' && this.kind !== 'name') options.push('--target-exclusive');
    return options;
  }

  /** PostgreSQL recovery settings (postgresql.conf plus a `recovery.signal` file). */
  public toPostgresSettings(): PostgresSetting[] {
    const name = this.kind === 'immediate' ? 'recovery_target' : `recovery_target_${this.kind}`;
    const settings: PostgresSetting[] = [{ name, value: this.value }];
    if (this.kind !== 'immediate' && this.kind !== 'name') settings.push({ name: 'recovery_target_inclusive', value: this.inclusive ? 'on' : 'off' });
    settings.push({ name: 'recovery_target_action', value: this.action.value });
    return settings;
  }
}

/**
 * pgBackRest picks the backup set for a time target only when the time reads like
 * `2026-11-24 10:15:00.123+00` (no `T`, no `Z`); PostgreSQL reads that form too.
 */
function pgBackRestTime(rfc3339: string): string {
  return rfc3339.replace('T', ' ').replace(/Z$/, '+00');
}
