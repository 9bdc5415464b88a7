import { Cron } from 'cdk8s';
import { Schedule } from '../../src';

describe('Schedule', () => {
  test('GIVEN a weekly schedule WHEN rendered THEN it has five fields for Kubernetes and six, seconds first, for CNPG', () => {
    // GIVEN the seed's weekly full backup: Sunday 02:00
    const weekly = Schedule.cron({ minute: '0', hour: '2', weekDay: 'SUN' });
    // WHEN rendered for a CronJob and for CNPG THEN the CNPG form adds a seconds field in front
    expect(weekly.toKubernetes()).toBe('0 2 * * SUN');
    expect(weekly.toCnpg()).toBe('0 0 2 * * SUN');
  });

  test('GIVEN five- and six-field expressions WHEN parsed and rendered in the other form THEN they round-trip', () => {
    // WHEN a five-field expression is rendered for CNPG THEN seconds "0" is added
    expect(Schedule.expression('0 2 * * 1-6').toCnpg()).toBe('0 0 2 * * 1-6');
    // WHEN a six-field expression with second 0 is rendered for Kubernetes THEN the seconds field is dropped
    expect(Schedule.expression('0 0 2 * * 1-6').toKubernetes()).toBe('0 2 * * 1-6');
    // WHEN an expression has extra spaces THEN it is rendered with single spaces
    expect(Schedule.expression(' */15  *  * * * ').toKubernetes()).toBe('*/15 * * * *');
  });

  test('GIVEN a cdk8s Cron or a Schedule WHEN converted to the other THEN the expression is kept, and seconds are refused', () => {
    // WHEN a cdk8s daily Cron becomes a Schedule THEN it fires at midnight
    expect(Schedule.fromCron(Cron.daily()).toCnpg()).toBe('0 0 0 * * *');
    // WHEN a Schedule becomes a cdk8s Cron THEN the expression is the same
    expect(Schedule.expression('0 2 * * 1-6').toCron().expressionString).toBe('0 2 * * 1-6');
    // WHEN a Schedule with second 5 becomes a cdk8s Cron THEN it is refused
    expect(() => Schedule.expression('5 0 2 * * *').toCron()).toThrow(/no seconds field/);
  });

  test('GIVEN a schedule with second 30 WHEN rendered for a Kubernetes CronJob THEN it is refused, naming the second', () => {
    // GIVEN a six-field schedule firing at second 30
    const s = Schedule.expression('30 0 2 * * *');
    expect(s.hasSeconds).toBe(true);
    // WHEN rendered for a CronJob THEN it explains the seconds cannot be kept
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
  ])('GIVEN the expression %j WHEN parsed THEN it is rejected', (expression, message) => {
    // WHEN parsed THEN the error names the wrong field and why
    expect(() => Schedule.expression(expression)).toThrow(message);
  });

  test('GIVEN names, lists, ranges, steps and ? for days WHEN parsed THEN they are accepted and kept as written', () => {
    // WHEN an expression uses all of them THEN it is rendered unchanged
    expect(Schedule.expression('0,30 1-5/2 ? JAN-MAR mon,wed').toKubernetes()).toBe('0,30 1-5/2 ? JAN-MAR mon,wed');
    // WHEN Sunday is written as 7 THEN it is accepted
    expect(Schedule.expression('0 0 * * 7').toCnpg()).toBe('0 0 0 * * 7');
  });
});
