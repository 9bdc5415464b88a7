import { Cron } from 'cdk8s';
import { Schedule } from '../../src';

describe('Schedule', () => {
  test('renders five fields for Kubernetes and six, seconds first, for CNPG', () => {
    // GIVEN the seed's weekly full backup: Sunday 02:00
    const weekly = Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' });
    // THEN
    expect(weekly.toKubernetes()).toBe('0 2 * * SUN');
    expect(weekly.toCnpg()).toBe('0 0 2 * * SUN');
  });

  test('parses both forms and round-trips them', () => {
    expect(Schedule.expression('0 2 * * 1-6').toCnpg()).toBe('0 0 2 * * 1-6');
    expect(Schedule.expression('0 0 2 * * 1-6').toKubernetes()).toBe('0 2 * * 1-6');
    expect(Schedule.expression(' */15  *  * * * ').toKubernetes()).toBe('*/15 * * * *');
  });

  test('converts from and to a cdk8s Cron', () => {
    expect(Schedule.fromCron(Cron.daily()).toCnpg()).toBe('0 0 0 * * *');
    expect(Schedule.expression('0 2 * * 1-6').toCron().expressionString).toBe('0 2 * * 1-6');
    expect(() => Schedule.expression('5 0 2 * * *').toCron()).toThrow(/no seconds field/);
  });

  test('a schedule with seconds cannot become a CronJob schedule', () => {
    const s = Schedule.expression('30 0 2 * * *');
    expect(s.hasSeconds).toBe(true);
    expect(() => s.toKubernetes()).toThrow('Schedule "30 0 2 * * *": a Kubernetes CronJob has no seconds field, so second "30" cannot be kept; use second "0"');
  });

  test.each([
    ['0 2 * *', /expected five fields/],
    ['0 0 0 2 * * *', /expected five fields/],
    ['61 2 * * *', /minute "61" is out of range/],
    ['0 24 * * *', /hour "24" is out of range/],
    ['0 2 0 * *', /day "0" is out of range/],
    ['0 2 * 13 *', /month "13" is out of range/],
    ['0 2 * * 8', /weekDay "8" is out of range/],
    ['0 2 * * FUNDAY', /weekDay "FUNDAY" is out of range/],
    ['0 5-2 * * *', /hour "5-2" has a range that runs backwards/],
    ['*/0 * * * *', /minute "\*\/0" has a step below 1/],
    ['0 2 * * MON//2', /not valid cron syntax/],
  ])('rejects %j', (expression, message) => {
    expect(() => Schedule.expression(expression)).toThrow(message);
  });

  test('accepts names, lists, ranges, steps and ? for days', () => {
    expect(Schedule.expression('0,30 1-5/2 ? JAN-MAR mon,wed').toKubernetes()).toBe('0,30 1-5/2 ? JAN-MAR mon,wed');
    expect(Schedule.expression('0 0 * * 7').toCnpg()).toBe('0 0 0 * * 7');
  });
});
