import { longestGapDays } from '../cron';
import { cronJobsFor } from '../jobs';
import { Rule, RuleLevel } from '../rule';

export const RESTORE_TEST_NOT_WEEKLY: Rule = {
  id: 'PGR-BACKUP-002',
  level: RuleLevel.WARNING,
  name: 'A restore test runs less often than weekly',
  explanation: 'Backups break silently (a rotated key, a full bucket, a changed extension): a monthly test lets up to a month of backups be unusable before anyone knows.',
  fix: 'Schedule the restore test at least once a week (e.g. Schedule.cron({ minute: "0", hour: "6", weekDay: "WED" })).',
  check: (app) => cronJobsFor(app, 'restore-test').flatMap((object) => {
    const gap = longestGapDays(object.manifest.spec?.schedule);
    return gap !== undefined && gap > 7 ? [{ object, message: `schedule "${object.manifest.spec.schedule}" leaves up to ${gap} days between restore tests` }] : [];
  }),
};
