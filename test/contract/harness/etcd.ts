import * as path from 'path';
import { httpGet } from './http';
import { freePort } from './ports';
import { Service, serviceTempDir, startService, waitFor } from './processes';
import { program } from './programs';

/** One etcd member: its address, its client port, and the process. */
export interface EtcdMember {
  readonly name: string;
  readonly host: string;
  readonly clientPort: number;
  readonly peerPort: number;
  service: Service;
}

/**
 * An etcd cluster of `size` members, member i on 127.0.0.(10+i), started by PID in temporary
 * directories. Patroni's etcd3 DCS talks to the v3 gRPC gateway over HTTP.
 */
export class EtcdCluster {
  public static async start(size = 1): Promise<EtcdCluster> {
    const dir = serviceTempDir('etcd');
    const members: EtcdMember[] = [];
    for (let i = 0; i < size; i++) {
      members.push({ name: `etcd${i}`, host: `127.0.0.${10 + i}`, clientPort: await freePort(), peerPort: await freePort(), service: undefined as unknown as Service });
    }
    const initialCluster = members.map((m) => `${m.name}=http://${m.host}:${m.peerPort}`).join(',');
    const cluster = new EtcdCluster(members, dir.path, initialCluster);
    for (const m of members) cluster.startMember(m, 'new');
    for (const m of members) {
      await waitFor(`etcd ${m.name} healthy`, () => cluster.healthySync(m), 30_000, m.service);
    }
    return cluster;
  }

  private readonly health = new Map<string, boolean>();

  private constructor(public readonly members: EtcdMember[], private readonly dir: string, private readonly initialCluster: string) {}

  /** `host:port` of every member's client URL, as patroni.yml lists them. */
  public get hosts(): string[] {
    return this.members.map((m) => `${m.host}:${m.clientPort}`);
  }

  private startMember(m: EtcdMember, state: 'new' | 'existing'): void {
    m.service = startService(`etcd-${m.name}`, program('etcd'), [
      '--name', m.name,
      '--data-dir', path.join(this.dir, m.name),
      '--listen-client-urls', `http://${m.host}:${m.clientPort}`,
      '--advertise-client-urls', `http://${m.host}:${m.clientPort}`,
      '--listen-peer-urls', `http://${m.host}:${m.peerPort}`,
      '--initial-advertise-peer-urls', `http://${m.host}:${m.peerPort}`,
      '--initial-cluster', this.initialCluster,
      '--initial-cluster-state', state,
      '--initial-cluster-token', 'pgrel-patroni',
      // A small cluster on one machine: fast elections keep the test short.
      '--heartbeat-interval', '100', '--election-timeout', '1000',
    ]);
  }

  /** Polls /health without blocking the event loop; `healthySync` returns the last answer. */
  private healthySync(m: EtcdMember): boolean {
    httpGet(`http://${m.host}:${m.clientPort}/health`, 2_000).then(
      (body) => this.health.set(m.name, /"health":\s*"true"/.test(body)),
      () => this.health.set(m.name, false),
    );
    return this.health.get(m.name) ?? false;
  }

  /** Stops every member (SIGTERM, by PID). */
  public async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.service.stop()));
  }
}
