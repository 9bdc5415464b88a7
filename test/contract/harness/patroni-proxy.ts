import * as net from 'net';
import { freePort } from './ports';

/**
 * A TCP proxy in the test process standing for one member's network path to etcd: it listens on
 * its own 127.0.0.x address and forwards each connection to the next etcd member in turn.
 * `cut()` drops every open connection and refuses new ones, as a partition would for this
 * member alone; `restore()` ends the partition.
 */
export class EtcdPathProxy {
  public static async start(host: string, targets: readonly string[]): Promise<EtcdPathProxy> {
    const proxy = new EtcdPathProxy(host, await freePort(), targets);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(proxy.port, host, () => resolve());
    });
    return proxy;
  }

  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private isCut = false;
  private next = 0;

  private constructor(public readonly host: string, public readonly port: number, private readonly targets: readonly string[]) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** `host:port` for patroni.yml. */
  public get address(): string {
    return `${this.host}:${this.port}`;
  }

  public cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  public restore(): void {
    this.isCut = false;
  }

  public close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const [host, port] = this.targets[this.next++ % this.targets.length].split(':');
    const upstream = net.connect(Number(port), host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
