/**
 * `npm run bench:pgbouncer`: throughput through PgBouncer at 1000 clients against the best
 * direct throughput PostgreSQL 15 (max_connections = 100) reaches, on this machine, with the
 * pgbouncer.ini the library renders. Needs the contract-test programs (see README).
 *
 *   npm run bench:pgbouncer            15 s per run
 *   BENCH_SECONDS=30 npm run bench:pgbouncer
 */
import { pgbench, PgbenchResult } from '../test/contract/harness/pgbench';
import { startPooledPostgres } from '../test/contract/harness/pooled-postgres';
import { stopAllServices } from '../test/contract/harness/processes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DIRECT_CLIENTS = [10, 25, 50, 90];

function line(label: string, clients: number, r: PgbenchResult): string {
  const outcome = r.status === 0 ? `${r.tps?.toFixed(0)} tps, ${r.failedTransactions ?? '?'} failed`
    : r.status === null ? 'FAILED (no result within the time limit; connections refused or stuck)' : `FAILED (exit ${r.status})`;
  return `${label.padEnd(16)} ${String(clients).padStart(5)} clients  ${outcome}`;
}

async function main(): Promise<void> {
  const stack = await startPooledPostgres();
  try {
    console.log(`pgbench -N (simple update), scale 2, ${SECONDS} s per run; PostgreSQL 15 max_connections 100; PgBouncer 1.18 transaction pooling, pool 20`);
    // Direct runs first: afterwards PgBouncer keeps up to a pool of idle server connections
    // (server_idle_timeout), which would take slots from a direct run near max_connections.
    let best: { clients: number; tps: number } | undefined;
    for (const clients of DIRECT_CLIENTS) {
      const direct = pgbench(stack.direct, clients, SECONDS);
      console.log(line('direct', clients, direct));
      if (direct.status === 0 && direct.tps && (!best || direct.tps > best.tps)) best = { clients, tps: direct.tps };
    }
    // Expected to fail: max_connections is 100. Bounded so a stuck run does not stall the bench.
    console.log(line('direct', 1000, pgbench(stack.direct, 1000, 5, 30_000)));
    const pooled = pgbench(stack.pooled, 1000, SECONDS);
    console.log(line('via PgBouncer', 1000, pooled));
    if (pooled.tps && best) {
      console.log(`best direct: ${best.tps.toFixed(0)} tps at ${best.clients} clients`);
      console.log(`ratio PgBouncer@1000 / best direct: ${(pooled.tps / best.tps).toFixed(2)}`);
    }
  } finally {
    await stack.stop();
    await stopAllServices();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
