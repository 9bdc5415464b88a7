import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DumpStorage, PgBackRestBackups, PgBackRestServerSidecar, PgDumpBackup, RestoreCheck, RestoreSource, RestoreTest, Schedule, SecretKeyRef, Warnings } from '../../src';
import { skippedRuns } from '../../src/core/daylight-saving';
import { backupChart } from '../backup/fixtures';

const FROM = new Date('2026-11-25T00:00:00Z');
const when = (schedule: Schedule, zone: string) => skippedRuns(schedule, zone, FROM).map((w) => `${w.year}-${w.month}-${w.day} ${w.hour}:${String(w.minute).padStart(2, '0')}`);

describe('#10.9 daylight-saving gaps', () => {
  test('GIVEN a Sunday 02:00 full backup in Europe/Berlin WHEN its skipped runs are listed THEN it is the last Sunday of March', () => {
    // GIVEN a full backup every Sunday at 02:00
    const schedule = Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' });
    // WHEN its runs that fall into a gap in Europe/Berlin are listed
    const skipped = when(schedule, 'Europe/Berlin');
    // THEN the one skipped run is the last Sunday of March
    expect(skipped).toEqual(['2027-3-28 2:00']);
  });

  test('GIVEN a daily job WHEN its skipped runs are listed per zone THEN each zone skips its own hour: 03:00 in Helsinki, 02:00 in New York, 00:00 in Santiago, none in UTC', () => {
    // GIVEN a daily job at a given hour
    const daily = (hour: string) => Schedule.cron({ minute: '30', hour });
    // WHEN it runs at 03:30 THEN Helsinki skips it, Berlin does not
    expect(when(daily('3'), 'Europe/Helsinki')).toEqual(['2027-3-28 3:30']);
    expect(when(daily('3'), 'Europe/Berlin')).toEqual([]);
    // WHEN it runs at 02:30 THEN New York skips it
    expect(when(daily('2'), 'America/New_York')).toEqual(['2027-3-14 2:30']);
    // WHEN it runs at 00:30 THEN Santiago skips it: Chile springs forward in September, at midnight
    expect(when(daily('0'), 'America/Santiago')).toEqual(['2027-9-5 0:30']);
    // WHEN it runs at 02:30 in UTC THEN nothing is skipped
    expect(when(daily('2'), 'UTC')).toEqual([]);
  });

  test('GIVEN schedules with day-of-month and day-of-week WHEN their skipped runs are listed THEN the fields combine as cron does (either matches when both are set)', () => {
    // WHEN the 28th of any month OR any Monday, at 02:00 THEN 2027-03-28 is skipped: a Sunday, but the 28th matches
    expect(when(Schedule.cron({ minute: '0', hour: '2', day: '28', weekDay: 'MON' }), 'Europe/Berlin')).toEqual(['2027-3-28 2:00']);
    // WHEN the 1st to 7th of March with any weekday THEN nothing is skipped (the gap is on the 28th)
    expect(when(Schedule.cron({ minute: '0', hour: '2', day: '1-7', month: '3', weekDay: '*' }), 'Europe/Berlin')).toEqual([]);
    // WHEN every 20 minutes in hour 2 THEN each of the three runs in the gap is listed
    expect(when(Schedule.cron({ minute: '*/20', hour: '2' }), 'Europe/Berlin')).toEqual(['2027-3-28 2:00', '2027-3-28 2:20', '2027-3-28 2:40']);
  });

  test('GIVEN the library\'s default schedules (04:00, 05:00, 06:00) WHEN checked in every time zone Node.js knows THEN none is skipped', () => {
    // GIVEN the default schedules and every known time zone
    const defaults = [
      Schedule.cron({ minute: '0', hour: '4', weekDay: 'SUN' }),
      Schedule.cron({ minute: '0', hour: '4', weekDay: 'MON-SAT' }),
      Schedule.cron({ minute: '0', hour: '5' }),
      Schedule.cron({ minute: '0', hour: '6', weekDay: 'WED' }),
    ];
    const zones = Intl.supportedValuesOf('timeZone');
    expect(zones.length).toBeGreaterThan(300);
    // WHEN the skipped runs of two years are listed for each
    const skipped = zones.flatMap((zone) => defaults.flatMap((s) => skippedRuns(s, zone, FROM, 2 * 366).map(() => `${zone} ${s.toKubernetes()}`)));
    // THEN there are none
    expect(skipped).toEqual([]);
  });

  test('GIVEN every time zone WHEN each scheduled construct uses its default schedule there THEN no construct warns', () => {
    // GIVEN every known time zone
    const zones = Intl.supportedValuesOf('timeZone');
    const { chart, settings, clientTls } = backupChart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    const server = PgBackRestServerSidecar.fromServerAttributes({ host: 'db-0.db', dataDirectory: '/pgdata' });
    // WHEN backups, dumps and restore tests are created in each with their default schedule
    zones.forEach((timeZone, i) => {
      new PgBackRestBackups(chart, `Backups${i}`, { settings, server, tls: clientTls, timeZone });
      new PgDumpBackup(chart, `Dump${i}`, { connection: { host: 'db', database: 'app', user: 'app', password }, storage: DumpStorage.existingClaim('dumps'), timeZone });
      new RestoreTest(chart, `RestoreTest${i}`, { source: RestoreSource.pgBackRest(settings), checks: [RestoreCheck.integrity()], timeZone });
    });
    // THEN there is no warning
    expect(Warnings.of(chart)).toEqual([]);
  });

  test('GIVEN one dump scheduled into the Berlin gap and one on the default schedule WHEN synthesized THEN only the first gets a warning naming the date', () => {
    // GIVEN a dump connection and storage
    const chart = Testing.chart();
    const password = SecretKeyRef.of(kplus.Secret.fromSecretName(chart, 'Pw', 'pw'), 'password');
    const connection = { host: 'db', database: 'app', user: 'app', password };
    const storage = DumpStorage.existingClaim('dumps');
    // WHEN one dump runs at 02:15 in Europe/Berlin and another on the default schedule
    new PgDumpBackup(chart, 'InGap', { connection, storage, schedule: Schedule.cron({ minute: '15', hour: '2' }), timeZone: 'Europe/Berlin' });
    new PgDumpBackup(chart, 'Default', { connection, storage, timeZone: 'Europe/Berlin' });
    // THEN only the one in the gap warns, naming the date and explaining the skipped run
    const warnings = Warnings.of(chart);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[test\/InGap\] schedule: "15 2 \* \* \*" in Europe\/Berlin fires at \d{4}-03-\d\d 02:15, a time that does not exist there \(clocks jump forward\), so the CronJob controller skips that run; move it out of the daylight-saving change/);
  });
});
