import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

/**
 * Test peers where the synthesized YAML talks to the world, listening on the host's bridge
 * address only (pods reach it; nothing outside the namespaces the test made does). Give their
 * Service names to `LocalCluster.addPeerService` so the URLs in the manifests resolve to them.
 */

/** A webhook receiver (as Slack's incoming webhooks) that records every post. */
export class WebhookPeer {
  public static async start(address: string, port = 0): Promise<WebhookPeer> {
    const peer = new WebhookPeer();
    await new Promise<void>((resolve, reject) => {
      peer.server.once('error', reject);
      peer.server.listen(port, address, resolve);
    });
    return peer;
  }

  public readonly received: { path: string; contentType?: string; body: string }[] = [];
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      this.received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
      res.writeHead(200).end('ok');
    });
  });

  public get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** The posted bodies parsed as JSON (a body that is not JSON is kept as a string). */
  public get posts(): any[] {
    return this.received.map((r) => {
      try {
        return JSON.parse(r.body);
      } catch {
        return r.body;
      }
    });
  }

  public stop(): Promise<void> {
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) {
    try {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** The real Pushgateway (Debian prometheus-pushgateway), no persistence, state in a temp directory. */
export class PushgatewayPeer {
  public static readonly PROGRAM = '/usr/bin/prometheus-pushgateway';

  public static async start(address: string, port = 9091, timeoutMs = 15_000): Promise<PushgatewayPeer> {
    if (!fs.existsSync(PushgatewayPeer.PROGRAM)) throw new Error(`${PushgatewayPeer.PROGRAM} is not installed (apt-get install prometheus-pushgateway)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pge2e-pushgateway-'));
    const log = fs.openSync(path.join(dir, 'pushgateway.log'), 'a');
    const child = spawn(PushgatewayPeer.PROGRAM, [`--web.listen-address=${address}:${port}`, '--persistence.file=', '--log.level=warn'],
      { stdio: ['ignore', log, log], cwd: dir });
    fs.closeSync(log);
    started.add(child);
    const peer = new PushgatewayPeer(child, `http://${address}:${port}`, dir);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if ((await get(`${peer.url}/-/ready`)).status === 200) return peer;
      await new Promise((r) => setTimeout(r, 200));
    }
    const output = fs.readFileSync(path.join(dir, 'pushgateway.log'), 'utf8');
    await peer.stop();
    throw new Error(`the Pushgateway did not get ready on ${address}:${port}: ${output.slice(-500)}`);
  }

  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess, public readonly url: string, private readonly dir: string) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** The Pushgateway's /metrics text. */
  public async metrics(): Promise<string> {
    const r = await get(`${this.url}/metrics`);
    if (r.status !== 200) throw new Error(`GET ${this.url}/metrics: ${r.status}`);
    return r.body;
  }

  /** Stops the process by its PID (SIGTERM, SIGKILL after 5 s) and removes its directory. */
  public async stop(): Promise<void> {
    await stopPeer(this.child, this.exited, this.dir);
  }
}

/** An alert as Prometheus' /api/v1/alerts lists it (pending or firing). */
export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

/** Options of a Prometheus peer. */
export interface PrometheusPeerOptions {
  /** `scrape_configs` of prometheus.yml. */
  readonly scrapeConfigs: readonly object[];
  /** Rule files by file name: each a Prometheus rule file (`groups: [...]`). */
  readonly ruleFiles?: Readonly<Record<string, string>>;
  /** Global scrape and evaluation interval. @default 2s */
  readonly interval?: string;
  readonly timeoutMs?: number;
}

/** The real Prometheus (Debian prometheus): its config and TSDB in a temp directory. */
export class PrometheusPeer {
  public static readonly PROGRAM = '/usr/bin/prometheus';

  public static async start(address: string, port: number, options: PrometheusPeerOptions): Promise<PrometheusPeer> {
    if (!fs.existsSync(PrometheusPeer.PROGRAM)) throw new Error(`${PrometheusPeer.PROGRAM} is not installed (apt-get install prometheus)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pge2e-prometheus-'));
    const interval = options.interval ?? '2s';
    const ruleFiles = Object.entries(options.ruleFiles ?? {}).map(([name, text]) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    });
    const config = {
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      rule_files: ruleFiles,
      scrape_configs: options.scrapeConfigs,
    };
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify(config, undefined, 2));
    const log = fs.openSync(path.join(dir, 'prometheus.log'), 'a');
    const child = spawn(PrometheusPeer.PROGRAM, [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${address}:${port}`, '--log.level=warn'], { stdio: ['ignore', log, log], cwd: dir });
    fs.closeSync(log);
    started.add(child);
    const peer = new PrometheusPeer(child, `http://${address}:${port}`, dir);
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if ((await get(`${peer.url}/-/ready`)).status === 200) return peer;
      await new Promise((r) => setTimeout(r, 200));
    }
    const output = peer.log();
    await peer.stop();
    throw new Error(`Prometheus did not get ready on ${address}:${port}: ${output.slice(-800)}`);
  }

  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess, public readonly url: string, private readonly dir: string) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Prometheus' own log (warnings and errors). */
  public log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'prometheus.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** GET an /api/v1 path; its `data`. */
  public async api(pathAndQuery: string): Promise<any> {
    const r = await get(`${this.url}/api/v1/${pathAndQuery}`);
    if (r.status !== 200) throw new Error(`GET ${this.url}/api/v1/${pathAndQuery}: ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body).data;
  }

  /** The pending and firing alerts. */
  public async alerts(): Promise<PrometheusAlert[]> {
    return (await this.api('alerts')).alerts;
  }

  /** An instant query's result vector. */
  public async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    return (await this.api(`query?query=${encodeURIComponent(expr)}`)).result;
  }

  /** Stops the process by its PID (SIGTERM, SIGKILL after 5 s) and removes its directory. */
  public async stop(): Promise<void> {
    await stopPeer(this.child, this.exited, this.dir);
  }
}

function get(url: string): Promise<{ status: number | string; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: any) => resolve({ status: e.code ?? e.message, body: '' }));
  });
}

/** Stops a peer's process by its PID (SIGTERM, SIGKILL after 5 s) and removes its directory. */
export async function stopPeer(child: ChildProcess, exited: Promise<unknown>, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  started.delete(child);
  fs.rmSync(dir, { recursive: true, force: true });
}
