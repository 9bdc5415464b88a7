import * as kplus from 'cdk8s-plus-28';
import { backupChart } from './fixtures';
import { PgBackRestBackups, PgBackRestServerSidecar } from '../../src';
import { CLEAR_ERROR } from '../helpers/property';

const GOOD = { dataDirectory: '/var/lib/postgresql/data/pgdata', dataVolumeMountPath: '/var/lib/postgresql/data', socketDirectory: '/var/run/postgresql' };

function sidecar(paths: Partial<typeof GOOD>) {
  const { chart, settings, serverTls } = backupChart();
  const data = kplus.Volume.fromEmptyDir(chart, 'Data', 'data');
  const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ image: 'postgres:15.18', portNumber: 5432 }] });
  return () => new PgBackRestServerSidecar(chart, 'Server', { workload: db, settings, dataVolume: data, tls: serverTls, ...GOOD, ...paths });
}

function backups(paths: Partial<typeof GOOD>) {
  const { chart, settings, clientTls } = backupChart();
  const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'db-0.db', dataDirectory: paths.dataDirectory ?? GOOD.dataDirectory, socketDirectory: paths.socketDirectory });
  return () => new PgBackRestBackups(chart, 'Backups', { settings, server, tls: clientTls });
}

// pgBackRest: "'pgdata' must begin with /", "cannot contain //"; a space or newline breaks the
// config file and the shell; ".." makes two names for one directory.
const BAD_PATHS = ['pgdata', './pgdata', '/var/lib//pgdata', '/var/lib/postgresql/../pgdata', '/var/lib/./pgdata', '/pg data', '/pgdata\n[global]', '/pgdata/', ''];

describe('#10.7 relative or malformed PGDATA and socket paths are refused at construction', () => {
  test.each(BAD_PATHS)('GIVEN %j WHEN given as PgBackRestServerSidecar dataDirectory THEN refused', (path) => {
    expect(sidecar({ dataDirectory: path })).toThrow(`[test/Server] dataDirectory: got ${JSON.stringify(path)}; expected an absolute path`);
  });

  test.each(BAD_PATHS)('GIVEN %j WHEN given as PgBackRestServerSidecar socketDirectory THEN refused', (path) => {
    expect(sidecar({ socketDirectory: path })).toThrow(`[test/Server] socketDirectory: got ${JSON.stringify(path)}; expected an absolute path`);
  });

  test.each(BAD_PATHS)('GIVEN %j WHEN given as PgBackRestServerSidecar dataVolumeMountPath THEN refused', (path) => {
    expect(sidecar({ dataVolumeMountPath: path })).toThrow(`[test/Server] dataVolumeMountPath: got ${JSON.stringify(path)}; expected an absolute path`);
  });

  test.each(BAD_PATHS)('GIVEN %j WHEN a PgBackRestBackups server has it as dataDirectory THEN refused', (path) => {
    expect(backups({ dataDirectory: path })).toThrow(`[test/Backups] server.dataDirectory: got ${JSON.stringify(path)}; expected an absolute path`);
  });

  test.each(BAD_PATHS)('GIVEN %j WHEN a PgBackRestBackups server has it as socketDirectory THEN refused', (path) => {
    expect(backups({ socketDirectory: path })).toThrow(`[test/Backups] server.socketDirectory: got ${JSON.stringify(path)}; expected an absolute path`);
  });

  test('a socket directory too long for the socket address (107 bytes with /.s.PGSQL.<port>)', () => {
    // GIVEN a directory two characters too long / WHEN given / THEN refused, and one that fits is accepted
    const long = `/${'s'.repeat(95)}`;
    expect(sidecar({ socketDirectory: long })).toThrow(/socketDirectory: got "\/s+"; expected an absolute path .*at most 93 characters/);
    expect(sidecar({ socketDirectory: long.slice(0, 93) })).not.toThrow();
  });

  test('a socket directory or data mount at a path pgBackRest mounts itself (two volumes at one mountPath)', () => {
    // GIVEN / WHEN paths pgBackRest mounts / THEN refused
    expect(sidecar({ socketDirectory: '/tmp' })).toThrow('[test/Server] socketDirectory: got "/tmp"; a directory other than those pgBackRest mounts');
    expect(sidecar({ dataVolumeMountPath: '/var/lib/pgbackrest', dataDirectory: '/var/lib/pgbackrest/pgdata' })).toThrow('[test/Server] dataVolumeMountPath: got "/var/lib/pgbackrest"');
    expect(sidecar({ socketDirectory: '/var/lib/postgresql/data' })).toThrow('[test/Server] socketDirectory: got "/var/lib/postgresql/data"; a directory other than dataVolumeMountPath');
  });

  test('PGDATA outside the data volume, which the sidecar could not see', () => {
    // GIVEN / WHEN PGDATA beside the mount / THEN refused
    expect(sidecar({ dataDirectory: '/pgdata' })).toThrow('[test/Server] dataDirectory: got "/pgdata"; a directory on dataVolume, i.e. under dataVolumeMountPath "/var/lib/postgresql/data"');
    expect(sidecar({ dataDirectory: '/var/lib/postgresql/database' })).toThrow(/under dataVolumeMountPath/);
  });

  test('every refusal has the library error shape, and good paths render verbatim', () => {
    // GIVEN every bad path / WHEN given / THEN the error has the library's shape
    for (const path of BAD_PATHS) {
      expect(sidecar({ dataDirectory: path })).toThrow(CLEAR_ERROR);
      expect(backups({ socketDirectory: path })).toThrow(CLEAR_ERROR);
    }
    // and GIVEN good paths WHEN rendered THEN verbatim
    const server = sidecar({ dataDirectory: '/home/postgres/pgdata/pgroot/data', dataVolumeMountPath: '/home/postgres/pgdata' })();
    expect(server.configMap.data['pgbackrest.conf']).toContain('pg1-path=/home/postgres/pgdata/pgroot/data\n');
  });
});
