import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DumpStorage, PgBackRestBackups, PgDumpBackup, RestoreCheck, RestoreSource, RestoreTest, Schedule, SecretKeyRef, Warnings } from '../../src';
import { skippedRuns } from '../../src/core/daylight-saving';
import { backupChart } from '../backup/fixtures';

const FROM = new Date('2026-11-25T00:00:00Z');
const when = (schedule: Schedule, zone: string) => skippedRuns(schedule, zone, FROM).map((w) => `${w.year}-${w.month}-${w.day} ${w.hour}:${String(w.minute).padStart(2, '0')}`);

describe('#10.9 daylight-saving gaps', () => {
  test('a Sunday 02:00 full backup in Europe/Berlin is skipped on the last Sunday of March', () => {
    expect(when(Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' }), 'Europe/Berlin')).toEqual(['2027-3-28 2:00']);
  });

  test('each zone skips its own hour: 03:00 in Helsinki, 02:00 in New York, 00:00 in Santiago, none in UTC', () => {
    const daily = (hour: string) => Schedule.cron({ minute: '30', hour });
    expect(when(daily('3'), 'Europe/Helsinki')).toEqual(['2027-3-28 3:30']);
    expect(when(daily('3'), 'Europe/Berlin')).toEqual([]);
    expect(when(daily('2'), 'America/New_York')).toEqual(['2027-3-14 2:30']);
    // Chile springs forward in September, at midnight.
    expect(when(daily('0'), 'America/Santiago')).toEqual(['2027-9-5 0:30']);
    expect(when(daily('2'), 'UTC')).toEqual([]);
  });

  test('day-of-month and day-of-week combine as cron does (either matches when both are set)', () => {
    // 28th of any month OR any Monday, at 02:00: 2027-03-28 is a Sunday, but the 28th matches.
    expect(when(Schedule.cron({ minute: '0', hour: '2', day: '28', weekDay: 'MON' }), 'Europe/Berlin')).toEqual(['2027-3-28 2:00']);
    expect(when(Schedule.cron({ minute: '0', hour: '2', day: '1-7', month: '3', weekDay: '*' }), 'Europe/Berlin')).toEqual([]);
    expect(when(Schedule.cron({ minute: '*/20', hour: '2' }), 'Europe/Berlin')).toEqual(['2027-3-28 2:00', '2027-3-28 2:20', '2027-3-28 2:40']);
  });

  test('the library\'s default schedules (04:00, 05:00, 06:00) are skipped in no time zone Node.js knows', () => {
    const defaults = [
      Schedule.cron({ minute: '0', hour: '4', weekDay: 'SUN' }),
      Schedule.cron({ minute: '0', hour: '4', weekDay: 'MON-SAT' }),
      Schedule.cron({ minute: '0', hour: '5' }),
      Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }),
    ];
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(300);
    const skipped = zones.flatMap((zone) => defaults.flatMap((s) => skippedRuns(s, zone, FROM, 2 * 366).map(() => `${zone} ${s.toKubernetes()}`)));
    expect(skipped).toEqual([]);
  });

  test('no construct warns with its default schedule, in any time zone', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const { chart, settings, clientTls } = backupChart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    zones.forEach((timeZone, i) => {
      new PgBackRestBackups(chart, `Backups${i}`, { settings, databaseHost: 'db-0.db', dataDirectory: '/pgdata', tls: clientTls, timeZone });
      new PgDumpBackup(chart, `Dump${i}`, { connection: { host: 'db', database: 'app', user: 'app', password }, storage: DumpStorage.existingClaim('dumps'), timeZone });
      new RestoreTest(chart, `RestoreTest${i}`, { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], timeZone });
    });
    expect(Warnings.of(chart)).toEqual([]);
  });

  test('a job scheduled into the gap gets a synth warning naming the date; outside it, none', () => {
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    const connection = { host: 'db', database: 'app', user: 'app', password };
    const storage = DumpStorage.existingClaim('dumps');
    new PgDumpBackup(chart, 'InGap', { connection, storage, schedule: Schedule.cron({ minute: '15', hour: '2' }), timeZone: 'Europe/Berlin' });
    new PgDumpBackup(chart, 'Default', { connection, storage, timeZone: 'Europe/Berlin' });
    const warnings = Warnings.of(chart);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[test\/InGap\] schedule: "15 2 \* \* \*" in Europe\/Berlin fires at \d{4}-03-\d\d 02:15, a time that does not exist there \(clocks jump forward\), so the CronJob controller skips that run; move it out of the daylight-saving change/);
  });
});
