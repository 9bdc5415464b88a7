import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PostgresServer } from './harness/postgres';
import { runUnchecked, serviceTempDir, stopAllServices, writeServiceFile } from './harness/processes';
import { program } from './harness/programs';
import { CREATE_SCRIPT } from '../../src/cnpg/create-step-script';

jest.setTimeout(120_000);
afterAll(stopAllServices);

const CLUSTER = 'myapp-db-restore-test';
const LABEL = 'pg-reliability.cdk8s.io/restore-test-of';
const PASSWORD = 'S3cr3t pw with $(touch /tmp/pwned) and `id`';

/**
 * A stand-in for kubectl: answers from files under $FAKE_DIR (the cluster that exists, the app
 * Secret's keys; a label's file name has "%" for "/"), fails the subcommands named in $FAKE_FAIL ("get-secret", "get-cluster",
 * "create" (also apply), "wait", "delete"), and logs every call. Its jsonpath covers what the create step asks:
 * `{.metadata.name}`, `{.metadata.labels.<escaped key>}`, `{.data.<key>}` and literal text.
 */
const FAKE_KUBECTL = `#!/bin/bash
set -u
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
verb=$1 kind=\${2:-}
fails() { case " \${FAKE_FAIL:-} " in *" $1 "*) echo "Error from server (Forbidden): $1 denied" >&2; exit 1;; esac; }
template() {
  local t=$1 out='' expr
  while [[ $t =~ ^([^{]*)\\{([^}]*)\\}(.*)$ ]]; do
    out+=\${BASH_REMATCH[1]}; expr=\${BASH_REMATCH[2]}; t=\${BASH_REMATCH[3]}
    case $expr in
      .metadata.name) out+=$(cat "$FAKE_DIR/cluster/name") ;;
      .metadata.labels.*) key=\${expr#.metadata.labels.}; key=\${key//\\\\./.}; key=\${key//\\//%}; [ -f "$FAKE_DIR/cluster/labels/$key" ] && out+=$(cat "$FAKE_DIR/cluster/labels/$key") ;;
      .data.*) [ -f "$FAKE_DIR/secret/\${expr#.data.}" ] && out+=$(base64 -w0 < "$FAKE_DIR/secret/\${expr#.data.}") ;;
      *) echo "fake kubectl: unsupported jsonpath $expr" >&2; exit 2 ;;
    esac
  done
  printf '%s' "$out$t"
}
jsonpath() { for a in "$@"; do case $a in -o) ;; jsonpath=*) printf '%s' "\${a#jsonpath=}";; esac; done; }
case "$verb $kind" in
  "get cluster")
    fails get-cluster
    [ -f "$FAKE_DIR/cluster/name" ] || exit 0  # --ignore-not-found
    template "$(jsonpath "$@")" ;;
  "get secret") fails get-secret; template "$(jsonpath "$@")" ;;
  "delete cluster") fails delete; rm -rf "$FAKE_DIR/cluster"; echo "cluster.postgresql.cnpg.io \\"$3\\" deleted" ;;
  "create -f"|"apply -f") fails create; cat > "$FAKE_DIR/created.json"; echo "cluster.postgresql.cnpg.io/$CLUSTER \${verb}d" ;;
  wait*) fails wait; echo "cluster.postgresql.cnpg.io/$CLUSTER condition met" ;;
  *) echo "fake kubectl: unexpected call: $*" >&2; exit 2 ;;
esac
`;

/** A stand-in for jq that logs its arguments and prints a minimal manifest. */
const FAKE_JQ = `#!/bin/bash
printf '%s\\n' "$*" >> "$FAKE_DIR/jq-calls"
echo '{"apiVersion":"postgresql.cnpg.io/v1","kind":"Cluster"}'
`;

interface Scenario {
  /** The cluster of the throwaway's name that exists before the run, with its labels. */
  readonly existing?: { [label: string]: string };
  /** The app Secret's keys. */
  readonly secret?: { [key: string]: string };
  /** kubectl subcommands that fail. */
  readonly fail?: string[];
}

describe('the CloudNativePG restore test create step, run by bash with kubectl and jq stubs', () => {
  const work = serviceTempDir('cnpg-create-step');
  let runs = 0;
  afterAll(() => work.remove());

  function runCreate(scenario: Scenario, port = 5432) {
    const n = ++runs;
    const dir = path.join(work.path, `run-${n}`);
    const fake = path.join(dir, 'fake');
    const bin = path.join(dir, 'bin');
    const status = path.join(dir, 'status');
    for (const d of [dir, fake, bin, status, path.join(fake, 'secret'), path.join(fake, 'cluster', 'labels')]) {
      fs.mkdirSync(d, { recursive: true });
    }
    writeServiceFile(path.join(bin, 'kubectl'), FAKE_KUBECTL, 0o755);
    writeServiceFile(path.join(bin, 'jq'), FAKE_JQ, 0o755);
    const script = path.join(dir, 'create.sh');
    writeServiceFile(script, CREATE_SCRIPT, 0o755);
    if (scenario.existing) {
      fs.writeFileSync(path.join(fake, 'cluster', 'name'), CLUSTER);
      for (const [key, value] of Object.entries(scenario.existing)) fs.writeFileSync(path.join(fake, 'cluster', 'labels', key.replace(/\//g, '%')), value);
    }
    const secret = scenario.secret ?? {
      host: `${CLUSTER}-rw`,
      port: String(port),
      dbname: 'shop',
      user: 'shopkeeper',
      password: PASSWORD,
      pgpass: `${CLUSTER}-rw:${port}:shop:shopkeeper:${PASSWORD}\n`,
    };
    for (const [key, value] of Object.entries(secret)) fs.writeFileSync(path.join(fake, 'secret', key), value);
    // The script runs as the service user (the harness drops root), like the job's non-root containers.
    if (process.getuid?.() === 0) spawnSync('/bin/chown', ['-R', 'postgres:postgres', dir]);
    const result = runUnchecked('/bin/bash', [script], {
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        FAKE_DIR: fake,
        FAKE_FAIL: (scenario.fail ?? []).join(' '),
        JOB_STATUS_DIR: status,
        CLUSTER,
        THROWAWAY_OF: 'myapp-db',
        TIMEOUT: '60',
        POD_NAME: 'myapp-db-restore-test-29000000-abcde',
        POD_UID: '0b4e6f3c-1d2a-4c5b-9e8f-7a6b5c4d3e2f',
        HOME: dir,
      },
    });
    const read = (file: string) => (fs.existsSync(path.join(status, file)) ? fs.readFileSync(path.join(status, file), 'utf8') : undefined);
    const calls = fs.existsSync(path.join(fake, 'calls')) ? fs.readFileSync(path.join(fake, 'calls'), 'utf8').trim().split('\n') : [];
    return {
      status: result.status,
      output: `${result.stdout}${result.stderr}`,
      exitCode: read('create-exit-code')?.trim(),
      files: fs.readdirSync(status).sort(),
      read,
      mode: (file: string) => (fs.statSync(path.join(status, file)).mode % 0o1000).toString(8),
      calls,
      created: fs.existsSync(path.join(fake, 'created.json')),
      statusDir: status,
    };
  }

  test('#10.14 shellcheck finds nothing in the create script', () => {
    const file = path.join(work.path, 'shellcheck-create.sh');
    writeServiceFile(file, CREATE_SCRIPT, 0o700);
    const result = runUnchecked(program('shellcheck'), ['--severity=style', file]);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  test('#10.14 a failing `kubectl get secret` leaves create-exit-code 1 and no connection file', () => {
    // GIVEN the app Secret cannot be read WHEN the create step runs
    const r = runCreate({ fail: ['get-secret'] });
    // THEN it records the failure for the check step, writes no connection file, and exits 0 (cleanup must still run)
    expect(r.status).toBe(0);
    expect(r.exitCode).toBe('1');
    expect(r.files).toEqual(['create-exit-code']);
    expect(r.output).toContain(`could not read the connection of cluster ${CLUSTER} from Secret ${CLUSTER}-app`);
  });

  test('#10.14 a Secret without one of the keys, or with a line break in a value, leaves create-exit-code 1 and no connection file', () => {
    const secrets: Array<Record<string, string>> = [
      { host: `${CLUSTER}-rw`, port: '5432', dbname: 'app', user: 'app' },
      { host: `${CLUSTER}-rw\npassfile=/tmp/other`, port: '5432', dbname: 'app', user: 'app', pgpass: 'x:5432:app:app:pw\n' },
    ];
    for (const secret of secrets) {
      const r = runCreate({ secret });
      expect([r.exitCode, r.files]).toEqual(['1', ['create-exit-code']]);
    }
  });

  test('#10.14 success writes pgpass (0600) and a [restored] service file, never the uri, and prints no secret', () => {
    // GIVEN a ready cluster and its app Secret WHEN the create step runs
    const r = runCreate({});
    // THEN
    expect([r.status, r.exitCode]).toEqual([0, '0']);
    expect(r.files).toEqual(['create-exit-code', 'pg_service.conf', 'pgpass']);
    expect(r.read('pgpass')).toBe(`${CLUSTER}-rw:5432:shop:shopkeeper:${PASSWORD}\n`);
    expect(r.mode('pgpass')).toBe('600');
    expect(r.read('pg_service.conf')).toBe(`[restored]\nhost=${CLUSTER}-rw\nport=5432\ndbname=shop\nuser=shopkeeper\npassfile=${r.statusDir}/pgpass\n`);
    expect(r.output).not.toContain('S3cr3t');
    expect(fs.existsSync('/tmp/pwned')).toBe(false);
  });

  test('#10.14 libpq connects with the files the create step wrote (PGSERVICEFILE + PGSERVICE=restored)', async () => {
    const server = await PostgresServer.start({ initdbArgs: ['--auth-host=scram-sha-256'], conf: "password_encryption = 'scram-sha-256'\n" });
    try {
      server.query('CREATE ROLE shopkeeper LOGIN PASSWORD \'pw:with\\colon\'');
      server.query('CREATE DATABASE shop OWNER shopkeeper');
      // GIVEN CloudNativePG's Secret format (pgpass escapes ':' and '\') for a server on 127.0.0.1
      const r = runCreate({
        secret: { host: '127.0.0.1', port: String(server.port), dbname: 'shop', user: 'shopkeeper', password: 'pw:with\\colon', pgpass: `127.0.0.1:${server.port}:shop:shopkeeper:pw\\:with\\\\colon\n` },
      });
      expect(r.exitCode).toBe('0');
      // WHEN psql uses the service THEN it reaches the application database as its owner
      const psql = runUnchecked(program('psql'), ['-X', '-A', '-t', '-w', '-c', 'SELECT current_database() || \' \' || current_user'], {
        env: { PGSERVICEFILE: path.join(r.statusDir, 'pg_service.conf'), PGSERVICE: 'restored' },
      });
      expect(`${psql.stdout}${psql.stderr}`.trim()).toBe('shop shopkeeper');
    } finally {
      await server.stop();
    }
  });

  test('#10.11 a throwaway left by an earlier run (our label) is deleted and waited for, then created fresh', () => {
    // GIVEN a leftover throwaway of this test
    const r = runCreate({ existing: { [LABEL]: 'myapp-db' } });
    // THEN delete (waiting until it is gone) comes before create, and the run succeeds
    expect(r.exitCode).toBe('0');
    const deleteAt = r.calls.findIndex((c) => c.startsWith(`delete cluster ${CLUSTER}`));
    const createAt = r.calls.findIndex((c) => c.startsWith('create -f -'));
    expect(deleteAt).toBeGreaterThanOrEqual(0);
    expect(r.calls[deleteAt]).toContain('--wait=true');
    expect(createAt).toBeGreaterThan(deleteAt);
    expect(r.calls.some((c) => c.startsWith('apply'))).toBe(false);
    expect(r.output).toContain(`deleting cluster ${CLUSTER} left by an earlier run`);
  });

  test('#10.11 a cluster of the throwaway\'s name without our label is never touched: create-exit-code 1', () => {
    const labelSets: Array<Record<string, string>> = [{}, { [LABEL]: 'another-db' }];
    for (const labels of labelSets) {
      // GIVEN someone else's cluster under that name
      const r = runCreate({ existing: labels });
      // THEN no delete, no create, a clear refusal
      expect([r.status, r.exitCode, r.files]).toEqual([0, '1', ['create-exit-code']]);
      expect(r.calls.filter((c) => /^(delete|create|apply|patch)/.test(c))).toEqual([]);
      expect(r.created).toBe(false);
      expect(r.output).toContain(`cluster ${CLUSTER} exists but is not a throwaway of this restore test (no label ${LABEL}=myapp-db); refusing to replace it`);
    }
  });

  test('#10.11 when the lookup or the create fails, nothing is created and create-exit-code is 1', () => {
    for (const fail of [['get-cluster'], ['create'], ['delete'], ['wait']]) {
      const r = runCreate({ existing: fail[0] === 'delete' ? { [LABEL]: 'myapp-db' } : undefined, fail });
      expect([fail, r.exitCode, r.files]).toEqual([fail, '1', ['create-exit-code']]);
    }
  });
});
