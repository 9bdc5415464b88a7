import { Size, Testing } from 'cdk8s';
import { CnpgCluster, ContainerImage } from '../../src';
import { closest, editDistance } from '../../src/cnpg/gucs/did-you-mean';
import { KNOWN_MAJORS, postgresSettings, targetMajor } from '../../src/cnpg/postgres-settings';
import { synthValidated } from '../helpers/synth';

const postgres = (tag: string) => ContainerImage.of('ghcr.io/cloudnative-pg/postgresql', tag);
const cluster = (parameters: Record<string, string>, image?: ContainerImage) =>
  new CnpgCluster(Testing.chart(), 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), parameters, image });
const refused = (parameters: Record<string, string>, image?: ContainerImage) => {
  try {
    cluster(parameters, image);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(parameters)}`);
};

describe('#12 parameter names against the target major', () => {
  test('#12 a typo is refused with the parameter meant', () => {
    // GIVEN misspelled parameter names WHEN a cluster sets them THEN refused, suggesting the name meant when one is close
    expect(refused({ shared_buffer: '1GB' })).toBe('[test/Db] parameters.shared_buffer: got "shared_buffer"; a PostgreSQL 15 parameter; '
      + 'there is none of that name; did you mean shared_buffers? (an extension\'s parameter takes its prefix, e.g. pg_stat_statements.max)');
    expect(refused({ max_conections: '200' })).toContain('did you mean max_connections?');
    expect(refused({ effective_cache: '3GB' })).not.toContain('did you mean');
  });

  test('#12 a parameter removed in 17 or added in 17 follows the image tag', () => {
    // GIVEN parameters of some majors only WHEN set on images of other majors THEN refused; on their own majors accepted
    expect(() => cluster({ old_snapshot_threshold: '1h' }, postgres('16.4-standard-bookworm'))).not.toThrow();
    expect(refused({ old_snapshot_threshold: '1h' }, postgres('17.2-standard-bookworm')))
      .toMatch(/^\[test\/Db\] parameters.old_snapshot_threshold: got .*; a PostgreSQL 17 parameter; there is none of that name; it is a parameter of PostgreSQL 13, 14, 15, 16 only/);
    expect(() => cluster({ transaction_timeout: '5min' }, postgres('17'))).not.toThrow();
    expect(refused({ transaction_timeout: '5min' }, postgres('13.18'))).toContain('it is a parameter of PostgreSQL 17, 18 only');
  });

  test('#12 the major comes from imageCatalog, or the newest known one with a caveat for a tag without it', () => {
    // GIVEN an image catalog entry or a tag without a major WHEN parameters are checked THEN against that major, or the newest with a caveat
    const catalog = (major: number) => new CnpgCluster(Testing.chart(), 'Db', {
      name: 'shop-db', storageSize: Size.gibibytes(5), imageCatalog: { kind: 'ClusterImageCatalog', name: 'postgresql', major }, parameters: { wal_compression: 'lz4' },
    });
    expect(() => catalog(15)).not.toThrow();
    expect(() => catalog(13)).toThrow('[test/Db] parameters.wal_compression: got "lz4"; a boolean');
    expect(refused({ shared_buffer: '1GB' }, ContainerImage.of('registry.example/acme/postgres', 'v2-hardened')))
      .toContain(`PostgreSQL ${KNOWN_MAJORS[KNOWN_MAJORS.length - 1]} parameter (image tag "v2-hardened" names no PostgreSQL major`);
    expect(targetMajor(postgres('12.22'))).toMatchObject({ major: 13, caveat: expect.stringContaining('no parameter list for PostgreSQL 12') });
    expect(targetMajor(postgres('15.18-standard-bookworm'))).toEqual({ major: 15, caveat: '' });
  });

  test('#12 read-only, per-transaction and duplicate names are refused; names ignore case like PostgreSQL', () => {
    // GIVEN read-only, per-transaction and case-duplicate names WHEN set THEN refused; mixed case alone is accepted
    expect(refused({ block_size: '16384' })).toContain('block_size is read-only');
    expect(refused({ transaction_isolation: 'serializable' })).toContain('default_transaction_isolation');
    expect(refused({ work_mem: '8MB', WORK_MEM: '16MB' })).toContain('parameters.WORK_MEM: got "WORK_MEM"; PostgreSQL ignores the case of names');
    expect(() => cluster({ DateStyle: 'ISO, DMY', timezone: 'Europe/Paris' })).not.toThrow();
  });

  test('#12 extension parameters (a dotted name) are taken as given', () => {
    // GIVEN dotted extension parameters WHEN set THEN rendered as given
    const spec = synthValidated(cluster({ 'pg_stat_statements.max': '10000', 'auto_explain.log_min_duration': '5s' }).node.scope as any)
      .find((m) => m.kind === 'Cluster').spec;
    expect(spec.postgresql.parameters).toMatchObject({ 'pg_stat_statements.max': '10000', 'auto_explain.log_min_duration': '5s' });
  });
});

describe('#12 parameters CloudNativePG manages', () => {
  test.each([
    ['shared_preload_libraries', 'pg_stat_statements,auto_explain', 'spec.postgresql.shared_preload_libraries'],
    ['synchronous_standby_names', 'ANY 1 (*)', 'the CnpgCluster `synchronous` prop'],
    ['archive_command', '/bin/true', 'CnpgCluster.backupTo(objectStore)'],
    ['recovery_target_time', '2025-01-01 00:00:00+00', 'the CnpgCluster `recovery` prop'],
    ['port', '5433', 'no field: CloudNativePG listens on 5432'],
    ['Port', '5433', 'no field: CloudNativePG listens on 5432'],
    ['listen_addresses', '127.0.0.1', 'no field'],
    ['ssl_min_protocol_version', 'TLSv1.2', null],
    ['ssl_cert_file', '/tmp/server.crt', 'spec.certificates'],
    ['cluster_name', 'other', 'the CnpgCluster `name` prop'],
    ['log_destination', 'stderr', 'stdout as JSON'],
    ['pg_failover_slots.primary_dsn', 'host=x', 'pg_failover_slots'],
    ['allow_alter_system', 'on', 'spec.postgresql.enableAlterSystem'],
  ])('#12 parameters.%s is refused with the field to use instead', (name, value, field) => {
    // GIVEN a parameter CloudNativePG manages (or leaves to the user: null) WHEN set THEN refused, naming the field to use (or accepted)
    const image = name === 'allow_alter_system' ? postgres('17.2') : undefined;
    if (field === null) {
      expect(() => cluster({ [name]: value }, image)).not.toThrow();
      return;
    }
    const message = refused({ [name]: value }, image);
    expect(message).toMatch(new RegExp(`^\\[test/Db\\] parameters\\.${name.replace('.', '\\.')}: got "${value.replace(/[.*()+]/g, '\\$&')}"; CloudNativePG manages ${name.toLowerCase().replace('.', '\\.')} itself`));
    expect(message).toContain(field);
  });
});

describe('#12 parameter values by type', () => {
  test.each([
    ['enable_seqscan', 'maybe', 'a boolean as PostgreSQL reads it'],
    ['enable_seqscan', 'o', 'a boolean'],
    ['enable_seqscan', ' on', 'a boolean'],
    ['enable_seqscan', '2', 'a boolean'],
    ['synchronous_commit', 'sometimes', 'one of local, remote_write, remote_apply, on, off (PostgreSQL 15; any case)'],
    ['default_transaction_isolation', 'serialisable', 'one of serializable, repeatable read, read committed, read uncommitted'],
    ['max_parallel_workers', '2000', 'an integer from 0 to 1024'],
    ['max_parallel_workers', '8.5', 'an integer'],
    ['max_locks_per_transaction', '5', 'a positive integer from 10 to 2147483647'],
    ['random_page_cost', 'fast', 'a number from 0 to 1.79769e+308'],
    ['random_page_cost', '-1', 'a number from 0'],
    ['work_mem', '4 megabytes', 'units'],
    ['work_mem', '1h', 'units'],
    ['statement_timeout', '5MB', 'units'],
    ['shared_buffers', '0', "at least 128kB (PostgreSQL's minimum)"],
    ['vacuum_cost_delay', '101ms', 'at most 100ms'],
    ['max_connections', '100kB', 'a positive integer'],
    ['max_connections', '262143', 'max_connections + autovacuum_max_workers + max_worker_processes + max_wal_senders + 1 at most 262143'],
    ['max_stack_depth', '8MB', 'at most 7680kB'],
  ])('#12 parameters.%s = %j is refused (%s)', (name, value, hint) => {
    // GIVEN a value of the wrong type for its parameter WHEN set THEN refused with a hint
    const message = refused({ [name]: value });
    expect(message).toMatch(/^\[test\/Db\] parameters\.[^:]+: got .*; /);
    expect(message).toContain(hint);
  });

  test('#12 spellings PostgreSQL takes are accepted as written', () => {
    // GIVEN every spelling PostgreSQL takes WHEN set THEN rendered as written
    const parameters = {
      enable_seqscan: 'OF',
      enable_hashjoin: 'True',
      enable_mergejoin: 'y',
      jit: '0',
      synchronous_commit: 'REMOTE_APPLY',
      huge_pages: 'no',
      wal_level: 'hot_standby',
      client_min_messages: 'debug',
      default_transaction_isolation: 'Repeatable Read',
      random_page_cost: '1.1',
      cpu_tuple_cost: '1e-2',
      vacuum_cost_delay: '2.5ms',
      autovacuum_vacuum_cost_delay: '1e-3',
      max_stack_depth: '7MB',
      wal_compression: 'zstd',
      log_line_prefix: '%m [%p] ',
    };
    const spec = synthValidated(cluster(parameters).node.scope as any).find((m) => m.kind === 'Cluster').spec;
    expect(spec.postgresql.parameters).toMatchObject(parameters);
  });
});

describe('#12 generated parameter lists', () => {
  test('#12 every known major has its list, loaded on first use; units are ones the library converts', () => {
    // GIVEN each known major WHEN its list is loaded THEN it exists and uses only units the library converts
    const counts = KNOWN_MAJORS.map((major) => [major, postgresSettings(major).byName.size]);
    expect(counts.every(([, n]) => n > 300)).toBe(true);
    const units = new Set(KNOWN_MAJORS.flatMap((m) => [...postgresSettings(m).byName.values()].map((s) => s.unit).filter(Boolean)));
    expect([...units].sort()).toEqual(['8kB', 'B', 'MB', 'kB', 'min', 'ms', 's']);
    expect(postgresSettings(15).byName.get('shared_buffers')).toEqual({ name: 'shared_buffers', type: 'integer', context: 'postmaster', unit: '8kB', min: 16, max: 1073741823 });
  });

  test('#12 importing the library reads no list; a cluster reads only its major', () => {
    // GIVEN a fresh library WHEN imported and a cluster built THEN only that cluster's major is read
    const loaded: number[] = [];
    jest.isolateModules(() => {
      for (const major of KNOWN_MAJORS) {
        jest.doMock(`../../src/cnpg/gucs/pg${major}`, () => {
          loaded.push(major);
          return jest.requireActual(`../../src/cnpg/gucs/pg${major}`);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../../src') as typeof import('../../src');
      expect(loaded).toEqual([]);
      new lib.CnpgCluster(Testing.chart(), 'Db', { storageSize: Size.gibibytes(5), image: lib.ContainerImage.of('ghcr.io/cloudnative-pg/postgresql', '16.4') });
      expect(loaded).toEqual([16]);
    });
  });

  test('#12 did-you-mean uses an edit distance and stays quiet for unrelated words', () => {
    // GIVEN near and far words WHEN matched THEN only the near ones suggest a name
    expect(editDistance('shared_buffer', 'shared_buffers')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('chekpoint_timeout', ['checkpoint_timeout', 'statement_timeout'])).toBe('checkpoint_timeout');
    expect(closest('wal', ['work_mem', 'jit'])).toBeUndefined();
  });
});
