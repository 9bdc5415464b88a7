/**
 * `npm run bench:failover`: kills the Patroni leader (Patroni and postgres, SIGKILL) under a
 * write load, several times, and prints what each failover cost: time until the DCS names a new
 * leader, until it serves as primary, until the first new write is acknowledged, acknowledged
 * rows against rows present on the new leader, and client errors. Three members on a 3-node
 * etcd on 127.0.0.x, synchronous mode, with the patroni.yml the library renders. Needs the
 * contract-test programs (patroni, etcd, postgresql-15).
 *
 *   npm run bench:failover                  3 failovers, ttl 20 s
 *   BENCH_FAILOVERS=5 BENCH_TTL=30 npm run bench:failover
 */
import { Duration } from 'cdk8s';
import { PatroniDcs, SynchronousMode } from '../src';
import { FailoverFigures, PatroniTestCluster } from '../test/contract/harness/patroni-cluster';
import { stopAllServices } from '../test/contract/harness/processes';

const FAILOVERS = Number(process.env.BENCH_FAILOVERS ?? 3);
const TTL = Number(process.env.BENCH_TTL ?? 20);
const LOOP_WAIT = 2;
const RETRY_TIMEOUT = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  console.log(`Patroni 3.0 failover, 3 members, etcd3 (3 nodes), synchronous_mode on; ttl ${TTL} s, loop_wait ${LOOP_WAIT} s, retry_timeout ${RETRY_TIMEOUT} s`);
  const cluster = await PatroniTestCluster.start((hosts) => ({
    scope: 'bench',
    dcs: PatroniDcs.etcd3({ hosts }),
    ttl: Duration.seconds(TTL),
    loopWait: Duration.seconds(LOOP_WAIT),
    retryTimeout: Duration.seconds(RETRY_TIMEOUT),
    synchronousMode: SynchronousMode.ON,
    postgresSettings: [{ name: 'shared_buffers', value: '32MB' }, { name: 'max_connections', value: '50' }],
  }));
  const runs: FailoverFigures[] = [];
  try {
    const first = await cluster.leaderOf();
    await cluster.replicasCaughtUp(first);
    first.query('CREATE TABLE acked (id integer PRIMARY KEY)');
    for (let i = 0; i < FAILOVERS; i++) {
      const { figures, old, next } = await cluster.failover('acked', 1 + i * 1_000_000, TTL);
      runs.push(figures);
      console.log(`failover ${i + 1}: ${figures.from} -> ${figures.to}  lock ${(figures.timeToLeaderLockMs / 1000).toFixed(1)} s, `
        + `primary ${(figures.timeToNewLeaderMs / 1000).toFixed(1)} s, first write ${(figures.firstWriteAfterKillMs / 1000).toFixed(1)} s, `
        + `rows acknowledged ${figures.acknowledged} / present ${figures.presentOnNewLeader} / lost ${figures.lost}, client errors ${figures.clientErrors}`);
      await cluster.rejoin(old, next);
    }
    const pick = (f: (r: FailoverFigures) => number) => (median(runs.map(f)) / 1000).toFixed(1);
    console.log(`median of ${runs.length}: lock ${pick((r) => r.timeToLeaderLockMs)} s, primary ${pick((r) => r.timeToNewLeaderMs)} s, `
      + `first write ${pick((r) => r.firstWriteAfterKillMs)} s; lost rows in total ${runs.reduce((n, r) => n + r.lost, 0)}`);
  } finally {
    await cluster.stop();
    await stopAllServices();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
