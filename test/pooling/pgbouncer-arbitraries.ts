import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { webApp } from './fixtures';
import { AuthType, PgBouncerSettings, PgBouncerSidecar, PoolMode, SecretKeyRef } from '../../src';
import { awkwardStrings } from '../helpers/awkward';

/**
 * Generators of PgBouncerSidecar settings, mostly valid and sometimes not, shared by the unit
 * property test and the contract test that hands accepted ones to the real pgbouncer.
 */

/** Mostly valid values, sometimes not: both outcomes get exercised. */
export const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 }), { nil: undefined, freq: 3 });
const notCount = (min: number) =>
  fc.oneof(fc.integer({ min: -5, max: min - 1 }), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.constant(2 ** 31));
const count = (min: number, max: number) => mostly(fc.integer({ min, max }), notCount(min));
/** Whole milliseconds, sometimes a fraction of one (refused: it would be rounded). */
const time = mostly(
  fc.integer({ min: 0, max: 10_000_000 }).map((ms) => Duration.millis(ms)),
  fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((ms) => Duration.millis(ms)),
);
/** Whole seconds, sometimes a fraction (PgBouncer's stats_period is an int). */
const statsPeriod = mostly(
  fc.integer({ min: 1, max: 86_400 }).map((s) => Duration.seconds(s)),
  fc.integer({ min: 1, max: 9_999 }).map((ms) => Duration.millis(ms * 10 + 5)),
);
const userName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/), weight: 12 },
  { arbitrary: fc.constantFrom('a,b', 'two words', '', 'u'.repeat(128)), weight: 1 },
);
/** Database names around PgBouncer's 63-byte limit. */
const dbName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), weight: 12 },
  { arbitrary: fc.integer({ min: 55, max: 70 }).map((n) => 'd'.repeat(n)), weight: 2 },
  { arbitrary: awkwardStrings({ maxLength: 8 }), weight: 1 },
);

export const pgbouncerSettings: fc.Arbitrary<PgBouncerSettings> = fc.record({
  poolMode: fc.constantFrom(PoolMode.SESSION, PoolMode.TRANSACTION, PoolMode.STATEMENT),
  databases: fc.uniqueArray(fc.record({
    name: dbName,
    host: fc.oneof({ arbitrary: fc.constantFrom('app-db-rw', 'app-db-ro.db.svc', '10.0.0.7'), weight: 12 }, { arbitrary: fc.constantFrom('', 'db\nx', ' '), weight: 1 }),
    port: count(1, 65535),
    dbname: fc.option(awkwardStrings({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    poolSize: count(1, 50),
    forceUser: fc.option(userName, { nil: undefined, freq: 4 }),
  }), { minLength: 1, maxLength: 3, selector: (db) => db.name }),
  defaultPoolSize: count(1, 100),
  minPoolSize: count(0, 5),
  reservePoolSize: count(0, 10),
  maxClientConn: count(100, 5000),
  maxDbConnections: count(0, 200),
  maxUserConnections: count(0, 200),
  queryTimeout: time,
  serverIdleTimeout: time,
  reservePoolTimeout: time,
  statsPeriod,
  authType: fc.option(fc.constantFrom(AuthType.SCRAM_SHA_256, AuthType.MD5, AuthType.HBA), { nil: undefined }),
  adminUsers: fc.option(fc.array(userName, { maxLength: 2 }), { nil: undefined }),
  statsUsers: fc.option(fc.array(userName, { maxLength: 2 }), { nil: undefined }),
  ignoreStartupParameters: fc.option(fc.array(fc.constantFrom('extra_float_digits', 'search_path', 'options', 'a,b'), { maxLength: 2 }), { nil: undefined }),
  logConnections: fc.option(fc.boolean(), { nil: undefined }),
  maxPreparedStatements: fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 }, { arbitrary: fc.integer({ min: 0, max: 500 }), weight: 1 }),
});

/** Whether the generated settings use HBA authentication; half of those also get the rules file. */
export const withHbaFile = fc.boolean();

/** Builds the sidecar from generated settings; HBA cases get the rules file when `hba` says so. */
export function buildPooler(chart: Chart, s: PgBouncerSettings, hba: boolean, port?: number): PgBouncerSidecar {
  const { web, userlist } = webApp(3, chart);
  const authHbaFile = hba && s.authType === AuthType.HBA ? SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Hba', 'pgbouncer-hba'), 'pg_hba.conf') : undefined;
  return new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, port, settings: { ...s, authHbaFile } });
}

