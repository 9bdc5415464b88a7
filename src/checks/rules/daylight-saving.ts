import { skippedRuns } from '../../core/daylight-saving';
import { Schedule } from '../../core/schedule';
import { ofKind } from '../app-view';
import { RawFinding, Rule, RuleLevel } from '../rule';

export const SCHEDULE_IN_DAYLIGHT_SAVING_GAP: Rule = {
  id: 'PGR-SCHED-001',
  level: RuleLevel.WARNING,
  name: 'A CronJob fires at a time its time zone skips when clocks go forward',
  explanation: 'The CronJob controller skips a run whose wall-clock time does not exist: a weekly full backup at 02:30 on the change day leaves two weeks without one.',
  fix: 'Move the schedule out of the change hours (e.g. between 04:00 and 21:00), or use timeZone Etc/UTC.',
  check: (app) => ofKind(app, 'CronJob').flatMap((object): RawFinding[] => {
    const zone = object.manifest.spec?.timeZone;
    if (!zone) return [];
    try {
      const runs = skippedRuns(Schedule.expression(object.manifest.spec.schedule), zone, app.now);
      if (runs.length === 0) return [];
      const w = runs[0];
      const pad = (n: number) => String(n).padStart(2, '0');
      return [{ object, message: `"${object.manifest.spec.schedule}" in ${zone} fires at ${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}, a time that does not exist there` }];
    } catch {
      return []; // not cron, or a zone this Node.js does not know: other checks speak
    }
  }),
};
