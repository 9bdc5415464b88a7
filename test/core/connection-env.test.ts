import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConnectionTarget, ConnectionUrlStyle, SecretKeyRef } from '../../src';
import { addConnectionVariables, ConnectionEndpoint } from '../../src/core/connection-variables';
import { synthValidated } from '../helpers/synth';

function app() {
  const chart = Testing.chart();
  const web = new kplus.Deployment(chart, 'Web', { containers: [{ name: 'web', image: 'docker.io/library/busybox:1.36', securityContext: { user: 1000 } }] });
  const secret = kplus.Secret.fromSecretName(chart, 'AppSecret', 'db-app');
  const endpoint: ConnectionEndpoint = {
    host: 'db-rw',
    port: 5432,
    database: { literal: 'shop db' },
    user: { secret, key: 'username' },
    password: { secret, key: 'password' },
  };
  return { chart, web, container: web.containers[0], endpoint, secret };
}

function envOf(chart: ReturnType<typeof app>['chart']) {
  return synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].env;
}

describe('addConnectionVariables (the one wiring behind every addConnectionEnv)', () => {
  test('GIVEN an endpoint WHEN wired with defaults THEN the libpq variables come first and the URL refers to them', () => {
    const { chart, container, endpoint } = app();
    addConnectionVariables(chart, container, endpoint);
    expect(envOf(chart)).toEqual([
      { name: 'PGHOST', value: 'db-rw' },
      { name: 'PGPORT', value: '5432' },
      { name: 'PGDATABASE', value: 'shop db' },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'db-app', key: 'username' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'db-app', key: 'password' } } },
      // The database name is written, so it is URL-encoded; the Secret's values are expanded by the kubelet.
      { name: 'DATABASE_URL', value: 'postgresql://$(PGUSER):$(PGPASSWORD)@db-rw:5432/shop%20db' },
    ]);
  });

  test('GIVEN a container wired once WHEN a second connection uses the same names THEN synth refuses instead of overwriting', () => {
    const { chart, container, endpoint } = app();
    addConnectionVariables(chart, container, endpoint);
    expect(() => addConnectionVariables(chart, container, { ...endpoint, host: 'db-ro' }, { target: ConnectionTarget.REPLICAS }))
      .toThrow('addConnectionEnv: got "PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, DATABASE_URL"; container "web" already has these variables (an earlier connection?): give this connection its own names with variablePrefix (e.g. "REPLICA_") or variables');
  });

  test('GIVEN two connections WHEN the second has a prefix THEN both are wired, each URL referring to its own variables', () => {
    const { chart, container, endpoint } = app();
    addConnectionVariables(chart, container, endpoint);
    addConnectionVariables(chart, container, { ...endpoint, host: 'db-ro' }, { variablePrefix: 'REPLICA_' });
    const env = envOf(chart);
    expect(env).toHaveLength(12);
    expect(env.find((v: any) => v.name === 'REPLICA_DATABASE_URL').value).toBe('postgresql://$(REPLICA_PGUSER):$(REPLICA_PGPASSWORD)@db-ro:5432/shop%20db');
    expect(env.find((v: any) => v.name === 'DATABASE_URL').value).toBe('postgresql://$(PGUSER):$(PGPASSWORD)@db-rw:5432/shop%20db');
  });

  test('GIVEN JDBC style and renamed variables WHEN wired THEN the URL is a JDBC URL with credentials as parameters', () => {
    const { chart, container, endpoint } = app();
    addConnectionVariables(chart, container, endpoint, { urlStyle: ConnectionUrlStyle.JDBC, variables: { url: 'SPRING_DATASOURCE_URL', password: 'DB_PASSWORD' } });
    const env = envOf(chart);
    expect(env.map((v: any) => v.name)).toEqual(['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'DB_PASSWORD', 'SPRING_DATASOURCE_URL']);
    expect(env[5].value).toBe('jdbc:postgresql://db-rw:5432/shop%20db?user=$(PGUSER)&password=$(DB_PASSWORD)');
  });

  test('GIVEN a literal user and a Secret password WHEN wired THEN no secret value is in the YAML', () => {
    const { chart, container, endpoint, secret } = app();
    addConnectionVariables(chart, container, { ...endpoint, user: { literal: 'app@shop' }, password: { secret, key: 'password' } });
    const env = envOf(chart);
    expect(env.find((v: any) => v.name === 'DATABASE_URL').value).toBe('postgresql://app%40shop:$(PGPASSWORD)@db-rw:5432/shop%20db');
    expect(JSON.stringify(env)).not.toContain('"value":"password');
  });

  test.each([
    [{ variablePrefix: 'replica-' }, 'addConnectionEnv.variablePrefix: got "replica-DATABASE_URL"'],
    [{ variables: { url: '9URL' } }, 'addConnectionEnv.variables.url: got "9URL"'],
    [{ variables: { url: 'PGHOST' } }, 'addConnectionEnv.variables: got "PGHOST"; two variables of one connection have this name'],
  ])('GIVEN bad names %j WHEN wired THEN a clear error', (options, message) => {
    const { chart, container, endpoint } = app();
    expect(() => addConnectionVariables(chart, container, endpoint, options)).toThrow(message);
  });

  test('GIVEN a SecretKeyRef WHEN used as the password THEN it is read from that Secret', () => {
    const { chart, container, endpoint } = app();
    const other = kplus.Secret.fromSecretName(chart, 'Other', 'db-other');
    const ref = SecretKeyRef.of(other, 'pw');
    addConnectionVariables(chart, container, { ...endpoint, password: { secret: ref.secret, key: ref.key } });
    expect(envOf(chart).find((v: any) => v.name === 'PGPASSWORD')).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'db-other', key: 'pw' } } });
  });
});
