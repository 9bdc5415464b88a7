import { PostgresServer } from './harness/postgres';
import { startService, stopAllServices } from './harness/processes';
import { program } from './harness/programs';
import { renderPostgresConf } from '../../src/core/render/postgres-conf';

jest.setTimeout(60_000);
afterAll(stopAllServices);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('contract harness', () => {
  test('a missing program is an error that names its Debian package, never a skip', () => {
    expect(() => program('no-such-program')).toThrow('contract tests need "no-such-program"');
    expect(() => program('pgbouncer')).not.toThrow();
  });

  test('a configuration PostgreSQL rejects fails the start with the server\'s own message', async () => {
    const conf = renderPostgresConf('postgresql.conf', [{ key: 'max_connections', value: 'many' }]);
    await expect(PostgresServer.start({ conf })).rejects.toThrow(/postgres exited while waiting for PostgreSQL to accept connections:[^]*invalid value for parameter "max_connections": "many"/);
  });

  test('stopAllServices stops what a test left running, by PID', async () => {
    const sleeper = startService('sleep', '/bin/sleep', ['300']);
    expect(alive(sleeper.pid)).toBe(true);
    await stopAllServices();
    expect(sleeper.running).toBe(false);
    expect(alive(sleeper.pid)).toBe(false);
  });
});
