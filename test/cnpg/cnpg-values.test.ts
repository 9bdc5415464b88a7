import { Size, Testing } from 'cdk8s';
import { ACCEPTED_PG_HBA } from './cnpg-cluster.arbitraries';
import { CnpgCluster } from '../../src';
import { synthValidated } from '../helpers/synth';

const cluster = (props: { pgHba?: string[]; parameters?: Record<string, string>; memory?: Size }) =>
  new CnpgCluster(Testing.chart(), 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), ...props });

describe('#11.17 pg_hba entries', () => {
  test('#11.17 a newline in a pgHba entry (a smuggled trust rule) is refused', () => {
    // GIVEN a pgHba entry with a newline WHEN a cluster is built THEN refused
    expect(() => cluster({ pgHba: ['host app app 10.0.0.0/8 scram-sha-256\nhost all all 0.0.0.0/0 trust'] }))
      .toThrow(/^\[test\/Db\] pgHba\[0\]: got "host app app 10.0.0.0\/8 scram-sha-256\\nhost all all 0.0.0.0\/0 trust"; one pg_hba.conf rule on a single line/);
  });

  test.each([
    ['hots all all 10.0.0.0/8 md5', 'connection type'],
    ['host all all 10.0.0.0/8 scram-sha256', 'authentication method'],
    ['host all all 10.0.0.0/33 md5', 'address'],
    ['host all all 300.0.0.1/32 md5', 'address'],
    ['host all all 10.0.0.1 md5', 'mask'],
    ['host all all md5', 'address'],
    ['local all all 10.0.0.0/8 trust', 'authentication method'],
    ['host all all 10.0.0.0/8 peer', 'peer'],
    ['host all all 10.0.0.0/8 cert', 'hostssl'],
    ['host all all 10.0.0.0/8 md5 nosuchoption=1', 'option'],
    ['host all all 10.0.0.0/8 ldap ldapserver=ldap.example ldapbinddn=cn=x ldapbindpasswd=hunter2 ldapbasedn=dc=example', 'Secret'],
    ['host @dbs all 10.0.0.0/8 md5', '@file'],
    ['host "all all 10.0.0.0/8 md5', 'quote'],
    ['include other.conf', 'connection type'],
    ['   ', 'one pg_hba.conf rule'],
    ['host all all 10.0.0.0/8 md5 \\', 'single line'],
  ])('#11.17 pgHba %j is refused (%s)', (entry, hint) => {
    // GIVEN a malformed pgHba entry WHEN a cluster is built THEN refused with a hint
    expect(() => cluster({ pgHba: [entry] })).toThrow(/^\[test\/Db\] pgHba\[0\]: got .*; /);
    expect(() => cluster({ pgHba: [entry] })).toThrow(hint);
  });

  test('#11.17 the rules pg_hba.conf takes are accepted as written', () => {
    // GIVEN every rule form pg_hba.conf takes WHEN a cluster is built THEN rendered as written
    const pgHba = ACCEPTED_PG_HBA;
    const spec = synthValidated(cluster({ pgHba }).node.scope as any).find((m) => m.kind === 'Cluster').spec;
    expect(spec.postgresql.pg_hba).toEqual(pgHba);
  });
});

describe('#11.17 parameter values', () => {
  test.each([
    ['shared_buffers', '0', "PostgreSQL's minimum"],
    ['shared_buffers', '64kB', "PostgreSQL's minimum"],
    ['shared_buffers', '1 gigabyte', 'units'],
    ['shared_buffers', '1gb', 'units'],
    ['work_mem', '4 megabytes', 'units'],
    ['work_mem', '-5MB', 'at least'],
    ['maintenance_work_mem', '512kB', "PostgreSQL's minimum"],
    ['min_wal_size', '16MB', 'twice the 16MB WAL segment'],
    ['checkpoint_timeout', '10', 'at least 30s'],
    ['checkpoint_timeout', '5 minutes', 'units'],
    ['statement_timeout', '30sec', 'units'],
    ['max_connections', '0', 'a positive integer'],
    ['max_connections', 'many', 'a positive integer'],
    ['log_min_duration_statement', '1s\nlisten_addresses = \'*\'', 'single line'],
    ['bad name', 'on', 'a parameter name'],
  ])('#11.17 parameters.%s = %j is refused (%s)', (name, value, hint) => {
    // GIVEN a value PostgreSQL would refuse WHEN set THEN refused with a hint
    expect(() => cluster({ parameters: { [name]: value } })).toThrow(/^\[test\/Db\] parameters\.[^:]+: got .*; /s);
    expect(() => cluster({ parameters: { [name]: value } })).toThrow(hint);
  });

  test('#11.17 values PostgreSQL takes are accepted, units and all', () => {
    // GIVEN values PostgreSQL takes WHEN set THEN rendered as given
    const parameters = {
      'shared_buffers': '128kB',
      'work_mem': '64kB',
      'maintenance_work_mem': '1MB',
      'effective_cache_size': '1.5GB',
      'checkpoint_timeout': '15min',
      'statement_timeout': '0',
      'idle_in_transaction_session_timeout': '1h',
      'log_min_duration_statement': '-1',
      'wal_buffers': '-1',
      'temp_file_limit': '-1',
      'max_connections': '250',
      'pg_stat_statements.max': '10000',
      'log_line_prefix': '%m [%p] ',
    };
    const spec = synthValidated(cluster({ parameters }).node.scope as any).find((m) => m.kind === 'Cluster').spec;
    expect(spec.postgresql.parameters).toMatchObject(parameters);
  });

  test('#11.17 a pod too small for the derived parameters is refused, not rendered', () => {
    // GIVEN 16Mi of memory WHEN parameters are derived THEN refused
    expect(() => cluster({ memory: Size.mebibytes(16) })).toThrow(/^\[test\/Db\] parameters\.shared_buffers: got "32MB"; must be well below the memory limit \(16MiB\)/);
  });
});
