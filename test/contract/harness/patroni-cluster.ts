import { EtcdCluster } from './etcd';
import { PatroniMember, placeMember } from './patroni';
import { lostRows, WriteLoad } from './patroni-load';
import { waitFor } from './processes';
import { PatroniSettings } from '../../../src';

/** What one failover measured. */
export interface FailoverFigures {
  readonly from: string;
  readonly to: string;
  /** From the kill to the DCS naming another leader. */
  readonly timeToLeaderLockMs: number;
  /** From the kill to the new leader's REST API reporting the primary role. */
  readonly timeToNewLeaderMs: number;
  /** From the kill to the first commit begun after it and acknowledged. */
  readonly firstWriteAfterKillMs: number;
  readonly acknowledged: number;
  readonly presentOnNewLeader: number;
  readonly lost: number;
  /** Failed write attempts of the client during the failover (it retries every 0.1 s). */
  readonly clientErrors: number;
}

/** Each member's settings, given the etcd members' `host:port`s (a member may reach etcd through a proxy). */
export type MemberSettings = (etcdHosts: string[], member: number) => PatroniSettings | Promise<PatroniSettings>;

/** A failover's figures, the members involved, and the load (its acknowledged ids). */
export interface FailoverRun {
  readonly figures: FailoverFigures;
  readonly old: PatroniMember;
  readonly next: PatroniMember;
  readonly load: WriteLoad;
}

/**
 * Three Patroni members on a 3-node etcd, all on 127.0.0.x, with the library's patroni.yml; a
 * background poll of every member's REST API (role, state) and of the DCS leader.
 */
export class PatroniTestCluster {
  /** Starts etcd and the members: the first bootstraps alone, then the other two join. */
  public static async start(settings: MemberSettings, size = 3): Promise<PatroniTestCluster> {
    const etcd = await EtcdCluster.start(3);
    const cluster = new PatroniTestCluster(etcd);
    const places = await Promise.all(Array.from({ length: size }, async (_, i) => placeMember(await settings(etcd.hosts, i), i)));
    cluster.members.push(PatroniMember.start(places[0]));
    void cluster.poll();
    await cluster.leaderOf();
    // The others join once the first has bootstrapped, so the bootstrap race is not the test.
    cluster.members.push(...places.slice(1).map((p) => PatroniMember.start(p)));
    return cluster;
  }

  public readonly members: PatroniMember[] = [];
  /** Last answer of GET /patroni per member. */
  public readonly status = new Map<string, { role?: string; state?: string }>();
  /** The leader in the DCS as GET /cluster reports it, and since when. */
  public dcsLeader: { name?: string; since: number } = { since: 0 };
  private polling = true;

  private constructor(public readonly etcd: EtcdCluster) {}

  /** Members running with the primary role. */
  public leaders(): PatroniMember[] {
    return this.members.filter((m) => m.service.running && ['master', 'primary'].includes(this.status.get(m.name)?.role ?? ''));
  }

  /** Waits for a leader among `group`. */
  public async leaderOf(group: PatroniMember[] = this.members, timeoutMs = 60_000): Promise<PatroniMember> {
    await waitFor('a leader', () => this.leaders().some((l) => group.includes(l)), timeoutMs);
    return this.leaders().find((l) => group.includes(l))!;
  }

  /** Every other member streams from the leader and has replayed all it wrote; one is synchronous. */
  public async replicasCaughtUp(leader: PatroniMember): Promise<void> {
    const others = this.members.length - 1;
    await waitFor(`${others} streaming replicas (one sync) caught up`, () => {
      try {
        return leader.query("SELECT count(*) FILTER (WHERE state = 'streaming' AND replay_lsn = pg_current_wal_lsn()), "
          + "count(*) FILTER (WHERE sync_state = 'sync') FROM pg_stat_replication") === `${others}|1`;
      } catch {
        return false;
      }
    }, 60_000);
  }

  /** The ids in `table` on `member`. */
  public rowsOn(member: PatroniMember, table: string): number[] {
    return member.query(`SELECT id FROM ${table} ORDER BY id`).split('\n').filter(Boolean).map(Number);
  }

  /**
   * Under a write load, SIGKILLs the leader's Patroni and postgres, waits for a new leader and
   * for writes on it, and counts acknowledged rows against the new leader's table.
   */
  public async failover(table: string, firstId: number, ttlSeconds: number): Promise<FailoverRun> {
    const old = await this.leaderOf();
    await this.replicasCaughtUp(old);
    const load = new WriteLoad(this.members, table, firstId);
    load.start();
    await waitFor('some acknowledged writes', () => load.acknowledged.length >= 50, 30_000);
    const postmaster = old.postmasterPid();
    if (postmaster === undefined) throw new Error(`no postmaster.pid for ${old.name}`);
    const errorsBefore = load.errors;
    const killedAt = Date.now();
    load.mark();
    process.kill(old.service.pid, 'SIGKILL');
    process.kill(postmaster, 'SIGKILL');
    const next = await this.leaderOf(this.members.filter((m) => m !== old), (ttlSeconds + 30) * 1000);
    const toLeader = Date.now() - killedAt;
    await waitFor('the DCS to name the new leader', () => this.dcsLeader.name === next.name, 10_000);
    await waitFor('a write acknowledged by the new leader', () => load.firstAckAfterMark !== undefined, 30_000);
    const target = load.acknowledged.length + 50;
    await waitFor('more writes', () => load.acknowledged.length >= target, 30_000);
    await load.stop();
    // This load's rows only: the table may hold an earlier load's.
    const present = this.rowsOn(next, table).filter((id) => id >= firstId && id < firstId + 1_000_000);
    const figures: FailoverFigures = {
      from: old.name,
      to: next.name,
      timeToLeaderLockMs: this.dcsLeader.since - killedAt,
      timeToNewLeaderMs: toLeader,
      firstWriteAfterKillMs: load.firstAckAfterMark! - killedAt,
      acknowledged: load.acknowledged.length,
      presentOnNewLeader: present.length,
      lost: lostRows(load.acknowledged, present).length,
      clientErrors: load.errors - errorsBefore,
    };
    return { figures, old, next, load };
  }

  /** Restarts a killed member and waits until it streams from `leader` as a running replica. */
  public async rejoin(member: PatroniMember, leader: PatroniMember): Promise<void> {
    member.restart();
    await this.streamsFrom(member, leader);
  }

  /** Waits until `member` streams from `leader` as a running replica. */
  public async streamsFrom(member: PatroniMember, leader: PatroniMember): Promise<void> {
    await waitFor(`${member.name} back as a streaming replica`, () => {
      const s = this.status.get(member.name);
      if (s?.role !== 'replica' || s.state !== 'running') return false;
      try {
        return leader.query(`SELECT count(*) FROM pg_stat_replication WHERE application_name = '${member.name}' AND state = 'streaming'`) === '1';
      } catch {
        return false;
      }
    }, 60_000, member.service);
  }

  /** Stops the members (each shuts its postgres down), then etcd. */
  public async stop(): Promise<void> {
    this.polling = false;
    await Promise.all(this.members.map((m) => m.stop()));
    await this.etcd.stop();
  }

  private async poll(): Promise<void> {
    while (this.polling) {
      await Promise.all(this.members.map(async (m) => {
        if (!m.service.running) {
          this.status.set(m.name, {});
          return;
        }
        const answer = await m.rest('GET', '/patroni', undefined, 1_000);
        this.status.set(m.name, answer.status === 200 ? JSON.parse(answer.body) : {});
      }));
      const reporter = this.members.find((m) => m.service.running && this.status.get(m.name)?.state === 'running');
      const cluster = reporter ? await reporter.rest('GET', '/cluster', undefined, 1_000) : undefined;
      if (cluster?.status === 200) {
        const name = (JSON.parse(cluster.body).members as Array<{ name: string; role: string }>).find((m) => m.role === 'leader')?.name;
        if (name !== this.dcsLeader.name) this.dcsLeader = { name, since: Date.now() };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
