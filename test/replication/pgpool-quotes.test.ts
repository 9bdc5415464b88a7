import { Testing } from 'cdk8s';
import { PgpoolSettings } from '../../src';
import { checkPgpoolSettings } from '../../src/replication/pgpool-config';

const base: PgpoolSettings = { primary: { host: 'db-primary' }, standbys: [{ host: 'db-1.db' }], checkUser: 'pgpool_check' };

// Regression (found by test/contract/pgpool-property.test.ts): host "db'1" was accepted and
// rendered as 'db''1', which pgpool's parser refuses ("syntax error in configuration file").
describe('pgpool.conf strings pgpool cannot read', () => {
  test.each([
    ['a quote in a host', { ...base, standbys: [{ host: "db'1" }] }, 'settings.standbys[0].host: got "db\'1"; a DNS name or an IP address'],
    ['a space in a host', { ...base, primary: { host: 'db primary' } }, 'settings.primary.host: got "db primary"; a DNS name or an IP address'],
    ['a quote in an application name', { ...base, standbys: [{ host: 'db-1', applicationName: "o'neil" }] }, 'settings.standbys[0].applicationName: got "o\'neil"; a value without quotes'],
    ['a backslash in the check database', { ...base, checkDatabase: 'a\\b' }, 'settings.checkDatabase: got "a\\\\b"; a value without quotes or backslashes'],
  ])('GIVEN %s WHEN the settings are checked THEN a clear error names the prop and the value', (_what, settings, message) => {
    // GIVEN / WHEN / THEN
    expect(() => checkPgpoolSettings(Testing.chart(), settings as PgpoolSettings)).toThrow(message);
  });

  test('GIVEN IP addresses, DNS names and a spaced application name WHEN checked THEN they are accepted', () => {
    // GIVEN
    const settings: PgpoolSettings = { ...base, primary: { host: '10.0.0.5' }, standbys: [{ host: 'db-1.db.svc.cluster.local', applicationName: 'replica one' }, { host: 'fd00::1' }] };
    // WHEN / THEN
    expect(() => checkPgpoolSettings(Testing.chart(), settings)).not.toThrow();
  });
});
