import * as http from 'http';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { freePort } from './ports';
import { run, runUnchecked, Service, serviceTempDir, startService, writeServiceFile } from './processes';
import { program } from './programs';
import { PatroniSettings } from '../../../src';
import { renderPatroniYaml, resolvePatroniSettings } from '../../../src/patroni/patroni-config';

/** Passwords a member gets through the environment, as the pod gets them from Secrets. */
export const PATRONI_SECRETS = {
  PATRONI_SUPERUSER_PASSWORD: 'super-secret-3f9a',
  PATRONI_REPLICATION_PASSWORD: 'repl-secret-81c2',
  PATRONI_REWIND_PASSWORD: 'rewind-secret-5d07',
  PATRONI_RESTAPI_USERNAME: 'patroni',
  PATRONI_RESTAPI_PASSWORD: 'rest-secret-c4e1',
};

/** What a REST call answered. */
export interface RestAnswer {
  readonly status: number;
  readonly body: string;
}

/** Where one member lives: its own loopback address (Patroni refuses 127.0.0.1 as connect_address). */
export interface MemberPlace {
  readonly name: string;
  readonly host: string;
  readonly restPort: number;
  readonly pgPort: number;
  readonly dir: string;
  readonly configFile: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Renders the member's patroni.yml from settings and the environment a pod would give it. */
export async function placeMember(settings: PatroniSettings, index: number): Promise<MemberPlace> {
  const dir = serviceTempDir(`patroni${index}`).path;
  const host = `127.0.0.${20 + index}`;
  const restPort = await freePort();
  const pgPort = await freePort();
  const resolved = resolvePatroniSettings(Testing.chart(), settings);
  const text = renderPatroniYaml(resolved, {
    restApiListen: `${host}:${restPort}`,
    postgresListen: `${host}:${pgPort}`,
    dataDir: path.join(dir, 'data'),
    binDir: '/usr/lib/postgresql/15/bin',
    pgpassFile: path.join(dir, 'pgpass'),
    socketDir: dir,
  });
  const configFile = path.join(dir, 'patroni.yml');
  writeServiceFile(configFile, text);
  const name = `member${index}`;
  const env = {
    ...PATRONI_SECRETS,
    // What the construct sets from the pod's name and IP.
    PATRONI_NAME: name,
    PATRONI_RESTAPI_CONNECT_ADDRESS: `${host}:${restPort}`,
    PATRONI_POSTGRESQL_CONNECT_ADDRESS: `${host}:${pgPort}`,
  };
  return { name, host, restPort, pgPort, dir, configFile, env };
}

/** `patroni --validate-config`: its exit status and what it printed. */
export function validateConfig(place: MemberPlace): { status: number | null; output: string } {
  const result = runUnchecked(program('patroni'), ['--validate-config', place.configFile], { env: place.env, timeoutMs: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A running Patroni member (Patroni starts and supervises its own postgres). */
export class PatroniMember {
  public static start(place: MemberPlace): PatroniMember {
    return new PatroniMember(place, startService(`patroni-${place.name}`, program('patroni'), [place.configFile], { env: place.env }));
  }

  private constructor(public readonly place: MemberPlace, public service: Service) {}

  public get name(): string {
    return this.place.name;
  }

  /** Starts Patroni again on the same data directory (after a kill). */
  public restart(): void {
    this.service = startService(`patroni-${this.place.name}`, program('patroni'), [this.place.configFile], { env: this.place.env });
  }

  /**
   * Stops Patroni (SIGTERM: it shuts PostgreSQL down), then kills a postmaster left behind by
   * PID (a Patroni killed while PostgreSQL ran leaves it orphaned).
   */
  public async stop(): Promise<void> {
    await this.service.stop('SIGTERM', 30_000);
    const pid = this.postmasterPid();
    // postmaster.pid outlives a killed server: only a process that is this member's postgres.
    const cmdline = pid === undefined ? '' : runUnchecked('/bin/cat', [`/proc/${pid}/cmdline`]).stdout ?? '';
    if (pid === undefined || !cmdline.includes(path.join(this.place.dir, 'data'))) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** The postmaster's PID, from postmaster.pid. */
  public postmasterPid(): number | undefined {
    const out = runUnchecked('/bin/cat', [path.join(this.place.dir, 'data', 'postmaster.pid')]);
    const pid = Number(out.stdout.split('\n')[0]);
    return out.status === 0 && pid > 0 ? pid : undefined;
  }

  /** A REST call; resolves with the status and body (never rejects on a status). */
  public rest(method: string, route: string, body?: unknown, timeoutMs = 5_000): Promise<RestAnswer> {
    return restCall(this.place, method, route, body, timeoutMs);
  }

  /** Runs SQL as the superuser over TCP, as applications do. */
  public query(sql: string, database = 'postgres'): string {
    const target = ['-h', this.place.host, '-p', String(this.place.pgPort), '-U', 'postgres', '-d', database];
    return run(program('psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', ...target, '-c', sql],
      { env: { PGPASSWORD: PATRONI_SECRETS.PATRONI_SUPERUSER_PASSWORD, PGCONNECT_TIMEOUT: '3' }, timeoutMs: 15_000 }).replace(/\n$/, '');
  }
}

/** A REST call to a member with the REST API credentials; a refused connection is status 0. */
export function restCall(place: MemberPlace, method: string, route: string, body?: unknown, timeoutMs = 5_000): Promise<RestAnswer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const auth = Buffer.from(`${PATRONI_SECRETS.PATRONI_RESTAPI_USERNAME}:${PATRONI_SECRETS.PATRONI_RESTAPI_PASSWORD}`).toString('base64');
    const req = http.request({
      host: place.host,
      port: place.restPort,
      path: route,
      method,
      timeout: timeoutMs,
      headers: { Authorization: `Basic ${auth}`, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    if (payload) req.write(payload);
    req.end();
  });
}
