import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { webApp } from './fixtures';
import { PgBouncerSidecar, PoolMode } from '../../src';
import { awkwardStrings } from '../helpers/awkward';
import { synthesizesOrExplains } from '../helpers/property';

/** Mostly valid values, sometimes not: both outcomes get exercised. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 }), { nil: undefined, freq: 3 });
const notCount = (min: number) => fc.oneof(fc.integer({ min: -5, max: min - 1 }), fc.double({ min: 0.1, max: 50, noNaN: true }));
const count = (min: number, max: number) => mostly(fc.integer({ min, max }), notCount(min));
const duration = fc.integer({ min: 0, max: 10_000_000 }).map((ms) => Duration.millis(ms));

const settings = fc.record({
  poolMode: fc.constantFrom(PoolMode.SESSION, PoolMode.TRANSACTION, PoolMode.STATEMENT),
  databases: fc.uniqueArray(fc.record({
    name: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), weight: 12 }, { arbitrary: awkwardStrings({ maxLength: 8 }), weight: 1 }),
    host: fc.oneof({ arbitrary: fc.constantFrom('app-db-rw', 'app-db-ro.db.svc', '10.0.0.7'), weight: 12 }, { arbitrary: fc.constantFrom('', 'db\nx', ' '), weight: 1 }),
    port: count(1, 65535),
    dbname: fc.option(awkwardStrings({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    poolSize: count(1, 50),
  }), { minLength: 1, maxLength: 3, selector: (db) => db.name }),
  defaultPoolSize: count(1, 100),
  minPoolSize: count(0, 5),
  maxClientConn: count(100, 5000),
  maxDbConnections: count(0, 200),
  queryTimeout: fc.option(duration, { nil: undefined }),
  adminUsers: fc.option(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 2 }), { nil: undefined }),
  maxPreparedStatements: fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 }, { arbitrary: fc.integer({ min: 0, max: 500 }), weight: 1 }),
});

describe('PgBouncerSidecar over arbitrary settings (property-based)', () => {
  test('either synthesizes schema-valid YAML or throws a clear error naming construct and prop', () => {
    synthesizesOrExplains(settings, (chart, s) => {
      const { web, userlist } = webApp(3, chart);
      new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: s });
    }, {
      seed: 7,
      numRuns: 300,
      // One line per database entry: no value may break out of its line.
      inspect: (manifests, s) => {
        const ini: string = manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini'];
        expect(ini.split('\n').filter((l) => /^\S+ = host=/.test(l))).toHaveLength(s.databases.length);
      },
    });
  });
});
