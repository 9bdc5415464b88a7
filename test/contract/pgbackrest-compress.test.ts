import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { BackupRepository, CompressType, FullRetention, PgBackRestSettings } from '../../src';
import { PostgresServer } from './harness/postgres';
import { run, runUnchecked, serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { checkPgBackRestSettings, renderPgBackRestConfig } from '../../src/backup/pgbackrest-config';

jest.setTimeout(300_000);
afterAll(stopAllServices);

/**
 * #10.8: the compress-level range of each compress-type, as the library accepts it, against the
 * installed pgBackRest. The cheapest command that both validates compress-level and compresses
 * with it is archive-push (a backup at zst 22 takes over a minute here; one WAL segment, seconds).
 */
describe('#10.8 compress-level ranges agree with pgBackRest', () => {
  let pg: PostgresServer;
  let dir: { path: string; remove: () => void };
  let segment: string;
  let cases = 0;

  beforeAll(async () => {
    // The segment must not change or go while it is pushed and read back: switch away from it
    // (no more writes), and keep archiving failing so PostgreSQL neither recycles nor removes it.
    pg = await PostgresServer.start({ conf: "archive_mode = on\narchive_command = '/bin/false'\n" });
    dir = serviceTempDir('compress');
    segment = pg.query('SELECT pg_walfile_name(pg_current_wal_lsn())');
    pg.query('SELECT pg_switch_wal()');
  });

  afterAll(async () => {
    await pg?.stop();
    dir?.remove();
  });

  /** Renders the library's config for one level into a fresh repository and pushes one WAL segment with it. */
  function push(type: CompressType, level: number) {
    const name = `${type.value}${level}`;
    const d = (sub: string) => {
      const p = path.join(dir.path, name, sub);
      run('/bin/mkdir', ['-p', '-m', '0700', p]);
      return p;
    };
    const settings: PgBackRestSettings = {
      stanza: 'main',
      repositories: [BackupRepository.posix({ path: d('repo'), retentionFull: FullRetention.count(1) })],
      compressType: type,
      compressLevel: level,
    };
    const conf = path.join(dir.path, name, 'pgbackrest.conf');
    writeServiceFile(conf, renderPgBackRestConfig(Testing.chart(), settings, {
      pg: { path: pg.dataDir, port: pg.port, socketPath: pg.socketDir }, lockPath: d('lock'), spoolPath: d('spool'),
    }));
    const pgbackrest = (args: string[]) => runUnchecked(program('pgbackrest'), [`--config=${conf}`, '--stanza=main', ...args], { timeoutMs: 120_000 });
    const created = pgbackrest(['stanza-create']);
    if (created.status !== 0) throw new Error(`stanza-create for ${name}: ${created.stdout}${created.stderr}`);
    // archive-async=y (the library's default): the async process pushes what PostgreSQL marks ready.
    writeServiceFile(path.join(pg.dataDir, 'pg_wal', 'archive_status', `${segment}.ready`), '');
    cases++;
    return { settings, pgbackrest, result: pgbackrest(['archive-push', path.join(pg.dataDir, 'pg_wal', segment)]) };
  }

  const RANGES: Array<[string, CompressType]> = [['gz', CompressType.GZ], ['bz2', CompressType.BZ2], ['lz4', CompressType.LZ4], ['zst', CompressType.ZST]];

  test.each(RANGES)('%s: the lowest and highest level the library accepts are accepted by pgbackrest and give a readable archive', (ext, type) => {
    for (const level of [type.minLevel!, type.maxLevel!]) {
      const { settings, pgbackrest, result } = push(type, level);
      expect(() => checkPgBackRestSettings(Testing.chart(), settings)).not.toThrow();
      expect({ level, status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ level, status: 0, output: expect.any(String) });
      // Read it back: the archive was written with this type and decompresses to the segment.
      const out = path.join(dir.path, `${ext}${level}`, 'restored');
      const got = pgbackrest(['archive-get', segment, out]);
      expect(got.status).toBe(0);
      expect(fs.readFileSync(out).equals(fs.readFileSync(path.join(pg.dataDir, 'pg_wal', segment)))).toBe(true);
      const stored = run('/usr/bin/find', [path.join(dir.path, `${ext}${level}`, 'repo', 'archive'), '-name', `${segment}-*`]);
      expect(stored.trim()).toMatch(new RegExp(`\\.${ext}$`));
    }
  });

  test.each(RANGES)('%s: one level beyond either end is refused by the library and by pgbackrest', (ext, type) => {
    for (const level of [type.minLevel! - 1, type.maxLevel! + 1]) {
      const { settings, result } = push(type, level);
      expect(() => checkPgBackRestSettings(Testing.chart(), settings)).toThrow(`settings.compressLevel: got ${level}; with compress type "${ext}"`);
      expect(result.status).toBe(32);
      expect(`${result.stdout}${result.stderr}`).toContain(`'${level}' is out of range for 'compress-level' option when 'compress-type' option = '${ext}'`);
    }
  });

  afterAll(() => console.log(`#10.8 compress-level edges tried against pgbackrest: ${cases}`));
});
