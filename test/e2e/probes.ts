import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import type { ContainerProcess } from './runtime';

/** A container's probe state after one round. */
export interface ProbeResult {
  readonly ready: boolean;
  readonly startupDone: boolean;
  /** The startup probe used up its budget: the kubelet kills the container. */
  readonly startupFailed: boolean;
  readonly detail: string;
}

function portOf(container: any, port: number | string): number {
  if (typeof port === 'number' || /^\d+$/.test(String(port))) return Number(port);
  const found = (container.ports ?? []).find((p: any) => p.name === port);
  if (!found) throw new Error(`named port ${port} is not a port of the container`);
  return found.containerPort;
}

/** One probe: exec in the container, or tcpSocket/httpGet from the node to the pod's address, as the kubelet does. */
export async function probeOnce(p: any, container: any, proc: ContainerProcess, ip: string): Promise<{ ok: boolean; detail: string }> {
  const timeoutMs = Math.max(p.timeoutSeconds ?? 1, 3) * 1000;
  try {
    if (p.exec) {
      const r = await proc.exec(p.exec.command, timeoutMs);
      return { ok: r.status === 0, detail: `exec probe ${JSON.stringify(p.exec.command.join(' '))} exited ${r.status}${r.output.trim() ? `: ${r.output.trim().slice(-200)}` : ''}` };
    }
    if (p.tcpSocket) {
      const port = portOf(container, p.tcpSocket.port);
      const host = p.tcpSocket.host ?? ip;
      const ok = await new Promise<string | true>((resolve) => {
        const socket = net.connect({ host, port, timeout: timeoutMs });
        socket.on('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('timeout', () => {
          socket.destroy();
          resolve('timed out');
        });
        socket.on('error', (e: any) => resolve(e.code ?? e.message));
      });
      return { ok: ok === true, detail: `tcpSocket probe ${host}:${port}${ok === true ? ' open' : `: ${ok}`}` };
    }
    if (p.httpGet) {
      const port = portOf(container, p.httpGet.port);
      const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
      const url = `${scheme}://${p.httpGet.host ?? ip}:${port}${p.httpGet.path ?? '/'}`;
      const headers = Object.fromEntries((p.httpGet.httpHeaders ?? []).map((h: any) => [h.name, h.value]));
      const status = await new Promise<number | string>((resolve) => {
        const req = (scheme === 'https' ? https : http).get(url, { headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', (e: any) => resolve(e.code ?? e.message));
      });
      const ok = typeof status === 'number' && status >= 200 && status < 400;
      return { ok, detail: `httpGet probe ${url}: ${status}` };
    }
    return { ok: false, detail: 'probe kind not supported by this harness (grpc?)' };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/**
 * One probing round of a running container. Periods are compressed (the caller probes about once
 * a second) but a startup probe still gets its whole budget (initialDelaySeconds + periodSeconds ×
 * failureThreshold) before it counts as failed.
 */
export async function probe(container: any, proc: ContainerProcess, ip: string, previous: ProbeResult | undefined): Promise<ProbeResult> {
  const elapsed = Date.now() - proc.startedAt;
  let startupDone = previous?.startupDone ?? !container.startupProbe;
  if (previous && (previous as any).pid !== proc.pid) startupDone = !container.startupProbe;
  const tag = (r: ProbeResult) => Object.assign(r, { pid: proc.pid });
  if (!startupDone) {
    const sp = container.startupProbe;
    if (elapsed < (sp.initialDelaySeconds ?? 0) * 1000) return tag({ ready: false, startupDone, startupFailed: false, detail: 'startup probe: initial delay' });
    const r = await probeOnce(sp, container, proc, ip);
    if (!r.ok) {
      const budget = ((sp.initialDelaySeconds ?? 0) + (sp.periodSeconds ?? 10) * (sp.failureThreshold ?? 3)) * 1000;
      return tag({ ready: false, startupDone, startupFailed: elapsed > budget, detail: `startup ${r.detail}` });
    }
    startupDone = true;
  }
  const rp = container.readinessProbe;
  if (!rp) return tag({ ready: startupDone, startupDone, startupFailed: false, detail: 'running' });
  if (elapsed < (rp.initialDelaySeconds ?? 0) * 1000) return tag({ ready: false, startupDone, startupFailed: false, detail: 'readiness probe: initial delay' });
  const r = await probeOnce(rp, container, proc, ip);
  return tag({ ready: r.ok, startupDone, startupFailed: false, detail: `readiness ${r.detail}` });
}
