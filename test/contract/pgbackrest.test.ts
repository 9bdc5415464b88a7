import * as fs from 'fs';
import { RecoveryAction, RecoveryTarget, WalArchiving } from '../../src';
import { BackupStack, ok } from './harness/pgbackrest-stack';
import { stopAllServices, waitFor } from './harness/processes';

jest.setTimeout(300_000);
afterAll(stopAllServices);

describe('pgBackRest through its TLS server, every config file rendered by the library', () => {
  let stack: BackupStack;

  beforeAll(async () => {
    stack = await BackupStack.start({ retentionFull: 2 });
    ok(stack.job(['stanza-create']), 'stanza-create');
    ok(stack.job(['check']), 'check');
  });

  afterAll(async () => stack?.stop());

  test('full, differential and incremental backups are taken through the TLS server', () => {
    stack.postgres.query('CREATE TABLE orders (id int PRIMARY KEY, note text); INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 1000) g');
    ok(stack.job(['backup', '--type=full']), 'full backup');
    stack.postgres.query('INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1001, 2000) g');
    ok(stack.job(['backup', '--type=diff']), 'diff backup');
    stack.postgres.query('INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(2001, 3000) g');
    ok(stack.job(['backup', '--type=incr']), 'incr backup');
    const backups = stack.backups();
    expect(backups.map((b) => b.type)).toEqual(['full', 'diff', 'incr']);
    // The differential builds on the full, the incremental on the differential.
    expect(backups[1].prior).toBe(backups[0].label);
    expect(backups[2].prior).toBe(backups[1].label);
  });

  test('retention: a third full backup expires the oldest full and what depended on it', () => {
    const before = stack.backups();
    ok(stack.job(['backup', '--type=full']), 'second full');
    ok(stack.job(['backup', '--type=full']), 'third full');
    const after = stack.backups();
    expect(after.map((b) => b.type)).toEqual(['full', 'full']);
    expect(after.map((b) => b.label)).not.toContain(before[0].label);
  });

  test('point-in-time restore to just before a DELETE without WHERE brings every row back', async () => {
    const rows = stack.postgres.query('SELECT count(*) FROM orders');
    expect(rows).toBe('3000');
    // The moment to return to, then the accident.
    const target = stack.postgres.query("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    await new Promise((r) => setTimeout(r, 1100));
    stack.postgres.query('DELETE FROM orders');
    expect(stack.postgres.query('SELECT count(*) FROM orders')).toBe('0');
    // Make sure the WAL holding the DELETE is archived before the server goes away.
    const segment = stack.postgres.query('SELECT pg_walfile_name(pg_switch_wal())');
    await waitFor(`WAL segment ${segment} in the archive`, () => stack.postgres.query(`SELECT last_archived_wal >= '${segment}' FROM pg_stat_archiver`) === 't', 60_000);

    await stack.postgres.shutdown();
    const recovery = RecoveryTarget.time(target, RecoveryAction.PROMOTE);
    const restoreCommand = WalArchiving.restoreCommand({ stanza: 'main', configFile: stack.dbConf });
    ok(stack.db(['restore', '--delta', ...recovery.toPgBackRestOptions(), `--recovery-option=restore_command=${restoreCommand}`]), 'restore');
    await stack.postgres.startProcess(120_000);
    await waitFor('recovery to finish and promote', () => stack.postgres.query('SELECT pg_is_in_recovery()') === 'f', 120_000);
    expect(stack.postgres.query('SELECT count(*) FROM orders')).toBe('3000');
  });
});

describe('an encrypted repository whose passphrase exists only in the environment', () => {
  const PASSPHRASE = 'correct-horse-battery-staple-7731';
  let stack: BackupStack;

  beforeAll(async () => {
    stack = await BackupStack.start({ cipherPassphrase: PASSPHRASE });
  });

  afterAll(async () => stack?.stop());

  test('backups work with PGBACKREST_REPO1_CIPHER_PASS, the files never hold it, and without it the repository is unreadable', () => {
    ok(stack.job(['stanza-create']), 'stanza-create');
    ok(stack.job(['backup', '--type=full']), 'encrypted full backup');
    const info = JSON.parse(ok(stack.job(['info', '--output=json']), 'info'))[0];
    expect(info.cipher).toBe('aes-256-cbc');
    expect(info.backup).toHaveLength(1);
    for (const file of [stack.dbConf, stack.jobConf]) {
      expect(fs.readFileSync(file, 'utf8')).not.toContain(PASSPHRASE);
    }
    // Without the environment variable pgBackRest cannot even read the repository's info.
    const { PGBACKREST_REPO1_CIPHER_PASS, ...withoutPass } = stack.env;
    expect(PGBACKREST_REPO1_CIPHER_PASS).toBe(PASSPHRASE);
    const denied = stack.job(['info', '--output=json'], withoutPass);
    expect(`${denied.stdout}${denied.stderr}`).toMatch(/cipher|passphrase|unable to/i);
  });
});
