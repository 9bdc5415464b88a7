import { createHash } from 'crypto';
import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { freePort } from './harness/ports';
import { runUnchecked, serviceTempDir, startService, stopAllServices, waitFor, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { LoadBalanceOnWrite, PgpoolBackend, PgpoolBackendFlag, PgpoolDeployment, PgpoolSettings, SecretKeyRef } from '../../src';
import { pgpoolStartScript, renderPgpoolConf, renderPoolHba } from '../../src/replication/pgpool-config';
import { CLEAR_ERROR } from '../helpers/property';
import { synthValidated } from '../helpers/synth';

jest.setTimeout(300_000);
afterAll(stopAllServices);

/** Cases the library accepts, each started with pgpool; generated until there are this many. */
const ACCEPTED = 15;
const MAX_GENERATED = 200;
const CHECK_USER = 'pgpool_check';

/** Mostly values the library should accept, sometimes one it must refuse. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 19 }, { arbitrary: bad, weight: 1 });
const seconds = mostly(fc.integer({ min: 1, max: 600 }).map((s) => Duration.seconds(s)),
  fc.integer({ min: 0, max: 5000 }).map((ms) => Duration.millis(ms)));
const flag = fc.constantFrom(PgpoolBackendFlag.ALLOW_TO_FAILOVER, PgpoolBackendFlag.DISALLOW_TO_FAILOVER, PgpoolBackendFlag.ALWAYS_PRIMARY);
/** Backends on 127.0.0.2x: nothing listens there, pgpool must start anyway (the HA layer brings them). */
const backend: fc.Arbitrary<PgpoolBackend> = fc.record({
  host: mostly(fc.constantFrom('127.0.0.21', '127.0.0.22', '127.0.0.23', 'localhost'), fc.constantFrom('', 'db 1', "db'1", 'db\n1')),
  port: fc.option(mostly(fc.integer({ min: 1024, max: 65535 }), fc.constantFrom(0, 70000)), { nil: undefined }),
  weight: fc.option(mostly(fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(0.5)), fc.constantFrom(-1, Number.NaN)), { nil: undefined }),
  flags: fc.option(mostly(fc.constant([PgpoolBackendFlag.DISALLOW_TO_FAILOVER]), fc.uniqueArray(flag, { maxLength: 2 })),
    { nil: undefined, freq: 2 }),
  applicationName: fc.option(mostly(fc.constantFrom('db-1', 'db_2', 'replica one'), fc.constant('')), { nil: undefined }),
}, { requiredKeys: ['host'] });

const settings: fc.Arbitrary<PgpoolSettings> = fc.record({
  primary: backend,
  standbys: fc.array(backend, { minLength: 1, maxLength: 3 }),
  checkUser: fc.constant(CHECK_USER),
  checkDatabase: fc.option(mostly(fc.constantFrom('postgres', 'app'), fc.constant('')), { nil: undefined }),
  // Bounded: each case forks num_init_children processes on a 2-core machine.
  numInitChildren: fc.option(mostly(fc.integer({ min: 1, max: 40 }), fc.constantFrom(0, 20000)), { nil: undefined }),
  maxPool: fc.option(mostly(fc.integer({ min: 1, max: 8 }), fc.constant(0)), { nil: undefined }),
  reservedConnections: fc.option(mostly(fc.integer({ min: 0, max: 1 }), fc.constant(50)), { nil: undefined }),
  childLifeTime: fc.option(seconds, { nil: undefined }),
  childMaxConnections: fc.option(mostly(fc.integer({ min: 0, max: 1000 }), fc.constant(-1)), { nil: undefined }),
  connectionLifeTime: fc.option(seconds, { nil: undefined }),
  clientIdleLimit: fc.option(seconds, { nil: undefined }),
  loadBalanceMode: fc.option(fc.boolean(), { nil: undefined }),
  statementLevelLoadBalance: fc.option(fc.boolean(), { nil: undefined }),
  disableLoadBalanceOnWrite: fc.option(fc.constantFrom(LoadBalanceOnWrite.TRANSACTION, LoadBalanceOnWrite.TRANS_TRANSACTION,
    LoadBalanceOnWrite.ALWAYS, LoadBalanceOnWrite.DML_ADAPTIVE, LoadBalanceOnWrite.OFF), { nil: undefined }),
  healthCheckPeriod: fc.option(seconds, { nil: undefined }),
  healthCheckTimeout: fc.option(seconds, { nil: undefined }),
  healthCheckMaxRetries: fc.option(mostly(fc.integer({ min: 0, max: 5 }), fc.constant(-1)), { nil: undefined }),
  healthCheckRetryDelay: fc.option(seconds, { nil: undefined }),
  connectTimeout: fc.option(fc.integer({ min: 0, max: 20000 }).map((ms) => Duration.millis(ms)), { nil: undefined }),
  srCheckPeriod: fc.option(seconds, { nil: undefined }),
  delayThreshold: fc.option(mostly(fc.integer({ min: 0, max: 1024 }).map((k) => Size.kibibytes(k)), fc.constant(Size.kibibytes(0.0001))),
    { nil: undefined }),
  preferLowerDelayStandby: fc.option(fc.boolean(), { nil: undefined }),
  autoFailback: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['primary', 'standbys', 'checkUser'] });

/** The construct decides: it throws the library's clear error, or it synthesizes. */
function build(scope: Construct, s: PgpoolSettings): void {
  const secret = (name: string) => kplus.Secret.fromSecretName(scope, `S-${name}`, name);
  new PgpoolDeployment(scope, 'Pool', {
    settings: s,
    users: [{ name: 'app', password: SecretKeyRef.of(secret('app'), 'password') }, { name: CHECK_USER, password: SecretKeyRef.of(secret('check'), 'password') }],
    aesKey: SecretKeyRef.of(secret('key'), 'key'),
    pcpConf: SecretKeyRef.of(secret('pcp'), 'pcp.conf'),
  });
}

/**
 * Issue 16: a fixed sample of generated PgpoolSettings goes through PgpoolDeployment until 15 are
 * accepted; each accepted case is rendered (the construct's renderer, placed on 127.0.0.5) and
 * started with the real pgpool-II 4.3 by the pod's start script (pool_passwd by pg_enc, the AES
 * key, pool_hba, pcp.conf), which must accept connections on its port,
 * without a FATAL or an ignored setting in its log. Every refused case names the prop and value.
 */
describe('PgpoolDeployment settings, sampled, started by the real pgpool-II', () => {
  test('every case the construct accepts starts pgpool; every case it refuses gets a clear error', async () => {
    const sample = fc.sample(settings, { numRuns: MAX_GENERATED, seed: 16 });
    const counts = { cases: 0, accepted: 0, refusedClearly: 0, startedByPgpool: 0, refusedByPgpool: 0 };
    const failures: string[] = [];
    const refusals = new Map<string, number>();
    const started = Date.now();
    for (const [i, s] of sample.entries()) {
      if (counts.accepted === ACCEPTED) break;
      counts.cases++;
      const chart = Testing.chart();
      try {
        build(chart, s);
        synthValidated(chart);
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toMatch(CLEAR_ERROR);
        const prop = /^\[[^\]]+\] ([\w.[\]()]+):/.exec(message)![1].replace(/\[\d+\]/g, '[i]');
        refusals.set(prop, (refusals.get(prop) ?? 0) + 1);
        counts.refusedClearly++;
        continue;
      }
      counts.accepted++;
      const outcome = await startPgpool(chart, s, i);
      if (outcome === undefined) {counts.startedByPgpool++;} else {
        counts.refusedByPgpool++;
        failures.push(`case ${i}: ${JSON.stringify(s)}\n${outcome}`);
      }
    }
    console.log(`PgpoolDeployment property sample (seed 16): ${counts.cases} cases, ${counts.accepted} accepted, ${counts.refusedClearly} refused with a clear error `
      + `(${[...refusals.entries()].sort().map(([p, n]) => `${p} ${n}`).join(', ')}), ${counts.startedByPgpool} started by pgpool-II 4.3, `
      + `${counts.refusedByPgpool} refused by pgpool, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(failures).toEqual([]);
    expect(counts.accepted).toBe(ACCEPTED);
    expect(counts.refusedClearly).toBeGreaterThan(0);
  });
});

/** Starts pgpool as the pod does with `s` rendered on 127.0.0.5; undefined when it ran, else why not. */
async function startPgpool(scope: Construct, s: PgpoolSettings, i: number): Promise<string | undefined> {
  const dir = serviceTempDir(`pgpool-case${i}`);
  const port = await freePort();
  const files = {
    conf: path.join(dir.path, 'pgpool.conf'),
    hba: path.join(dir.path, 'pool_hba.conf'),
    pcp: path.join(dir.path, 'pcp.conf'),
    keySource: path.join(dir.path, 'key-from-secret'),
    key: path.join(dir.path, '.pgpoolkey'),
    runDir: dir.path,
  };
  const conf = renderPgpoolConf(scope, s, {
    listenAddress: '127.0.0.5', port, pcpListenAddress: '127.0.0.5', pcpPort: await freePort(), runDir: dir.path, poolPasswdFile: path.join(dir.path, 'pool_passwd'),
  });
  writeServiceFile(files.conf, conf);
  writeServiceFile(files.hba, renderPoolHba(scope, ['127.0.0.0/8']));
  writeServiceFile(files.pcp, `pcpadmin:${createHash('md5').update('pcp-secret').digest('hex')}\n`);
  writeServiceFile(files.keySource, 'aes-key-property\n', 0o440);
  const script = path.join(dir.path, 'start.sh');
  writeServiceFile(script, pgpoolStartScript([{ name: 'app', passwordVariable: 'P0' }, { name: CHECK_USER, passwordVariable: 'P1' }], files), 0o700);
  const service = startService(`pgpool-case${i}`, '/bin/sh', [script], { env: { P0: 'app-pw', P1: 'check-pw', PATH: `/usr/sbin:${process.env.PATH}` } });
  try {
    // pg_isready: 0 accepting, 1 rejecting (pgpool answers but no backend is up), 2 no answer.
    const listening = () => [0, 1].includes(runUnchecked(program('pg_isready'), ['-h', '127.0.0.5', '-p', String(port), '-t', '3'], { timeoutMs: 5_000 }).status ?? 2);
    await waitFor('pgpool to start and listen', listening, 30_000, service);
    // pg_isready's own login (no password, no backend) ends its child with "FATAL: ... authentication failed": not a config problem.
    const bad = service.output.split('\n').filter((l) => /FATAL|unrecognized configuration parameter|invalid value|out of range/i.test(l) && !/authentication failed/.test(l));
    return bad.length > 0 ? `${bad.join('\n')}\n${conf}` : undefined;
  } catch (e) {
    return `${(e as Error).message}\n${conf}`;
  } finally {
    await service.stop('SIGINT');
    dir.remove();
  }
}
