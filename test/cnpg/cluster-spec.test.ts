import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AntiAffinity, DataDurability, PrimaryUpdateMethod, SecretKeyRef, SynchronousMethod } from '../../src';
import { clusterSpec } from '../../src/cnpg/cluster-spec';

describe('clusterSpec (pure renderer)', () => {
  test('GIVEN only a storage size WHEN rendered THEN the production defaults, field for field', () => {
    // GIVEN
    const input = { name: 'shop-db', props: { storageSize: Size.gibibytes(10) }, parameters: { max_connections: '100' } };
    // WHEN
    const spec = clusterSpec(input);
    // THEN
    expect(spec).toEqual({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:15.18-standard-bookworm',
      primaryUpdateMethod: 'switchover',
      enablePDB: true,
      postgresql: { parameters: { max_connections: '100' }, shared_preload_libraries: ['pg_stat_statements'] },
      bootstrap: { initdb: { database: 'app', owner: 'app', dataChecksums: true, postInitApplicationSQL: ['CREATE EXTENSION IF NOT EXISTS pg_stat_statements'] } },
      storage: { size: '10Gi' },
      resources: { requests: { memory: '1024Mi', cpu: '500m' }, limits: { memory: '1024Mi' } },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'preferred', topologyKey: 'kubernetes.io/hostname' },
    });
    expect(clusterSpec(input)).toEqual(spec);
  });

  test('GIVEN every choice and option WHEN rendered THEN each lands in its CloudNativePG field', () => {
    // GIVEN
    const owner = kplus.Secret.fromSecretName(Testing.chart(), 'Owner', 'shop-owner');
    const props = {
      storageSize: Size.gibibytes(100),
      walStorageSize: Size.gibibytes(20),
      storageClass: 'fast-ssd',
      instances: 5,
      memory: Size.gibibytes(4),
      cpu: kplus.Cpu.units(2),
      imageCatalog: { kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 },
      pgHba: ['host all all 10.0.0.0/8 scram-sha-256'],
      synchronous: { number: 2, method: SynchronousMethod.FIRST, dataDurability: DataDurability.PREFERRED },
      primaryUpdateMethod: PrimaryUpdateMethod.RESTART,
      antiAffinity: AntiAffinity.REQUIRED,
      spreadAcrossZones: true,
      podDisruptionBudget: false,
      database: 'shop',
      owner: 'shopkeeper',
      ownerSecret: owner,
      postInitApplicationSql: ['CREATE EXTENSION pgcrypto'],
      postInitApplicationSqlRefs: [SecretKeyRef.of(owner, 'grants.sql')],
      managedRoles: [{ name: 'reporter', login: false, inRoles: ['pg_monitor'], connectionLimit: 5 }],
    };
    // WHEN
    const spec = clusterSpec({ name: 'shop-db', props, parameters: {}, backup: { pluginObjectStore: 'shop-backups' } });
    // THEN
    expect(spec).toEqual({
      instances: 5,
      imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 17 },
      primaryUpdateMethod: 'restart',
      enablePDB: false,
      postgresql: {
        parameters: {},
        shared_preload_libraries: ['pg_stat_statements'],
        pg_hba: ['host all all 10.0.0.0/8 scram-sha-256'],
        synchronous: { method: 'first', number: 2, dataDurability: 'preferred' },
      },
      bootstrap: {
        initdb: {
          database: 'shop',
          owner: 'shopkeeper',
          secret: { name: 'shop-owner' },
          dataChecksums: true,
          postInitApplicationSQL: ['CREATE EXTENSION pgcrypto'],
          postInitApplicationSQLRefs: { secretRefs: [{ name: 'shop-owner', key: 'grants.sql' }] },
        },
      },
      storage: { size: '100Gi', storageClass: 'fast-ssd' },
      walStorage: { size: '20Gi', storageClass: 'fast-ssd' },
      resources: { requests: { memory: '4096Mi', cpu: '2' }, limits: { memory: '4096Mi' } },
      affinity: { enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' },
      topologySpreadConstraints: [{
        maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'cnpg.io/cluster': 'shop-db' } },
      }],
      managed: { roles: [{ name: 'reporter', ensure: 'present', login: false, inRoles: ['pg_monitor'], connectionLimit: 5 }] },
      plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'shop-backups' } }],
    });
  });

  test('GIVEN the in-tree backup WHEN rendered THEN backup.barmanObjectStore and no plugin', () => {
    // GIVEN
    const inTree = { retentionPolicy: '7d', configuration: { destinationPath: 's3://acme/db' } };
    // WHEN
    const spec = clusterSpec({ name: 'db', props: { storageSize: Size.gibibytes(1) }, parameters: {}, backup: { inTree } });
    // THEN
    expect(spec.backup).toEqual({ retentionPolicy: '7d', barmanObjectStore: { destinationPath: 's3://acme/db' } });
    expect(spec.plugins).toBeUndefined();
  });
});
