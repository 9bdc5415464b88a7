import { runUnchecked, startService } from './processes';
import { program } from './programs';

export interface PgbenchTarget {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export interface PgbenchResult {
  readonly status: number | null;
  readonly output: string;
  /** Transactions per second pgbench reports (without initial connection time), when it finished. */
  readonly tps?: number;
  /** "number of failed transactions" (PostgreSQL 15 pgbench), when reported. */
  readonly failedTransactions?: number;
  /** Whether pgbench aborted clients (a connection or query error ends a client). */
  readonly aborted: boolean;
}

/** pgbench over TCP on 127.0.0.1: `-n` (no vacuum), simple-update transactions (`-N`). */
function args(target: PgbenchTarget, clients: number, seconds: number): string[] {
  const threads = Math.min(8, clients);
  return ['-h', '127.0.0.1', '-p', String(target.port), '-U', target.user, '-n', '-N', '-c', String(clients), '-j', String(threads), '-T', String(seconds), target.database];
}

/** Runs pgbench to completion and parses its summary. */
export function pgbench(target: PgbenchTarget, clients: number, seconds: number, timeoutMs = (seconds + 90) * 1000): PgbenchResult {
  const result = runUnchecked(program('pgbench'), args(target, clients, seconds), {
    env: { PGPASSWORD: target.password, PGCONNECT_TIMEOUT: '10' },
    timeoutMs,
  });
  return parse(result.status, `${result.stdout}${result.stderr}`);
}

/** Starts pgbench in the background (a Service, stopped by PID like any other). */
export function pgbenchInBackground(target: PgbenchTarget, clients: number, seconds: number) {
  return startService('pgbench', program('pgbench'), args(target, clients, seconds), { env: { PGPASSWORD: target.password } });
}

export function parse(status: number | null, output: string): PgbenchResult {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output);
  const failed = /number of failed transactions: (\d+)/.exec(output);
  return {
    status,
    output,
    tps: tps ? Number(tps[1]) : undefined,
    failedTransactions: failed ? Number(failed[1]) : undefined,
    aborted: /aborted|client \d+ aborted/i.test(output),
  };
}
