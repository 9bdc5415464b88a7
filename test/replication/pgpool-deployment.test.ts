import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionBudget, ConnectionTarget, PgpoolDeployment, PgpoolDeploymentProps, SecretKeyRef } from '../../src';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

function props(scope: Construct, extra: Partial<PgpoolDeploymentProps> = {}): PgpoolDeploymentProps {
  const secret = (name: string) => (scope.node.tryFindChild(`S-${name}`) as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(scope, `S-${name}`, name);
  return {
    name: 'db-pool',
    settings: {
      primary: { host: 'db-primary' },
      standbys: [{ host: 'db-1.db', applicationName: 'db-1' }, { host: 'db-2.db', applicationName: 'db-2' }],
      checkUser: 'pgpool_check',
    },
    users: [{ name: 'app', password: SecretKeyRef.of(secret('app-db'), 'password') }, { name: 'pgpool_check', password: SecretKeyRef.of(secret('pgpool-check'), 'password') }],
    aesKey: SecretKeyRef.of(secret('pgpool-key'), 'key'),
    pcpConf: SecretKeyRef.of(secret('pgpool-pcp'), 'pcp.conf'),
    ...extra,
  };
}

describe('PgpoolDeployment', () => {
  test('GIVEN the defaults WHEN synthesized THEN Deployment, Service, PDB, NetworkPolicy and ConfigMap, restricted pods, Secrets referenced, a session probe', () => {
    const chart = Testing.chart();
    new PgpoolDeployment(chart, 'Pool', props(chart));
    const objects = synthValidated(chart);
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/db-pool-config', 'Deployment/db-pool', 'NetworkPolicy/db-pool', 'PodDisruptionBudget/db-pool', 'Service/db-pool',
    ]);
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    expectRestricted(pod);
    const container = pod.containers[0];
    expect(container.image).toBe('docker.io/pgpool/pgpool:4.3.5');
    expect(container.command).toEqual(['/bin/sh', '/etc/pgpool/start.sh']);
    expect(container.readinessProbe.exec.command[2]).toBe(
      "PGPASSWORD=\"$POOL_PASSWORD_1\" psql -X -q -h 127.0.0.1 -p 5432 -U 'pgpool_check' -d 'postgres' -tAc 'SELECT 1' > /dev/null");
    expect(container.livenessProbe.tcpSocket.port).toBe(5432);
    expect(container.env).toEqual([
      { name: 'POOL_PASSWORD_0', valueFrom: { secretKeyRef: { name: 'app-db', key: 'password' } } },
      { name: 'POOL_PASSWORD_1', valueFrom: { secretKeyRef: { name: 'pgpool-check', key: 'password' } } },
    ]);
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/etc/pgpool', '/etc/pgpool-key', '/etc/pgpool-pcp', '/run/pgpool']);
    expect(pod.volumes.find((v: any) => v.secret?.secretName === 'pgpool-key').secret.items).toEqual([{ key: 'key', path: 'pgpoolkey', mode: 0o400 }]);
    expect(pod.volumes.find((v: any) => v.emptyDir)?.emptyDir.medium).toBe('Memory');
    expect(deployment.spec.template.metadata.annotations['pg-reliability.cdk8s.io/config-hash']).toMatch(/^[0-9a-f]{16,}$/);
    const config = objects.find((o: any) => o.kind === 'ConfigMap');
    expect(Object.keys(config.data).sort()).toEqual(['pgpool.conf', 'pool_hba.conf', 'start.sh']);
    expect(config.data['pgpool.conf']).toContain("\nbackend_hostname2 = 'db-2.db'\n");
    expect(config.data['pgpool.conf']).toContain("\npool_passwd = '/run/pgpool/pool_passwd'\n");
    expect(objects.find((o: any) => o.kind === 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(objects.find((o: any) => o.kind === 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('GIVEN a change in the settings WHEN synthesized THEN the config hash changes', () => {
    const hash = (delay: number) => {
      const chart = Testing.chart();
      const p = props(chart);
      new PgpoolDeployment(chart, 'Pool', { ...p, settings: { ...p.settings, maxPool: delay } });
      return Testing.synth(chart).find((o: any) => o.kind === 'Deployment').spec.template.metadata.annotations['pg-reliability.cdk8s.io/config-hash'];
    };
    expect(hash(2)).not.toBe(hash(3));
  });

  test('GIVEN budgets of max_connections 100 WHEN 2 pods × 32 × 2 = 128 are charged THEN the synth refuses, and 40 × 1 × 2 = 80 fits', () => {
    const tooBig = Testing.chart();
    const budgets = (scope: Construct) => [new ConnectionBudget(scope, 'Primary', { host: 'db-primary', maxConnections: 100 }), new ConnectionBudget(scope, 'Db1', { host: 'db-1.db', maxConnections: 100 })];
    new PgpoolDeployment(tooBig, 'Pool', props(tooBig, { connectionBudgets: budgets(tooBig) }));
    expect(() => Testing.synth(tooBig)).toThrow(/max_connections 100 minus 3 superuser = 97 available, but its poolers and applications can open 128[\s\S]*2 pgpool pods × num_init_children × max_pool = 2 × 64/);
    const fits = Testing.chart();
    const p = props(fits, { connectionBudgets: budgets(fits) });
    new PgpoolDeployment(fits, 'Pool', { ...p, settings: { ...p.settings, numInitChildren: 40, maxPool: 1 } });
    expect(() => Testing.synth(fits)).not.toThrow();
  });

  test('GIVEN a budget of an unknown server WHEN constructed THEN it is refused', () => {
    const chart = Testing.chart();
    expect(() => new PgpoolDeployment(chart, 'Pool', props(chart, { connectionBudgets: [new ConnectionBudget(chart, 'B', { host: 'elsewhere', maxConnections: 100 })] })))
      .toThrow(/connectionBudgets: got "elsewhere:5432"; the host and port of a backend/);
  });

  test('GIVEN an app WHEN wired for the primary directly and the replicas through pgpool THEN two URLs, the password only as $(VAR)', () => {
    const chart = Testing.chart();
    const pool = new PgpoolDeployment(chart, 'Pool', props(chart));
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'app:1', name: 'app' }] });
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'AppSecret', 'app-db'), 'password');
    pool.addConnectionEnv(app.containers[0], { target: ConnectionTarget.PRIMARY, pooled: false, database: 'app', user: 'app', password });
    pool.addConnectionEnv(app.containers[0], { target: ConnectionTarget.REPLICAS, database: 'app', user: 'app', password, variablePrefix: 'REPLICA_' });
    const env = Testing.synth(chart).find((o: any) => o.kind === 'Deployment' && o.metadata.name !== 'db-pool').spec.template.spec.containers[0].env;
    const value = (name: string) => env.find((e: any) => e.name === name).value;
    expect(value('DATABASE_URL')).toBe('postgresql://app:$(PGPASSWORD)@db-primary:5432/app');
    expect(value('REPLICA_DATABASE_URL')).toBe('postgresql://app:$(REPLICA_PGPASSWORD)@db-pool:5432/app');
  });

  test.each<[string, (scope: Construct) => Partial<PgpoolDeploymentProps>, RegExp]>([
    ['a check user without a password', (s) => ({ users: props(s).users.slice(0, 1) }), /settings.checkUser: got "pgpool_check"; one of users \(app\)/],
    ['a user with a colon', (s) => ({ users: [...props(s).users, { name: 'a:b', password: props(s).users[0].password }] }), /users.name: got "a:b"/],
    ['a name that is not a DNS label', () => ({ name: 'Pool' }), /name: got "Pool"/],
    ['the pcp port', () => ({ port: 9898 }), /port: got 9898/],
  ])('GIVEN %s WHEN constructed THEN a prop error', (_, extra, message) => {
    const chart = Testing.chart();
    expect(() => new PgpoolDeployment(chart, 'Pool', props(chart, extra(chart)))).toThrow(message);
  });

  test('GIVEN replicas wired without pgpool WHEN asked THEN refused; a user pgpool does not know is refused', () => {
    const chart = Testing.chart();
    const pool = new PgpoolDeployment(chart, 'Pool', props(chart));
    const c = new kplus.Deployment(chart, 'App', { containers: [{ image: 'app:1' }] }).containers[0];
    const password = props(chart).users[0].password;
    expect(() => pool.addConnectionEnv(c, { target: ConnectionTarget.REPLICAS, pooled: false, database: 'app', user: 'app', password })).toThrow(/several servers/);
    expect(() => pool.addConnectionEnv(c, { database: 'app', user: 'other', password })).toThrow(/addConnectionEnv.user: got "other"; one of the pgpool users/);
  });
});
