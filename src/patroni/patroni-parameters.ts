import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { PostgresSetting } from '../core/postgres-config';
import { postgresScalar } from '../core/render/postgres-conf';
import { RenderError } from '../core/render/value';

/**
 * Parameters Patroni sets itself on the postgres command line or in files it writes: a value in
 * patroni.yml would be overwritten (`wal_log_hints` is always on), so asking for one is a mistake.
 */
const MANAGED: Readonly<Record<string, string>> = {
  listen_addresses: 'Patroni takes it from postgresql.listen',
  port: 'Patroni takes it from postgresql.listen',
  cluster_name: 'Patroni sets it to the scope',
  hot_standby: 'Patroni always turns it on',
  wal_log_hints: 'Patroni always turns it on (which also lets pg_rewind work)',
  synchronous_standby_names: 'Patroni manages it from synchronousMode',
  primary_conninfo: 'Patroni points replicas at the leader itself',
  primary_slot_name: 'Patroni manages replication slots (useSlots)',
  data_directory: 'the construct sets the data directory',
  config_file: 'Patroni writes postgresql.conf itself',
  hba_file: 'Patroni writes pg_hba.conf from pgHba',
  ident_file: 'Patroni writes pg_ident.conf itself',
  unix_socket_directories: 'the construct places the socket',
};

/**
 * Parameters Patroni accepts only in the cluster-wide (DCS) configuration, with the check its
 * `ConfigHandler.CMDLINE_OPTIONS` applies (Patroni 3.0): a failing value is silently replaced by
 * Patroni's default, and a value in the local configuration is silently dropped.
 */
const CLUSTER_WIDE: Readonly<Record<string, { readonly check: (value: string) => boolean; readonly accepted: string }>> = {
  max_connections: { check: (v) => intAtLeast(v, 25), accepted: 'an integer of at least 25' },
  max_wal_senders: { check: (v) => intAtLeast(v, 3), accepted: 'an integer of at least 3' },
  max_replication_slots: { check: (v) => intAtLeast(v, 4), accepted: 'an integer of at least 4' },
  max_worker_processes: { check: (v) => intAtLeast(v, 2), accepted: 'an integer of at least 2' },
  max_locks_per_transaction: { check: (v) => intAtLeast(v, 32), accepted: 'an integer of at least 32' },
  max_prepared_transactions: { check: (v) => intAtLeast(v, 0), accepted: 'an integer of at least 0' },
  wal_level: { check: (v) => ['hot_standby', 'replica', 'logical'].includes(v.toLowerCase()), accepted: '"replica" or "logical"' },
  track_commit_timestamp: { check: (v) => /^(on|off|true|false|yes|no|1|0)$/i.test(v), accepted: '"on" or "off"' },
  wal_keep_size: { check: (v) => megabytes(v) >= 16, accepted: 'at least "16MB"' },
};

/** Parameters split by where Patroni reads them. */
export interface PatroniParameters {
  /** `bootstrap.dcs.postgresql.parameters`: cluster-wide, written to the DCS at bootstrap. */
  readonly clusterWide: Record<string, string>;
  /** `postgresql.parameters`: read by each member at every start and reload. */
  readonly local: Record<string, string>;
}

/** Checks the settings and splits them between the cluster-wide and the local section. */
export function splitParameters(scope: IConstruct, prop: string, settings: readonly PostgresSetting[]): PatroniParameters {
  const clusterWide: Record<string, string> = {};
  const local: Record<string, string> = {};
  const seen = new Set<string>();
  for (const setting of settings) {
    const name = (setting.name ?? '').toLowerCase();
    const at = `${prop}.${setting.name}`;
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) {
      throw propError(scope, prop, setting.name, 'parameter names are identifiers, optionally "prefix.name"');
    }
    if (seen.has(name)) throw propError(scope, at, setting.value, 'the parameter is set twice; set it once');
    seen.add(name);
    if (MANAGED[name]) throw propError(scope, at, setting.value, `leave it out: ${MANAGED[name]}`);
    if (typeof setting.value !== 'string') throw propError(scope, at, setting.value, 'expected a string value');
    try {
      postgresScalar('patroni.yml', name, setting.value);
    } catch (error) {
      if (error instanceof RenderError) throw propError(scope, at, setting.value, 'expected a single-line value');
      throw error;
    }
    const rule = CLUSTER_WIDE[name];
    if (rule && !rule.check(setting.value)) {
      throw propError(scope, at, setting.value, `expected ${rule.accepted}: Patroni silently replaces other values with its default`);
    }
    (rule ? clusterWide : local)[name] = setting.value;
  }
  return { clusterWide, local };
}

function intAtLeast(value: string, min: number): boolean {
  return /^\d+$/.test(value) && Number(value) >= min && Number(value) <= 2147483647;
}

/** A size in megabytes as PostgreSQL reads `wal_keep_size` (a bare number is MB). */
function megabytes(value: string): number {
  const match = /^(\d+)\s*(kB|MB|GB|TB)?$/.exec(value);
  if (!match) return Number.NaN;
  const factor: Record<string, number> = { kB: 1 / 1024, MB: 1, GB: 1024, TB: 1024 * 1024 };
  return Number(match[1]) * factor[match[2] ?? 'MB'];
}
