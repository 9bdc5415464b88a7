import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { started, stopPeer } from './peers';

/** Options of an S3 peer. */
export interface S3PeerOptions {
  readonly address: string;
  /** @default 443 (what pgBackRest dials for an S3 endpoint without a port) */
  readonly port?: number;
  readonly buckets: readonly string[];
  /** The key pair requests must be signed with (the pods' Secret holds the same). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** PEM certificate and key the server presents (issued for the endpoint's names by the test's CA). */
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly timeoutMs?: number;
}

/**
 * An S3-compatible server for S3 repositories: s3rver (npm) over TLS in its own process, objects
 * in a temp directory. What it does not do, and so what a pass here does not prove: lifecycle
 * rules, object lock, server-side encryption with KMS, request throttling, and AWS' exact errors.
 */
export class S3Peer {
  public static async start(options: S3PeerOptions): Promise<S3Peer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pge2e-s3-'));
    fs.writeFileSync(path.join(dir, 'tls.crt'), options.tlsCert);
    fs.writeFileSync(path.join(dir, 'tls.key'), options.tlsKey, { mode: 0o600 });
    const port = options.port ?? 443;
    const log = fs.openSync(path.join(dir, 's3.log'), 'a');
    const child = spawn(process.execPath, [path.join(__dirname, 's3-server.js')], {
      stdio: ['ignore', log, log],
      cwd: path.join(__dirname, '..', '..'),
      env: {
        PATH: process.env.PATH,
        S3_ADDRESS: options.address,
        S3_PORT: String(port),
        S3_DIRECTORY: path.join(dir, 'objects'),
        S3_TLS_CERT: path.join(dir, 'tls.crt'),
        S3_TLS_KEY: path.join(dir, 'tls.key'),
        S3_BUCKETS: options.buckets.join(','),
        S3_ACCESS_KEY_ID: options.accessKeyId,
        S3_SECRET_ACCESS_KEY: options.secretAccessKey,
      },
    });
    fs.closeSync(log);
    started.add(child);
    const peer = new S3Peer(child, dir);
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    while (Date.now() < deadline && child.exitCode === null) {
      if (peer.log().includes('s3rver listening') && await accepts(options.address, port)) return peer;
      await new Promise((r) => setTimeout(r, 100));
    }
    const output = peer.log();
    await peer.stop();
    throw new Error(`s3rver did not start on ${options.address}:${port}: ${output.slice(-800)}`);
  }

  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess, private readonly dir: string) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** The object keys stored in `bucket` (s3rver keeps each object as `<key>._S3rver_object`). */
  public keys(bucket: string): string[] {
    const root = path.join(this.dir, 'objects', bucket);
    const walk = (rel: string): string[] => fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(rel, e.name)) : e.name.endsWith('._S3rver_object') ? [path.join(rel, e.name.slice(0, -'._S3rver_object'.length))] : []);
    return fs.existsSync(root) ? walk('').sort() : [];
  }

  public log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 's3.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Stops the process by its PID (SIGTERM, SIGKILL after 5 s) and removes its objects. */
  public async stop(): Promise<void> {
    await stopPeer(this.child, this.exited, this.dir);
  }
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
