import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { libpqConninfo } from './conninfo';
import { ReplicationSslMode, WalLevel } from './replication-choices';
import { ReplicationPassword } from './replication-password';
import { SynchronousStandbys } from './synchronous-standbys';
import { propError } from '../core/errors';
import { checkPlusMajor } from '../core/plus-objects';
import { PostgresSetting } from '../core/postgres-config';
import { checkAbsolutePath, checkInteger, checkText } from '../core/prop-checks';

/** One hot standby streaming from the primary. */
export interface ReplicationStandby {
  /**
   * The standby's `application_name` on the primary (what `synchronous_standby_names` and
   * `pg_stat_replication` call it), e.g. the pod name `db-1`: lower-case letters, digits, "-"
   * and "_", at most 63 characters. Its replication slot is the name with "-" as "_".
   */
  readonly name: string;
  /**
   * Stream through a physical replication slot on the primary, so the primary keeps the WAL
   * the standby has not received yet (bounded by `max_slot_wal_keep_size`).
   * @default true
   */
  readonly useSlot?: boolean;
}

/** Props of `StreamingReplication`. */
export interface StreamingReplicationProps {
  /** The primary's host as standbys reach it, e.g. its Service `db-primary`. */
  readonly primaryHost: string;
  /**
   * The primary's port.
   * @default 5432
   */
  readonly primaryPort?: number;
  /** The role standbys connect as; it needs the REPLICATION attribute and a pg_hba `replication` line. */
  readonly user: string;
  /** Where the standbys find that role's password: a passfile or an env variable, both from Secrets. */
  readonly password: ReplicationPassword;
  /** The standbys. Every name is unique. */
  readonly standbys: ReplicationStandby[];
  /**
   * Size of the volume holding `pg_wal` on the primary. Retained WAL (`max_wal_size` +
   * `wal_keep_size` + `max_slot_wal_keep_size`) must fit in it: a full WAL volume stops the
   * primary, which is worse than a standby that has to be rebuilt.
   */
  readonly walVolumeSize: Size;
  /**
   * `max_wal_size` of the primary (not rendered here, counted against the volume).
   * @default Size.gibibytes(1) (PostgreSQL's default)
   */
  readonly maxWalSize?: Size;
  /**
   * `wal_keep_size`: WAL kept for standbys without a slot.
   * @default Size.mebibytes(0) (slots keep what slotted standbys need)
   */
  readonly walKeepSize?: Size;
  /**
   * `max_slot_wal_keep_size`: the most WAL a slot may hold back. A standby that falls further
   * behind loses its slot and must be rebuilt, instead of filling the primary's disk.
   * @default - half of what the WAL volume leaves after max_wal_size and wal_keep_size
   */
  readonly maxSlotWalKeepSize?: Size;
  /**
   * `synchronous_standby_names`: the standbys a commit waits for.
   * @default - none: replication is asynchronous
   */
  readonly synchronous?: SynchronousStandbys;
  /**
   * `hot_standby_feedback`: standbys tell the primary which rows their queries still read, so
   * vacuum keeps them and read queries are not cancelled; costs bloat on the primary while a
   * long read runs.
   * @default true
   */
  readonly hotStandbyFeedback?: boolean;
  /**
   * `wal_level`.
   * @default WalLevel.REPLICA
   */
  readonly walLevel?: WalLevel;
  /**
   * `max_wal_senders`: at least the standbys + 2 (`pg_basebackup -X stream` of a new standby
   * uses two).
   * @default - the standbys + 2
   */
  readonly maxWalSenders?: number;
  /**
   * `max_replication_slots`: at least the slotted standbys + 1 (a standby being rebuilt).
   * @default - the slotted standbys + 2
   */
  readonly maxReplicationSlots?: number;
  /**
   * `sslmode` of the standbys' connection.
   * @default ReplicationSslMode.PREFER
   */
  readonly sslMode?: ReplicationSslMode;
}

/**
 * Streaming replication between a hand-run primary and hot standbys, as `postgresql.conf`
 * settings for `PostgresConfig`: `primarySettings()` for the primary, `standbySettings(name)`
 * for each standby (which also needs a `standby.signal` file in its data directory), and the
 * slots to create on the primary (`slotCreationSql()`). The settings both roles share are in
 * both, so a promoted standby can serve as a primary. Spanning checks: the senders and slots
 * suffice, every synchronous name is a standby's, retained WAL fits the WAL volume.
 */
export class StreamingReplication extends Construct {
  /** `max_slot_wal_keep_size` in MiB. */
  public readonly maxSlotWalKeepMebibytes: number;
  private readonly props: StreamingReplicationProps;
  private readonly walKeepMebibytes: number;
  private readonly senders: number;
  private readonly slots: number;

  constructor(scope: Construct, id: string, props: StreamingReplicationProps) {
    super(scope, id);
    this.props = props;
    checkText(this, 'primaryHost', props.primaryHost);
    checkInteger(this, 'primaryPort', props.primaryPort, 1, 65535);
    checkText(this, 'user', props.user);
    if (props.password.passfilePath !== undefined) checkAbsolutePath(this, 'password.passfile', props.password.passfilePath);
    if (props.standbys.length === 0) throw propError(this, 'standbys', props.standbys, 'at least one standby');
    const slotNames = new Map<string, string>();
    for (const standby of props.standbys) {
      if (!/^[a-z0-9_-]{1,63}$/.test(standby.name)) {
        throw propError(this, 'standbys.name', standby.name, 'lower-case letters, digits, "-" and "_", at most 63 characters (it names a replication slot too)');
      }
      const slot = slotName(standby.name);
      if (slotNames.has(slot)) {
        throw propError(this, 'standbys.name', standby.name, `another standby (${JSON.stringify(slotNames.get(slot))}) has this name or the same slot "${slot}": names must be unique`);
      }
      slotNames.set(slot, standby.name);
    }
    const slotted = props.standbys.filter((s) => s.useSlot ?? true).length;
    this.senders = props.maxWalSenders ?? props.standbys.length + 2;
    checkInteger(this, 'maxWalSenders', this.senders, props.standbys.length + 2, 262143);
    this.slots = props.maxReplicationSlots ?? slotted + 2;
    checkInteger(this, 'maxReplicationSlots', this.slots, slotted + 1, 262143);
    this.checkSynchronous(props.synchronous);

    const mib = (size: Size | undefined, prop: string, fallback: number) => {
      if (size === undefined) return fallback;
      const value = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      if (!Number.isInteger(value) || value < 0) throw propError(this, prop, `${value} MiB`, 'a whole, non-negative number of MiB');
      return value;
    };
    const volume = mib(props.walVolumeSize, 'walVolumeSize', 0);
    const maxWal = mib(props.maxWalSize, 'maxWalSize', 1024);
    this.walKeepMebibytes = mib(props.walKeepSize, 'walKeepSize', 0);
    const left = volume - maxWal - this.walKeepMebibytes;
    this.maxSlotWalKeepMebibytes = mib(props.maxSlotWalKeepSize, 'maxSlotWalKeepSize', Math.floor(left / 2));
    if (this.maxSlotWalKeepMebibytes < 1 || maxWal + this.walKeepMebibytes + this.maxSlotWalKeepMebibytes > volume) {
      throw propError(this, 'maxSlotWalKeepSize', `${this.maxSlotWalKeepMebibytes} MiB`,
        `max_wal_size ${maxWal} MiB + wal_keep_size ${this.walKeepMebibytes} MiB + max_slot_wal_keep_size must fit in walVolumeSize ${volume} MiB `
        + 'with at least 1 MiB for slots: give a larger walVolumeSize, or lower maxWalSize, walKeepSize or maxSlotWalKeepSize');
    }
  }

  /** The standby names, in the order given. */
  public get standbyNames(): string[] {
    return this.props.standbys.map((s) => s.name);
  }

  /** Settings for the primary: the shared ones and `synchronous_standby_names`. */
  public primarySettings(): PostgresSetting[] {
    const sync = this.props.synchronous;
    return [
      ...this.sharedSettings(),
      ...(sync ? [{ name: 'synchronous_standby_names', value: `${sync.method} ${sync.count} (${sync.names.map((n) => `"${n}"`).join(', ')})` }] : []),
    ];
  }

  /** Settings for the standby `name`: the shared ones, `primary_conninfo` and `primary_slot_name`. */
  public standbySettings(name: string): PostgresSetting[] {
    const standby = this.props.standbys.find((s) => s.name === name);
    if (!standby) throw propError(this, 'standbySettings', name, `one of the standbys: ${this.standbyNames.join(', ')}`);
    const conninfo = libpqConninfo([
      ['host', this.props.primaryHost],
      ['port', this.props.primaryPort ?? 5432],
      ['user', this.props.user],
      ['application_name', name],
      ['passfile', this.props.password.passfilePath],
      ['sslmode', (this.props.sslMode ?? ReplicationSslMode.PREFER).value],
    ]);
    return [
      ...this.sharedSettings(),
      { name: 'primary_conninfo', value: conninfo },
      ...((standby.useSlot ?? true) ? [{ name: 'primary_slot_name', value: slotName(name) }] : []),
    ];
  }

  /** The replication slots to create on the primary, one per slotted standby. */
  public get slotNames(): string[] {
    return this.props.standbys.filter((s) => s.useSlot ?? true).map((s) => slotName(s.name));
  }

  /** SQL that creates the missing slots on the primary (idempotent: run it at every start). */
  public slotCreationSql(): string {
    return this.slotNames.map((slot) => `SELECT pg_create_physical_replication_slot('${slot}') `
      + `WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '${slot}');`).join('\n');
  }

  /**
   * Gives a standby's database container `PGPASSWORD` from the Secret of
   * `ReplicationPassword.fromSecretEnv`, which the walreceiver reads.
   */
  public addPasswordEnv(container: kplus.Container): void {
    const secret = this.props.password.secret;
    if (!secret) throw propError(this, 'addPasswordEnv', container.name, 'the password comes from a passfile (ReplicationPassword.passfile): mount that file instead');
    checkPlusMajor(this, 'addPasswordEnv.container', container);
    if (container.env.variables.PGPASSWORD !== undefined) throw propError(this, 'addPasswordEnv', container.name, 'the container already has PGPASSWORD');
    secret.addToEnv(container, 'PGPASSWORD');
  }

  private sharedSettings(): PostgresSetting[] {
    return [
      { name: 'wal_level', value: (this.props.walLevel ?? WalLevel.REPLICA).value },
      { name: 'max_wal_senders', value: String(this.senders) },
      { name: 'max_replication_slots', value: String(this.slots) },
      { name: 'wal_keep_size', value: `${this.walKeepMebibytes}MB` },
      { name: 'max_slot_wal_keep_size', value: `${this.maxSlotWalKeepMebibytes}MB` },
      { name: 'hot_standby', value: 'on' },
      { name: 'hot_standby_feedback', value: (this.props.hotStandbyFeedback ?? true) ? 'on' : 'off' },
    ];
  }

  private checkSynchronous(sync: SynchronousStandbys | undefined): void {
    if (!sync) return;
    const names = this.standbyNames;
    const unknown = sync.names.filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      throw propError(this, 'synchronous.names', unknown.join(', '), `no standby sets this application_name, so commits would wait for it forever: use names of standbys (${names.join(', ')})`);
    }
    if (new Set(sync.names).size !== sync.names.length) throw propError(this, 'synchronous.names', sync.names, 'each name once');
    checkInteger(this, 'synchronous.count', sync.count, 1, sync.names.length);
  }
}

/** Slot names take lower-case letters, digits and "_" only. */
function slotName(standby: string): string {
  return standby.replace(/-/g, '_');
}
