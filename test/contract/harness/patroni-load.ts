import { execFile } from 'child_process';
import { PATRONI_SECRETS, PatroniMember } from './patroni';
import { program } from './programs';

/**
 * A writer that inserts numbered rows one autocommit transaction at a time through libpq's
 * multi-host connection string with `target_session_attrs=read-write`, as an application
 * following the primary would. A row counts as acknowledged only when psql exits 0 after its
 * INSERT: that is a commit the client was told succeeded, which a failover must not lose.
 */
export class WriteLoad {
  public readonly acknowledged: number[] = [];
  public errors = 0;
  /** Time of the first acknowledged commit after `markGap()`. */
  public firstAckAfterMark?: number;
  private next: number;
  private running = false;
  private done?: Promise<void>;
  private markedAt?: number;

  /** `firstId`: where this load's ids start, so two loads on one table do not collide. */
  constructor(private readonly members: readonly PatroniMember[], private readonly table: string, firstId = 1) {
    this.next = firstId;
  }

  public start(): void {
    this.running = true;
    this.done = this.loop();
  }

  /** Remember now; `firstAckAfterMark` is then set by the first commit begun later and acknowledged. */
  public mark(): void {
    this.markedAt = Date.now();
    this.firstAckAfterMark = undefined;
  }

  public async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const id = this.next++;
      const startedAt = Date.now();
      const ok = await this.insert(id);
      if (ok) {
        this.acknowledged.push(id);
        // Only a commit begun after the mark: one in flight at the kill may still complete.
        if (this.markedAt !== undefined && startedAt > this.markedAt && this.firstAckAfterMark === undefined) this.firstAckAfterMark = Date.now();
      } else {
        this.errors++;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private insert(id: number): Promise<boolean> {
    const hosts = this.members.map((m) => m.place.host).join(',');
    const ports = this.members.map((m) => m.place.pgPort).join(',');
    const conninfo = `host=${hosts} port=${ports} user=postgres dbname=postgres target_session_attrs=read-write connect_timeout=2`;
    return new Promise((resolve) => {
      execFile(program('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo, '-c', `INSERT INTO ${this.table} (id) VALUES (${id})`],
        { env: { ...process.env, PGPASSWORD: PATRONI_SECRETS.PATRONI_SUPERUSER_PASSWORD }, timeout: 10_000 },
        (error) => resolve(!error));
    });
  }
}

/** Acknowledged ids missing from `present`. */
export function lostRows(acknowledged: readonly number[], present: readonly number[]): number[] {
  const have = new Set(present);
  return acknowledged.filter((id) => !have.has(id));
}
