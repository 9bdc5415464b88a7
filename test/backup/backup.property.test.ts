import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  BackupRepository, CompressType, DumpFormat, DumpStorage, FullRetention, PgBackRestBackups, PgBackRestServerSidecar, PgDumpBackup, Schedule,
  SecretKeyRef,
} from '../../src';
import { awkwardStrings } from '../helpers/awkward';
import { synthesizesOrExplains } from '../helpers/property';

const intOrJunk = (min: number, max: number) =>
  fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 8 }, { arbitrary: fc.integer({ min: -3, max: min - 1 }), weight: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const schedule = fc.oneof(
  { arbitrary: fc.constantFrom('0 3 * * *', '15 */6 * * 1-5', '0 0 1 * *'), weight: 8 },
  { arbitrary: fc.constantFrom('10 0 3 * * *'), weight: 1 },
).map((e) => Schedule.expression(e));

/** Mostly absolute paths; now and then one pgBackRest or the pod would refuse (#10.7). */
export const pgPath = fc.oneof(
  { arbitrary: fc.array(fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,7}$/), { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`), weight: 8 },
  { arbitrary: fc.constantFrom('pgdata', './pgdata', '/a//b', '/a/../b', '/a/./b', '/with space', '/a\nb', '/a/', ''), weight: 2 },
);
/** A type and a level, mostly in the type's range (#10.8). */
export const compression = fc.record({
  type: fc.constantFrom(CompressType.ZST, CompressType.LZ4, CompressType.GZ, CompressType.BZ2, CompressType.NONE, undefined),
  level: fc.option(fc.integer({ min: -9, max: 24 }), { nil: undefined, freq: 3 }),
});

describe('backup constructs over arbitrary props (property-based)', () => {
  test('PgDumpBackup: schema-valid YAML or a clear error', () => {
    // GIVEN arbitrary props, WHEN each set is constructed and synthesized, THEN valid YAML or a clear error
    synthesizesOrExplains(fc.record({
      database: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,12}$/), weight: 8 }, { arbitrary: awkwardStrings({ maxLength: 10 }), weight: 1 }),
      host: fc.oneof({ arbitrary: fc.constantFrom('db', 'app-db-ro.db.svc'), weight: 8 }, { arbitrary: fc.constantFrom('', 'a\nb'), weight: 1 }),
      port: maybe(intOrJunk(1, 65535)),
      directory: fc.boolean(),
      jobs: maybe(intOrJunk(1, 8)),
      compressionLevel: maybe(intOrJunk(0, 9)),
      keep: maybe(intOrJunk(1, 60)),
      schedule: maybe(schedule),
    }), (chart, p) => {
      const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
      new PgDumpBackup(chart, 'Dump', {
        connection: { host: p.host, port: p.port, database: p.database, user: 'backup', password },
        storage: DumpStorage.newClaim(Size.gibibytes(1)),
        format: p.directory ? DumpFormat.DIRECTORY : DumpFormat.CUSTOM,
        jobs: p.jobs,
        compressionLevel: p.compressionLevel,
        keep: p.keep,
        schedule: p.schedule,
      });
    }, { seed: 11 });
  });

  test('PgBackRestBackups: schema-valid YAML or a clear error', () => {
    // GIVEN arbitrary props, WHEN each set is constructed and synthesized, THEN valid YAML or a clear error
    synthesizesOrExplains(fc.record({
      stanza: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), weight: 8 }, { arbitrary: awkwardStrings({ maxLength: 8 }), weight: 1 }),
      retention: intOrJunk(1, 10),
      bucket: fc.oneof({ arbitrary: fc.constant('backups'), weight: 8 }, { arbitrary: fc.constant(''), weight: 1 }),
      processMax: maybe(intOrJunk(1, 16)),
      full: maybe(schedule),
      host: fc.oneof({ arbitrary: fc.constant('db-0.db'), weight: 8 }, { arbitrary: fc.constant(' '), weight: 1 }),
      dataDirectory: pgPath,
      socketDirectory: fc.option(pgPath, { nil: undefined }),
      compression,
    }), (chart, p) => {
      const ref = (key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(chart, key, 'secret'), key);
      new PgBackRestBackups(chart, 'Backups', {
        settings: {
          stanza: p.stanza,
          processMax: p.processMax,
          compressType: p.compression.type,
          compressLevel: p.compression.level,
          repositories: [BackupRepository.s3(
            { bucket: p.bucket, endpoint: 's3.example', region: 'r', credentials: { accessKeyId: ref('k'), secretAccessKey: ref('s') } },
            { retentionFull: FullRetention.count(p.retention) },
          )],
        },
        server: PgBackRestServerSidecar.fromServerAttributes({ host: p.host, dataDirectory: p.dataDirectory, socketDirectory: p.socketDirectory }),
        tls: { certificate: ref('crt'), privateKey: ref('key'), ca: ref('ca') },
        full: p.full,
      });
    }, {
      seed: 5,
      numRuns: 150,
      // What synthesized is what pgBackRest takes: absolute paths verbatim, a level in the type's range.
      inspect: (manifests, p) => {
        const conf: string = manifests.find((m) => m.kind === 'ConfigMap').data['pgbackrest.conf'];
        expect(conf).toContain(`\npg1-path=${p.dataDirectory}\n`);
        expect(conf).toContain(`\npg1-socket-path=${p.socketDirectory ?? '/var/run/postgresql'}\n`);
        expect(p.dataDirectory).toMatch(/^(\/[a-z0-9_][a-z0-9_.-]*)+$/);
        const type = p.compression.type ?? CompressType.ZST;
        expect(conf).toContain(`\ncompress-type=${type.value}\n`);
        if (p.compression.level !== undefined) {
          expect(p.compression.level).toBeGreaterThanOrEqual(type.minLevel!);
          expect(p.compression.level).toBeLessThanOrEqual(type.maxLevel!);
        }
      },
    });
  });
});
