import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { BackupRepository, CompressType, FullRetention, PgBackRestServerSidecar, SecretKeyRef } from '../../src';
import { CLEAR_ERROR } from '../helpers/property';
import { synthValidated } from '../helpers/synth';
import { PodLayout, runInMountNamespace, startInMountNamespace, stopNamespacedServices } from './harness/pod-layout';
import { freePort } from './harness/ports';
import { run, runUnchecked, serviceTempDir, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';

jest.setTimeout(900_000);
afterAll(async () => {
  await stopNamespacedServices();
  await stopAllServices();
});

// Directories that exist on the host without mounts beneath them, so the pod layout can overlay them.
const segments = fc.array(fc.stringMatching(/^[a-z0-9_][a-z0-9_.-]{0,7}$/), { minLength: 0, maxLength: 2 });
const under = (bases: string[]) => fc.tuple(fc.constantFrom(...bases), segments).map(([base, rest]) => [base, ...rest].join('/'));
const sometimesBad = (good: fc.Arbitrary<string>) => fc.oneof({ arbitrary: good, weight: 24 }, { arbitrary: fc.constantFrom('pgdata', '/srv//a', '/srv/../a', '/srv/a b'), weight: 1 });

/** Good values 24 times in 25, so most cases reach pgbackrest and some still test the library's refusals. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 24 }, { arbitrary: bad, weight: 1 });
const count = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 24 }, { arbitrary: fc.constant(0), weight: 1 });
const caseArb = fc.record({
  stanza: fc.oneof({ arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,12}$/), weight: 24 }, { arbitrary: fc.constantFrom('my stanza', '-x', ''), weight: 1 }),
  // Mostly a level inside the type's range, now and then one past it or a level for "none".
  compression: fc.constantFrom(CompressType.ZST, CompressType.LZ4, CompressType.GZ, CompressType.BZ2, CompressType.NONE, undefined).chain((type) => {
    const t = type ?? CompressType.ZST;
    const level = t.minLevel === undefined
      ? fc.option(fc.constant(1), { nil: undefined, freq: 12 })
      : fc.option(mostly(fc.integer({ min: t.minLevel, max: t.maxLevel! }), fc.constant(t.maxLevel! + 1)), { nil: undefined, freq: 4 });
    return fc.record({ type: fc.constant(type), level });
  }),
  processMax: fc.option(mostly(fc.integer({ min: 1, max: 8 }), fc.constant(0)), { nil: undefined }),
  retentionFull: fc.oneof(count.map((n) => FullRetention.count(n)), fc.integer({ min: 0, max: 40 }).map((d) => FullRetention.time(Duration.days(d)))),
  retentionDiff: fc.option(count, { nil: undefined }),
  retentionArchive: fc.option(count, { nil: undefined }),
  repoPath: fc.option(sometimesBad(under(['/pgbackrest', '/backups'])), { nil: undefined }),
  dataMount: sometimesBad(under(['/var/lib/postgresql', '/srv', '/opt'])),
  leaf: fc.constantFrom('pgdata', 'data', '15.main'),
  socketDirectory: fc.option(sometimesBad(under(['/var/run/postgresql', '/run', '/srv'])), { nil: undefined }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** The sidecar as a user would write it with these settings: the library accepts it or explains why not. */
function build(p: Case, pgPort: number) {
  const chart = Testing.chart();
  const secret = (name: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(chart, name, name), name);
  const settings = {
    stanza: p.stanza,
    compressType: p.compression.type,
    compressLevel: p.compression.level,
    processMax: p.processMax,
    repositories: [BackupRepository.posix({
      path: p.repoPath, retentionFull: p.retentionFull, retentionDiff: p.retentionDiff, retentionArchive: p.retentionArchive,
    })],
  };
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata'));
  const repo = kplus.Volume.fromPersistentVolumeClaim(chart, 'Repo', kplus.PersistentVolumeClaim.fromClaimName(chart, 'RepoClaim', 'backups'));
  const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'postgres:15.18', portNumber: pgPort, volumeMounts: [{ path: p.dataMount, volume: data }] }] });
  const server = new PgBackRestServerSidecar(chart, 'Server', {
    workload: db,
    databaseContainer: db.containers[0],
    settings,
    dataDirectory: `${p.dataMount}/${p.leaf}`,
    dataVolume: data,
    dataVolumeMountPath: p.dataMount,
    socketDirectory: p.socketDirectory,
    postgresPort: pgPort,
    repositoryVolume: repo,
    tls: { certificate: secret('crt'), privateKey: secret('key'), ca: secret('ca') },
  });
  const manifests = synthValidated(chart);
  return { manifests, server, pod: manifests.find((m) => m.kind === 'StatefulSet').spec.template.spec };
}

describe('a sample of settings the library accepts is accepted by the real pgbackrest', () => {
  test('~30 cases (seed 1005): stanza-create, check (archive-push through archive_command) and expire', async () => {
    const cases = fc.sample(caseArb, { numRuns: 30, seed: 1005 });
    const counts = { cases: cases.length, libraryAccepted: 0, libraryRefused: 0, programAccepted: 0, programRefused: 0 };
    const refusals: string[] = [];
    const libraryErrors: string[] = [];
    const accepted: string[] = [];
    // One initdb; the data directory moves into each case's data volume (the path PostgreSQL reports must be pg1-path).
    const template = path.join(serviceTempDir('pgdata').path, 'pgdata');
    run(program('initdb'), ['-D', template, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    const pgPort = await freePort();

    for (const [i, p] of cases.entries()) {
      let built: ReturnType<typeof build>;
      try {
        built = build(p, pgPort);
      } catch (e) {
        expect((e as Error).message).toMatch(CLEAR_ERROR);
        counts.libraryRefused++;
        libraryErrors.push((e as Error).message.split(';')[0]);
        continue;
      }
      counts.libraryAccepted++;
      accepted.push(`${p.stanza} ${(p.compression.type ?? CompressType.ZST).value}/${p.compression.level ?? 'default'} process-max=${p.processMax ?? 'default'} `
        + `retention=${p.retentionFull.retentionType}:${p.retentionFull.value} pg1-path=${p.dataMount}/${p.leaf} socket=${p.socketDirectory ?? 'default'} repo=${p.repoPath ?? 'default'}`);
      const { manifests, server, pod } = built;
      const layout = new PodLayout((volume) => {
        if (!volume.configMap) return undefined;
        const map = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === volume.configMap.name);
        return Object.fromEntries(Object.entries<string>(map.data).map(([file, content]) => [file, { content }]));
      });
      const binds = layout.binds('db-0', pod, 'postgres');
      const dataHost = path.join(binds.find((b) => b.at === p.dataMount)!.host, p.leaf);
      const socketDir = p.socketDirectory ?? '/var/run/postgresql';
      fs.renameSync(template, dataHost);
      const postgres = startInMountNamespace(`postgres-${i}`, binds, program('postgres'), [
        '-D', `${p.dataMount}/${p.leaf}`, '-c', `port=${pgPort}`, '-c', 'listen_addresses=', '-c', `unix_socket_directories=${socketDir}`,
        ...server.postgresSettings().flatMap((s) => ['-c', `${s.name}=${s.value}`]),
      ], { logDir: layout.dir('logs') });
      try {
        const socketHost = binds.find((b) => b.at === socketDir)!.host;
        await waitFor('PostgreSQL', () => runUnchecked(program('pg_isready'), ['-h', socketHost, '-p', String(pgPort), '-q']).status === 0, 30_000, postgres);
        // In the database container's layout: the config, repository, spool, socket and PGDATA where the pod has them.
        const pgbackrest = (args: string[]) => runInMountNamespace(binds, program('pgbackrest'),
          ['--config=/etc/pgbackrest/conf/pgbackrest.conf', `--stanza=${p.stanza}`, ...args], { scratch: layout.root, timeoutMs: 180_000 });
        const failed = ['stanza-create', 'check', 'expire'].map((command) => ({ command, result: pgbackrest([command]) })).find((r) => r.result.status !== 0);
        if (failed) {
          counts.programRefused++;
          refusals.push(`case ${i} ${JSON.stringify(p)}: ${failed.command} exited ${failed.result.status}:\n${failed.result.stdout}${failed.result.stderr}`);
        } else {
          counts.programAccepted++;
        }
      } finally {
        await postgres.stop('SIGINT');
        fs.renameSync(dataHost, template);
        layout.remove();
      }
    }
    console.log(`pgBackRest property sample: ${JSON.stringify(counts)}\naccepted by the library:\n  ${accepted.join('\n  ')}\nrefused by the library:\n  ${libraryErrors.join('\n  ')}`);
    expect(refusals).toEqual([]);
    expect(counts.libraryAccepted).toBeGreaterThan(counts.cases / 2);
    expect(counts.libraryRefused).toBeGreaterThan(0);
  });
});
