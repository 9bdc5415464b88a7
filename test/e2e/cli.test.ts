import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

jest.setTimeout(120_000);

/** `npm run e2e` as a user runs it: the CLI in its own process on a directory of YAML. */
function runCli(objects: object[], readyTimeoutSeconds = 20): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pge2e-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), objects.map((o) => YAML.stringify(o)).join('---\n'));
    const result = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', path.join(__dirname, '..', 'tsconfig.json'),
      path.join(__dirname, 'cli.ts'), dir, '--placeholder-secrets', '--ready-timeout', String(readyTimeoutSeconds)], { encoding: 'utf8', timeout: 100_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const deployment = (name: string, image: string, extra: object = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }], ...extra } },
  },
});

describe('the e2e CLI', () => {
  // Regressions: a container without a readiness probe that exits a moment after it starts passed
  // (judged ready at once, stopped before it exited); and once every container had exited and used
  // up its restarts, the harness' own waits held nothing open, so Node exited 0 mid-run and printed
  // no report at all (examples/read-replicas, pgpool crash-looping).
  test('GIVEN a container that exits right after it starts WHEN run THEN the CLI reports it failing and exits 1', () => {
    // WHEN the CLI runs a Deployment whose only container exits at once
    const result = runCli([deployment('crasher', 'postgres:15', { containers: [{ name: 'main', image: 'postgres:15', command: ['sh', '-c', 'echo giving up; exit 3'] }] })]);
    // THEN the report names the pod, the container and the exit, and the counts close it
    expect(result.stdout).toMatch(/^FAIL Deployment crasher \(.*pod crasher-a container main exited 3.*: giving up/m);
    expect(result.stdout).toContain('0 passed, 1 failed, 0 not runnable here');
    expect(result.status).toBe(1);
  });

  test('GIVEN a container that keeps exiting WHEN its restarts are used up before the ready timeout THEN the CLI still reports it', () => {
    // GIVEN a container that needs a file nobody mounts, with a readiness probe (never ready)
    const container = { name: 'main', image: 'postgres:15', command: ['sh', '-c', 'cat /etc/app/config.ini'], readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } };
    // WHEN the CLI waits longer than its restarts last (1+2+4+8+10 s)
    const result = runCli([deployment('looper', 'postgres:15', { containers: [container] })], 60);
    // THEN the report is printed, naming what it could not read
    expect(result.stdout).toMatch(/^FAIL Deployment looper \(0\/1 ready: pod looper-a container main exited 1 \(6 times\): .*\/etc\/app\/config\.ini/m);
    expect(result.stdout).toContain('0 passed, 1 failed, 0 not runnable here');
    expect(result.status).toBe(1);
  });

  test('GIVEN a pod whose ServiceAccount the manifests grant API verbs WHEN run THEN it is reported as needing an API server, not run', () => {
    // GIVEN Patroni-like RBAC: a Role on endpoints and pods bound to the pod's account
    const rbac = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'db' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'db' }, rules: [{ apiGroups: [''], resources: ['endpoints', 'pods'], verbs: ['get', 'patch'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'db' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'db' },
        subjects: [{ kind: 'ServiceAccount', name: 'db' }],
      },
    ];
    // WHEN the CLI runs a Deployment of the postgres image under that account
    const result = runCli([...rbac, deployment('db', 'postgres:15', { serviceAccountName: 'db' })]);
    // THEN it is skipped with the grant named
    expect(result.stdout).toMatch(/^SKIP Deployment db \(container main: needs an API server \(ServiceAccount db is granted Role db: get, patch on endpoints, pods\)\)$/m);
    expect(result.stdout).toContain('0 passed, 0 failed, 1 not runnable here');
  });
});
