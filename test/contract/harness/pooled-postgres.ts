import { Duration, Testing } from 'cdk8s';
import { PgbenchTarget } from './pgbench';
import { PgBouncerProcess } from './pgbouncer';
import { PostgresServer } from './postgres';
import { run } from './processes';
import { program } from './programs';
import { PgBouncerSettings, PgBouncerVersion, PoolMode } from '../../../src';
import { checkPgBouncerSettings, renderPgBouncerConfig } from '../../../src/pooling/pgbouncer-config';

/** PostgreSQL 15 with max_connections = 100 and SCRAM over TCP, and PgBouncer in front of it. */
export interface PooledPostgres {
  readonly server: PostgresServer;
  readonly bouncer: PgBouncerProcess;
  readonly direct: PgbenchTarget;
  readonly pooled: PgbenchTarget;
  readonly admin: { readonly user: string; readonly password: string };
  readonly ini: string;
  stop(): Promise<void>;
}

const APP = { user: 'app', password: 'app-secret-9f2c', database: 'app' };
const ADMIN = { user: 'pgbadmin', password: 'admin-secret-41d7' };

/**
 * Starts the stack the pooling constructs describe: the settings go through the library's own
 * checks and renderer (with the placement a pod would get, except that it listens on 127.0.0.1
 * and reads the auth file from the test's directory).
 */
export async function startPooledPostgres(overrides: Partial<PgBouncerSettings> = {}): Promise<PooledPostgres> {
  const server = await PostgresServer.start({
    initdbArgs: ['--auth-host=scram-sha-256', '--auth-local=trust'],
    conf: "max_connections = 100\npassword_encryption = 'scram-sha-256'\n",
  });
  for (const role of [APP, ADMIN]) server.query(`CREATE ROLE ${role.user} LOGIN PASSWORD '${role.password}'`);
  server.query(`CREATE DATABASE ${APP.database} OWNER ${APP.user}`);
  run(program('pgbench'), ['-i', '-q', '-s', '2', '-h', server.socketDir, '-p', String(server.port), '-U', APP.user, APP.database]);
  // The auth file holds the SCRAM verifiers PostgreSQL stored: never a plaintext password.
  const userlist = server.query(`SELECT string_agg(format('"%s" "%s"', rolname, rolpassword), E'\\n' ORDER BY rolname) FROM pg_authid WHERE rolname IN ('${APP.user}', '${ADMIN.user}')`) + '\n';

  const settings: PgBouncerSettings = {
    poolMode: PoolMode.TRANSACTION,
    databases: [{ name: APP.database, host: '127.0.0.1', port: server.port }],
    maxClientConn: 2000,
    adminUsers: [ADMIN.user],
    serverLoginRetry: Duration.seconds(1),
    ...overrides,
  };
  let ini = '';
  const bouncer = await PgBouncerProcess.start(({ port, dir }) => {
    const scope = Testing.chart();
    checkPgBouncerSettings(scope, settings, PgBouncerVersion.V1_18);
    ini = renderPgBouncerConfig(scope, settings, { listenAddress: '127.0.0.1', listenPort: port, authFile: `${dir}/userlist.txt` });
    return { ini, userlist };
  });
  return {
    server,
    bouncer,
    ini,
    direct: { port: server.port, ...APP },
    pooled: { port: bouncer.place.port, ...APP },
    admin: ADMIN,
    stop: async () => {
      await bouncer.stop();
      await server.stop();
    },
  };
}
