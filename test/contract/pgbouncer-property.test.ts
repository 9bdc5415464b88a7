import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Container } from './harness/container';
import { acceptsConnections, adminConsole } from './harness/pgbouncer';
import { PodLayout } from './harness/pod-layout';
import { freePort } from './harness/ports';
import { serviceTempDir, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { PgBouncerSettings } from '../../src';
import { CLEAR_ERROR } from '../helpers/property';
import { synthValidated } from '../helpers/synth';
import { buildPooler, pgbouncerSettings, withHbaFile } from '../pooling/pgbouncer-arbitraries';

/** What the kubelet puts into a volume. */
type VolumeFiles = Record<string, { content: string; mode?: number }> | undefined;

jest.setTimeout(300_000);
afterAll(stopAllServices);

const PROBE = { user: 'pgb_probe', password: 'probe-secret-7c1d' };
/** Cases the library accepts, each started with pgbouncer; generated until there are this many. */
const ACCEPTED = 30;
const MAX_GENERATED = 400;

/** The value the library meant for each typed setting, in SHOW CONFIG's spelling (defaults included). */
function meant(s: PgBouncerSettings, port: number): Record<string, string | number> {
  const seconds = (d: { toMilliseconds(o: { integral: boolean }): number } | undefined, fallback: number) =>
    (d ? d.toMilliseconds({ integral: false }) / 1000 : fallback);
  return {
    listen_addr: '*',
    listen_port: port,
    pool_mode: s.poolMode.value,
    default_pool_size: s.defaultPoolSize ?? 20,
    min_pool_size: s.minPoolSize ?? 5,
    reserve_pool_size: s.reservePoolSize ?? 0,
    max_client_conn: s.maxClientConn ?? 1000,
    max_db_connections: s.maxDbConnections ?? 50,
    max_user_connections: s.maxUserConnections ?? 0,
    query_timeout: seconds(s.queryTimeout, 30),
    server_idle_timeout: seconds(s.serverIdleTimeout, 300),
    reserve_pool_timeout: seconds(s.reservePoolTimeout, 5),
    stats_period: seconds(s.statsPeriod, 60),
    auth_type: s.authType?.value ?? 'scram-sha-256',
    admin_users: (s.adminUsers ?? []).join(','),
    stats_users: (s.statsUsers ?? []).join(','),
    ignore_startup_parameters: (s.ignoreStartupParameters ?? ['extra_float_digits']).join(','),
    log_connections: s.logConnections === false ? '0' : '1',
  };
}

/** SHOW CONFIG prints times with six significant digits (1e+07 for 10000000 s). */
function same(shown: string, expected: string | number): boolean {
  if (typeof expected === 'string') return shown === expected;
  return Number(shown) === Number(expected.toPrecision(6));
}

/**
 * Also of issue 11: a fixed sample of generated settings goes through PgBouncerSidecar until 30
 * cases are accepted; each case the library accepts is started with the real pgbouncer 1.18 from the synthesized pod's files
 * (ConfigMap ini, Secret userlist and HBA rules at their mount paths), and SHOW CONFIG / SHOW
 * DATABASES on the admin console must read back every setting as the library meant it.
 */

/** Whether a process exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('PgBouncerSidecar settings, sampled, read back by the real pgbouncer', () => {
  test('every case the library accepts starts pgbouncer and reads back as meant', async () => {
    const sample = fc.sample(fc.tuple(pgbouncerSettings, withHbaFile), { numRuns: MAX_GENERATED, seed: 11 });
    const counts = { cases: 0, synthesized: 0, refusedClearly: 0, acceptedByPgbouncer: 0, refusedByPgbouncer: 0, mismatched: 0 };
    const failures: string[] = [];
    const leftRunning: string[] = [];
    const logs = serviceTempDir('pgb-property-logs').path;
    for (const [i, [generated, hba]] of sample.entries()) {
      if (counts.synthesized === ACCEPTED) break;
      counts.cases++;
      // The admin console needs a user allowed to run SHOW: added to what was generated.
      const s: PgBouncerSettings = { ...generated, statsUsers: [...(generated.statsUsers ?? []), PROBE.user] };
      const port = await freePort();
      const chart = Testing.chart();
      let manifests: any[];
      try {
        buildPooler(chart, s, hba, port);
        manifests = synthValidated(chart);
      } catch (e) {
        expect((e as Error).message).toMatch(CLEAR_ERROR);
        counts.refusedClearly++;
        continue;
      }
      counts.synthesized++;
      const pod = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
      const ini: string = manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini'];
      const layout = new PodLayout((volume): VolumeFiles => {
        if (volume.configMap) return { 'pgbouncer.ini': { content: ini } };
        const item = volume.secret?.items?.[0];
        // A plaintext password in the auth file serves SCRAM and MD5 alike; the HBA rules require SCRAM.
        if (volume.secret?.secretName === 'pgbouncer-userlist') return { [item.path]: { content: `"${PROBE.user}" "${PROBE.password}"\n`, mode: item.mode } };
        if (volume.secret?.secretName === 'pgbouncer-hba') return { [item.path]: { content: 'host all all 127.0.0.1/32 scram-sha-256\n', mode: item.mode } };
        return undefined;
      });
      const spec = pod.containers.find((c: any) => c.name === 'pgbouncer');
      const container = Container.start(`pgbouncer-case${i}`, '/etc/pgbouncer', layout.binds(`case${i}`, pod, 'pgbouncer'),
        [program(spec.command[0]), ...spec.command.slice(1)], logs);
      try {
        const admin = (command: string) => adminConsole(port, PROBE.user, command, { PGPASSWORD: PROBE.password });
        try {
          await waitFor('pgbouncer to listen', () => acceptsConnections(port), 15_000, container.service);
        } catch (e) {
          counts.refusedByPgbouncer++;
          failures.push(`case ${i}: pgbouncer refused ${JSON.stringify(generated)}:\n${ini}\n${(e as Error).message}`);
          continue;
        }
        counts.acceptedByPgbouncer++;
        const config = new Map(admin('SHOW CONFIG').map((row) => [row[0], row[1]]));
        for (const [key, expected] of Object.entries(meant(s, port))) {
          if (!same(config.get(key) ?? '<missing>', expected)) failures.push(`case ${i}: ${key} is ${config.get(key)}, meant ${expected}`);
        }
        const databases = new Map(admin('SHOW DATABASES').map((row) => [row[0], row]));
        for (const db of s.databases) {
          // name | host | port | database | force_user | pool_size
          const row = databases.get(db.name);
          const expected = [db.name, db.host, String(db.port ?? 5432), db.dbname ?? (db.name === '*' ? '' : db.name), db.forceUser ?? '', String(db.poolSize ?? s.defaultPoolSize ?? 20)];
          if (db.name !== '*' && JSON.stringify(row?.slice(0, 6)) !== JSON.stringify(expected)) failures.push(`case ${i}: [databases] ${JSON.stringify(row?.slice(0, 6))}, meant ${JSON.stringify(expected)}`);
        }
        if (failures.length > 0 && failures[failures.length - 1].startsWith(`case ${i}:`)) counts.mismatched++;
      } finally {
        const pid1 = container.pid1;
        await container.stop();
        if (pid1 !== undefined && alive(pid1)) leftRunning.push(`case ${i}: pgbouncer (pid ${pid1}) still running after the container was stopped`);
        layout.remove();
      }
    }
    console.log(`PgBouncerSidecar property sample (seed 11): ${counts.cases} cases, ${counts.synthesized} synthesized, ${counts.refusedClearly} refused with a clear error, `
      + `${counts.acceptedByPgbouncer} accepted by pgbouncer 1.18, ${counts.refusedByPgbouncer} refused by pgbouncer, ${counts.mismatched} read back differently`);
    expect(failures).toEqual([]);
    // Regression: Container.stop killed unshare only, and every case's pgbouncer lived on (30 per run).
    expect(leftRunning).toEqual([]);
    expect(counts.refusedByPgbouncer).toBe(0);
    expect(counts.synthesized).toBe(ACCEPTED);
    expect(counts.refusedClearly).toBeGreaterThan(0);
  });
});
