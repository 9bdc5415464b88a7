import * as net from 'net';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Container } from './harness/container';
import { PodLayout } from './harness/pod-layout';
import { freePort } from './harness/ports';
import { PostgresServer } from './harness/postgres';
import { runUnchecked, serviceTempDir, stopAllServices, waitFor } from './harness/processes';
import { program } from './harness/programs';
import { PgBouncerSidecar, PoolMode, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

/** What the kubelet puts into a volume. */
type VolumeFiles = Record<string, { content: string; mode?: number }> | undefined;

jest.setTimeout(120_000);

const APP = { user: 'app', password: 'app-secret-5b1e', database: 'app' };

/**
 * #11.11 without a cluster: the Job's pod as the library synthesizes it, with PgBouncer run from
 * the native sidecar's own spec (command, mounted ConfigMap and Secret, port), as PID 1 of its
 * own PID namespace like a container. The kubelet's part is played by the test in its order:
 * start the sidecar, wait for its startup probe, run the main container (psql through the
 * pooler, then exit), then stop the sidecar with its preStop hook, as the kubelet does with
 * native sidecars once the main containers have exited.
 */
describe('#11.11 PgBouncer native sidecar of a Job, run from the synthesized pod', () => {
  let server: PostgresServer;
  let layout: PodLayout;
  let pod: any;
  let port: number;
  let userlist: string;
  const containers: Container[] = [];

  beforeAll(async () => {
    server = await PostgresServer.start({ initdbArgs: ['--auth-host=scram-sha-256', '--auth-local=trust'], conf: "password_encryption = 'scram-sha-256'\n" });
    server.query(`CREATE ROLE ${APP.user} LOGIN PASSWORD '${APP.password}'`);
    server.query(`CREATE DATABASE ${APP.database} OWNER ${APP.user}`);
    userlist = server.query(`SELECT format('"%s" "%s"', rolname, rolpassword) FROM pg_authid WHERE rolname = '${APP.user}'`) + '\n';
    port = await freePort();

    const chart = Testing.chart();
    const job = new kplus.Job(chart, 'Batch', {
      containers: [{ name: 'batch', image: 'registry.example/batch:1.0.0', securityContext: { user: 1000 } }],
    });
    const secret = (name: string, key: string) => SecretKeyRef.of(kplus.Secret.fromSecretName(chart, `${name}-${key}`, name), key);
    const pooler = new PgBouncerSidecar(chart, 'Pooler', {
      workload: job,
      port,
      authFile: secret('pgbouncer-userlist', 'userlist.txt'),
      settings: { poolMode: PoolMode.TRANSACTION, databases: [{ name: APP.database, host: '127.0.0.1', port: server.port }] },
    });
    pooler.addConnectionEnv(job.containers[0], { database: APP.database, user: APP.user, password: secret('app-db-app', 'password') });
    const manifests = synthValidated(chart);
    pod = manifests.find((m) => m.kind === 'Job').spec.template.spec;
    const ini = manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini'];
    // What the kubelet puts into each volume: the ConfigMap's file, the Secret's projected key.
    layout = new PodLayout((volume): VolumeFiles => {
      if (volume.configMap) return { 'pgbouncer.ini': { content: ini } };
      if (volume.secret?.secretName === 'pgbouncer-userlist') {
        const item = volume.secret.items[0];
        return { [item.path]: { content: userlist, mode: item.mode } };
      }
      return undefined;
    });
  });

  afterAll(async () => {
    for (const c of containers) await c.stop();
    layout?.remove();
    await server?.stop();
    await stopAllServices();
  });

  /** Starts the sidecar from its init container spec and waits as its startup probe would. */
  async function startSidecar(): Promise<Container> {
    const spec = pod.initContainers.find((c: any) => c.name === 'pgbouncer');
    expect(spec.restartPolicy).toBe('Always');
    const command = [program(spec.command[0]), ...spec.command.slice(1)];
    const sidecar = Container.start('pgbouncer-sidecar', '/etc/pgbouncer', layout.binds('batch', pod, 'pgbouncer'), command, serviceTempDir('sidecar-logs').path);
    containers.push(sidecar);
    const probePort = spec.startupProbe.tcpSocket.port;
    let open = false;
    await waitFor('the startup probe (TCP connect) to pass', () => {
      const socket = net.connect(probePort, '127.0.0.1', () => { open = true; socket.destroy(); });
      socket.on('error', () => socket.destroy());
      return open;
    }, 15_000, sidecar.service);
    // It is the container's PID 1, which the preStop hook signals.
    expect(sidecar.exec(['/bin/cat', '/proc/1/comm']).stdout.trim()).toBe('pgbouncer');
    return sidecar;
  }

  /** The Job's main container: psql with the env the library gave it (Secret values resolved), then exit. */
  function runMainContainer(): { status: number | null; output: string } {
    const main = pod.containers.find((c: any) => c.name === 'batch');
    const env: Record<string, string> = {};
    for (const e of main.env) env[e.name] = e.value ?? (e.valueFrom?.secretKeyRef?.name === 'app-db-app' ? APP.password : '');
    const result = runUnchecked(program('psql'), ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', "SELECT 'done through ' || current_setting('application_name', true), count(*) FROM pg_stat_activity WHERE usename = current_user"], {
      env: { ...env, PGHOST: '127.0.0.1' },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  test('#11.11 the main container finishes through PgBouncer, then the preStop hook ends PgBouncer promptly with exit 0', async () => {
    const sidecar = await startSidecar();
    const main = runMainContainer();
    console.log(`main container: status ${main.status}, output ${JSON.stringify(main.output.trim())}`);
    expect(main.status).toBe(0);
    expect(main.output).toContain('done through');

    // The kubelet stops native sidecars after the main containers have exited: preStop first.
    const preStop = pod.initContainers.find((c: any) => c.name === 'pgbouncer').lifecycle.preStop.exec.command;
    const started = Date.now();
    const hook = sidecar.exec(preStop, 30_000);
    const code = await sidecar.service.exited;
    const elapsed = Date.now() - started;
    console.log(`preStop ${JSON.stringify(preStop)}: hook status ${hook.status}, PgBouncer exit ${code} after ${elapsed} ms`);
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(5_000);
    expect(sidecar.service.output).toContain('got SIGINT, shutting down');
  });

  test('#11.11 SIGTERM alone (the kubelet\'s signal after the hook) also ends PgBouncer promptly; 1.18 reports status 1 for its fast exit', async () => {
    const sidecar = await startSidecar();
    expect(runMainContainer().status).toBe(0);
    const started = Date.now();
    process.kill(sidecar.pid1!, 'SIGTERM');
    const code = await sidecar.service.exited;
    console.log(`SIGTERM: PgBouncer exit ${code} after ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(code).toBe(1);
    expect(sidecar.service.output).toContain('got SIGTERM, fast exit');
  });
});
