import { backupObjects, cronJobsFor } from '../jobs';
import { Rule, RuleLevel } from '../rule';

export const BACKUP_WITHOUT_RESTORE_TEST: Rule = {
  id: 'PGR-BACKUP-001',
  level: RuleLevel.ERROR,
  name: 'Backups are taken but no restore test restores them',
  explanation: 'A backup nobody restored is a hope, not a backup: missing WAL, a wrong cipher passphrase or an unreadable repository only show when the restore is needed.',
  fix: 'Add a scheduled restore test (RestoreTest for pgBackRest, CnpgRestoreTest for CloudNativePG) that restores the latest backup and checks the data.',
  check: (app) => {
    if (cronJobsFor(app, 'restore-test').length > 0) return [];
    return backupObjects(app).map((object) => ({ object, message: `${object.manifest.kind} ${object.manifest.metadata?.name} takes backups, and no restore test in the app restores them` }));
  },
};
