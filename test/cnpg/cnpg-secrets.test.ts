import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CnpgCluster, CnpgObjectStore, ObjectStoreCredentials, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

describe('#11.9 no secret values in CloudNativePG YAML', () => {
  test.each([
    "CREATE ROLE reporting LOGIN PASSWORD 'hunter2'",
    "create role reporting login encrypted password 'hunter2'",
    "ALTER ROLE app WITH PASSWORD E'hunter2'",
    'ALTER ROLE app PASSWORD $$hunter2$$',
    'ALTER ROLE app PASSWORD $pw$hunter2$pw$',
    "ALTER USER app SET password = 'hunter2'",
    "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'app', password 'hunter2')",
    "SELECT dblink_connect('host=remote dbname=app user=app password=hunter2')",
  ])('#11.9 postInitApplicationSql with a password literal is refused: %s', (sql) => {
    // GIVEN SQL with a password literal
    // WHEN a cluster runs it after initdb
    const build = () => new CnpgCluster(Testing.chart(), 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), postInitApplicationSql: ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements', sql] });
    // THEN refused, without repeating the password
    expect(build).toThrow(/^\[test\/Db\] postInitApplicationSql\[1\]: got .*; no password literals in SQL .*managedRoles.*passwordSecret.*postInitApplicationSqlRefs/s);
    expect(build).not.toThrow(/hunter2/);
  });

  test('#11.9 SQL without a password literal, PASSWORD NULL included, is accepted', () => {
    // GIVEN SQL that mentions passwords without carrying one
    const sql = ['CREATE EXTENSION IF NOT EXISTS pgcrypto', 'ALTER ROLE legacy PASSWORD NULL', "COMMENT ON TABLE t IS 'password reset tokens'"];
    const chart = Testing.chart();
    // WHEN
    new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), postInitApplicationSql: sql });
    // THEN rendered as given
    expect(synthValidated(chart).find((m) => m.kind === 'Cluster').spec.bootstrap.initdb.postInitApplicationSQL).toEqual(sql);
  });

  test('#11.9 SQL that needs a secret comes from a Secret: postInitApplicationSQLRefs.secretRefs', () => {
    const chart = Testing.chart();
    // GIVEN SQL kept in a Secret
    const sqlSecret = kplus.Secret.fromSecretName(chart, 'Sql', 'shop-db-init-sql');
    // WHEN
    new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), postInitApplicationSqlRefs: [SecretKeyRef.of(sqlSecret, 'roles.sql')] });
    // THEN referenced, never copied
    const initdb = synthValidated(chart).find((m) => m.kind === 'Cluster').spec.bootstrap.initdb;
    expect(initdb.postInitApplicationSQLRefs).toEqual({ secretRefs: [{ name: 'shop-db-init-sql', key: 'roles.sql' }] });
  });

  const store = (props: { endpointUrl?: string; destinationPath?: string }) => {
    const chart = Testing.chart();
    const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
    return new CnpgObjectStore(chart, 'Store', {
      destinationPath: props.destinationPath ?? 's3://acme-backups/shop-db',
      endpointUrl: props.endpointUrl,
      credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'ACCESS_KEY_ID'), SecretKeyRef.of(s3, 'ACCESS_SECRET_KEY')),
    });
  };

  test.each([
    ['endpointUrl', { endpointUrl: 'https://minio:hunter2@minio.storage.svc:9000' }],
    ['endpointUrl', { endpointUrl: 'http://AKIAEXAMPLE@minio.storage.svc:9000/' }],
    ['endpointUrl', { endpointUrl: 'https://minio.storage.svc:9000/?X-Amz-Credential=hunter2' }],
    ['destinationPath', { destinationPath: 's3://AKIAEXAMPLE:hunter2@acme-backups/shop-db' }],
    ['destinationPath', { destinationPath: 'https://acme.blob.core.windows.net/backups?sv=2024&sig=hunter2' }],
  ])('#11.9 CnpgObjectStore %s with credentials is refused', (prop, props) => {
    // GIVEN a URL with credentials WHEN an ObjectStore is built THEN refused, without repeating them
    expect(() => store(props)).toThrow(new RegExp(`^\\[test/Store\\] ${prop}: got .*; no credentials in the URL .*ObjectStoreCredentials`));
    expect(() => store(props)).not.toThrow(/hunter2/);
  });

  test('#11.9 a plain endpoint URL is accepted', () => {
    // GIVEN / WHEN an ObjectStore with a plain endpoint
    const s = store({ endpointUrl: 'https://minio.storage.svc:9000' });
    // THEN rendered as given
    expect(synthValidated(s.node.scope as any).find((m) => m.kind === 'ObjectStore').spec.configuration.endpointURL).toBe('https://minio.storage.svc:9000');
  });
});

test('#11.9 post-init SQL together with recovery is refused, not silently skipped', () => {
  const chart = Testing.chart();
  // GIVEN a store to recover from
  const s3 = kplus.Secret.fromSecretName(chart, 'S3', 'backup-s3');
  const objectStore = new CnpgObjectStore(chart, 'Store', { destinationPath: 's3://acme/shop-db', credentials: ObjectStoreCredentials.s3(SecretKeyRef.of(s3, 'A'), SecretKeyRef.of(s3, 'B')) });
  // WHEN a recovered cluster also has post-init SQL THEN refused
  expect(() => new CnpgCluster(chart, 'Db', { storageSize: Size.gibibytes(5), recovery: { objectStore, sourceServerName: 'shop-db' }, postInitApplicationSqlRefs: [SecretKeyRef.of(s3, 'sql')] }))
    .toThrow('[test/Db] postInitApplicationSqlRefs: got "set together with recovery"; post-init SQL runs only after initdb');
});
