import { commonRun, describeRun } from '../cron';
import { cronJobsFor, purposeOf, stanzaOf } from '../jobs';
import { RawFinding, Rule, RuleLevel } from '../rule';

export const OVERLAPPING_BACKUP_TYPES: Rule = {
  id: 'PGR-BACKUP-006',
  level: RuleLevel.ERROR,
  name: 'Backups of different types on one stanza are scheduled at the same minute',
  explanation: 'pgBackRest takes one backup per stanza at a time: when a full and an incremental start together one fails on the lock, and that day has no backup.',
  fix: 'Give the types disjoint days (full on Sunday, incremental Monday to Saturday) or different hours.',
  check: (app) => {
    const jobs = cronJobsFor(app, 'backup-full', 'backup-diff', 'backup-incr');
    const found: RawFinding[] = [];
    jobs.forEach((a, i) => jobs.slice(i + 1).forEach((b) => {
      const stanza = stanzaOf(a);
      if (stanza === undefined || stanza !== stanzaOf(b) || purposeOf(app, a) === purposeOf(app, b)) return;
      const run = commonRun(a.manifest.spec?.schedule, b.manifest.spec?.schedule);
      if (run) found.push({ object: b, message: `${purposeOf(app, b)} and ${purposeOf(app, a)} (${a.manifest.metadata?.name}) on stanza "${stanza}" both start at ${describeRun(run)}` });
    }));
    return found;
  },
};
