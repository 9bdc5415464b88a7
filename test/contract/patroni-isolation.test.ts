import { execFile } from 'child_process';
import { Duration } from 'cdk8s';
import { PATRONI_SECRETS, PatroniMember } from './harness/patroni';
import { PatroniTestCluster } from './harness/patroni-cluster';
import { EtcdPathProxy } from './harness/patroni-proxy';
import { stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { PatroniDcs, SynchronousMode } from '../../src';

jest.setTimeout(150_000);

const TTL_SECONDS = 20;
let cluster: PatroniTestCluster;
const proxies: EtcdPathProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.restore()));
  await cluster?.stop();
  await Promise.all(proxies.map((p) => p.close()));
  await stopAllServices();
});

/** Whether PostgreSQL on `member` runs as a primary (not in recovery): what a client would write to. */
function acceptsWrites(member: PatroniMember): Promise<boolean> {
  return new Promise((resolve) => {
    const target = ['-h', member.place.host, '-p', String(member.place.pgPort), '-U', 'postgres', '-d', 'postgres'];
    execFile(program('psql'), ['-X', '-A', '-t', '-q', ...target, '-c', 'SELECT pg_is_in_recovery()'],
      { env: { ...process.env, PGPASSWORD: PATRONI_SECRETS.PATRONI_SUPERUSER_PASSWORD, PGCONNECT_TIMEOUT: '1' }, timeout: 3_000 },
      (error, stdout) => resolve(!error && stdout.trim() === 'f'));
  });
}

describe('Patroni leader isolated from etcd (failsafe_mode off)', () => {
  beforeAll(async () => {
    // Each member reaches etcd only through its own proxy, so one member alone can be cut off.
    cluster = await PatroniTestCluster.start(async (hosts, member) => {
      const proxy = await EtcdPathProxy.start(`127.0.0.${40 + member}`, hosts);
      proxies[member] = proxy;
      return {
        scope: 'iso',
        dcs: PatroniDcs.etcd3({ hosts: [proxy.address], useProxies: true }),
        ttl: Duration.seconds(TTL_SECONDS),
        loopWait: Duration.seconds(2),
        retryTimeout: Duration.seconds(5),
        synchronousMode: SynchronousMode.ON,
        postgresSettings: [{ name: 'shared_buffers', value: '32MB' }, { name: 'max_connections', value: '50' }],
      };
    });
  });

  test('GIVEN a leader cut off from etcd WHEN the others elect a new one THEN it demotes itself first: never two writable primaries at any sampled moment', async () => {
    const old = await cluster.leaderOf();
    await cluster.replicasCaughtUp(old);
    const index = cluster.members.indexOf(old);
    let sampling = true;
    let maxPrimaries = 0;
    let samples = 0;
    let oldDemotedAt: number | undefined;
    const cutAt = Date.now();
    const sampler = (async () => {
      while (sampling) {
        const writable = await Promise.all(cluster.members.map((m) => acceptsWrites(m)));
        maxPrimaries = Math.max(maxPrimaries, writable.filter(Boolean).length);
        samples++;
        if (!writable[index] && oldDemotedAt === undefined) oldDemotedAt = Date.now();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    proxies[index].cut();
    const next = await cluster.leaderOf(cluster.members.filter((m) => m !== old), (TTL_SECONDS + 30) * 1000);
    await waitFor('the new leader to accept writes', () => cluster.leaders().includes(next), 10_000);
    const newLeaderAt = Date.now();
    // Keep sampling a while with both running: the isolated one must stay a non-primary.
    await new Promise((r) => setTimeout(r, 5_000));
    sampling = false;
    await sampler;
    console.log(`patroni isolation: ${JSON.stringify({
      isolated: old.name,
      newLeader: next.name,
      oldLeaderDemotedAfterMs: oldDemotedAt && oldDemotedAt - cutAt,
      newLeaderAfterMs: newLeaderAt - cutAt,
      samples,
      maxWritablePrimaries: maxPrimaries,
    })}`);
    expect(maxPrimaries).toBe(1);
    expect(oldDemotedAt).toBeDefined();
    expect(oldDemotedAt!).toBeLessThan(newLeaderAt);

    // Back in touch with etcd, the old leader (still running) follows the new one.
    proxies[index].restore();
    await cluster.streamsFrom(old, next);
  });
});
