import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SEED_SETTINGS, webApp } from './fixtures';
import { AuthType, PgBouncerSettings, PgBouncerSidecar, SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

/** Builds a sidecar with the seed settings plus `settings` and returns its pgbouncer.ini. */
function sidecarIni(settings: Partial<PgBouncerSettings>): string {
  const { chart, web, userlist } = webApp();
  new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, ...settings } });
  return synthValidated(chart).find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini'];
}

describe('#11.14 PgBouncer limits, list separators and integer settings', () => {
  test('#11.14 GIVEN a database name longer than PgBouncer allows WHEN synthesized THEN it is refused', () => {
    // PgBouncer 1.18 refuses 64 bytes ("too long db name") and starts with 63.
    expect(sidecarIni({ databases: [{ name: 'd'.repeat(63), host: 'db' }] })).toContain(`${'d'.repeat(63)} = host=db`);
    expect(() => sidecarIni({ databases: [{ name: 'd'.repeat(5000), host: 'db' }] }))
      .toThrow(/^\[test\/Pooler\] settings\.databases\[0\]\.name: got "d{77}\.\.\."; a \[databases\] name may be at most 63 bytes in PgBouncer \(got 5000\); shorten it$/);
    expect(() => sidecarIni({ databases: [{ name: 'd'.repeat(64), host: 'db' }] })).toThrow('(got 64)');
  });

  test('#11.14 GIVEN user names past MAX_USERNAME WHEN synthesized THEN they are refused (PgBouncer would truncate them)', () => {
    expect(() => sidecarIni({ databases: [{ name: 'app', host: 'db', forceUser: 'u'.repeat(128) }] }))
      .toThrow('[test/Pooler] settings.databases[0].forceUser: got "' + 'u'.repeat(77) + '..."; a user name may be at most 127 bytes in PgBouncer (got 128)');
    expect(() => sidecarIni({ authUser: 'é'.repeat(64), authQuery: 'SELECT 1' })).toThrow('settings.authUser: got "' + 'é'.repeat(64) + '"; a user name may be at most 127 bytes in PgBouncer (got 128)');
    expect(() => sidecarIni({ adminUsers: ['u'.repeat(128)] })).toThrow('settings.adminUsers[0]: got');
  });

  test('#11.14 GIVEN a list item holding the separator WHEN synthesized THEN it is refused instead of making two admins', () => {
    expect(() => sidecarIni({ adminUsers: ['a,b'] }))
      .toThrow('[test/Pooler] settings.adminUsers[0]: got "a,b"; PgBouncer splits this list at commas and whitespace: give one non-empty item without either');
    expect(() => sidecarIni({ statsUsers: ['ok', 'two words'] })).toThrow('settings.statsUsers[1]: got "two words"');
    expect(() => sidecarIni({ ignoreStartupParameters: [''] })).toThrow('settings.ignoreStartupParameters[0]: got ""');
    expect(sidecarIni({ adminUsers: ['a', 'b'] })).toContain('admin_users = a,b\n');
  });

  test('#11.14 GIVEN a sub-second statsPeriod WHEN synthesized THEN it is refused instead of rendering stats_period = 0.5', () => {
    expect(() => sidecarIni({ statsPeriod: Duration.millis(500) }))
      .toThrow('[test/Pooler] settings.statsPeriod: got "500 ms"; PgBouncer reads it as whole seconds (a C int): expected 1 to 2147483647 whole seconds');
    expect(() => sidecarIni({ statsPeriod: Duration.millis(1500) })).toThrow('settings.statsPeriod: got "1500 ms"');
    expect(sidecarIni({ statsPeriod: Duration.minutes(2) })).toContain('stats_period = 120\n');
  });

  test('#11.14 GIVEN AuthType.HBA and authHbaFile WHEN synthesized THEN the file is mounted and rendered as auth_hba_file; either alone is refused', () => {
    expect(() => sidecarIni({ authType: AuthType.HBA }))
      .toThrow('[test/Pooler] settings.authType: got "hba"; HBA authentication reads its rules from auth_hba_file: give authHbaFile');
    const { chart, web, userlist } = webApp();
    const hba = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Hba', 'pgbouncer-hba'), 'pg_hba.conf');
    expect(() => new PgBouncerSidecar(chart, 'Lone', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, authHbaFile: hba } }))
      .toThrow('[test/Lone] settings.authHbaFile: got "pgbouncer-hba/pg_hba.conf"; PgBouncer reads auth_hba_file only with AuthType.HBA');
    const pooler = new PgBouncerSidecar(chart, 'Pooler', { workload: web, authFile: userlist, settings: { ...SEED_SETTINGS, authType: AuthType.HBA, authHbaFile: hba } });
    expect(pooler.renderIni()).toContain('auth_type = hba\nauth_file = /etc/pgbouncer/auth/userlist.txt\nauth_hba_file = /etc/pgbouncer/hba/pg_hba.conf\n');
    const sidecar = synthValidated(chart).find((m) => m.kind === 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'pgbouncer');
    expect(sidecar.volumeMounts).toContainEqual({ name: 'secret-pgbouncer-hba-pg-hba-conf', mountPath: '/etc/pgbouncer/hba', readOnly: true });
  });

  test('#11.14 GIVEN integer settings past a C int WHEN synthesized THEN they are refused (PgBouncer would wrap them around)', () => {
    // PgBouncer 1.18 reads max_client_conn = 2147483648 as -2147483648.
    expect(() => sidecarIni({ maxClientConn: 2147483648 }))
      .toThrow('[test/Pooler] settings.maxClientConn: got 2147483648; expected an integer from 1 to 2147483647 (PgBouncer keeps it in a C int)');
    expect(() => sidecarIni({ databases: [{ name: 'app', host: 'db', poolSize: 2 ** 40 }] })).toThrow('settings.databases[0].poolSize: got 1099511627776');
  });

  test('#11.14 GIVEN durations that are not whole milliseconds WHEN synthesized THEN they are refused (0.4 ms would render 0 = disabled)', () => {
    expect(() => sidecarIni({ queryTimeout: Duration.millis(0.4) }))
      .toThrow('[test/Pooler] settings.queryTimeout: got "0.4 ms"; expected a finite Duration of whole milliseconds');
    expect(sidecarIni({ queryTimeout: Duration.millis(1500), reservePoolTimeout: Duration.millis(1) })).toContain('reserve_pool_timeout = 0.001\n');
  });

  test('#11.14 GIVEN an empty forceUser or a multi-line applicationName WHEN synthesized THEN the library\'s error names it (found by the contract property test)', () => {
    expect(() => sidecarIni({ databases: [{ name: 'app', host: 'db', forceUser: '' }] }))
      .toThrow('[test/Pooler] settings.databases[0].forceUser: got ""; expected a non-empty, single-line string (PgBouncer refuses an empty connection parameter)');
    expect(() => sidecarIni({ databases: [{ name: 'app', host: 'db', applicationName: 'a\nb' }] })).toThrow('[test/Pooler] settings.databases[0].applicationName: got "a\\nb"');
  });
});
