import { NO_BACKUP_AGE_ALERT } from './backup-age-alert';
import { BACKUP_JOBS_MAY_OVERLAP } from './backup-concurrency';
import { BACKUP_WITHOUT_RESTORE_TEST } from './backup-restore-test';
import { DISRUPTION_BUDGET_BLOCKS_DRAINS } from './budget-blocks-drain';
import { DATABASE_WITHOUT_VOLUME } from './data-volume';
import { CNPG_CLUSTER_NOT_SCRAPED } from './database-monitored';
import { SCHEDULE_IN_DAYLIGHT_SAVING_GAP } from './daylight-saving';
import { NO_DISRUPTION_BUDGET } from './disruption-budget';
import { DATABASE_WITHOUT_NETWORK_POLICY, EXPORTER_WITHOUT_NETWORK_POLICY } from './network-policies';
import { OVERLAPPING_BACKUP_TYPES } from './overlapping-backups';
import { IMAGE_NOT_PINNED } from './pinned-images';
import { NO_RESOURCES } from './resources';
import { RESTORE_TEST_NOT_WEEKLY } from './restore-test-weekly';
import { POD_NOT_RESTRICTED } from './restricted';
import { RETENTION_SHORTER_THAN_RESTORE_TEST } from './retention-vs-restore-test';
import { ALERT_WITHOUT_RUNBOOK } from './runbooks';
import { SECRET_VALUE_IN_OUTPUT } from './secret-values';
import { SINGLE_INSTANCE_IN_PRODUCTION } from './single-instance';
import { NO_SPREAD } from './spread';
import { SYNCHRONOUS_TOO_FEW_INSTANCES } from './synchronous-instances';
import { NO_WAL_ARCHIVING_ALERT } from './wal-archiving-alert';
import { Rule } from '../rule';

/** Every rule of the pack, in id order. */
export const ALL_RULES: readonly Rule[] = [
  BACKUP_WITHOUT_RESTORE_TEST, RESTORE_TEST_NOT_WEEKLY, RETENTION_SHORTER_THAN_RESTORE_TEST, NO_BACKUP_AGE_ALERT,
  NO_WAL_ARCHIVING_ALERT, OVERLAPPING_BACKUP_TYPES, BACKUP_JOBS_MAY_OVERLAP,
  SINGLE_INSTANCE_IN_PRODUCTION, NO_DISRUPTION_BUDGET, DISRUPTION_BUDGET_BLOCKS_DRAINS, NO_SPREAD,
  SYNCHRONOUS_TOO_FEW_INSTANCES, DATABASE_WITHOUT_VOLUME,
  ALERT_WITHOUT_RUNBOOK, CNPG_CLUSTER_NOT_SCRAPED,
  EXPORTER_WITHOUT_NETWORK_POLICY, DATABASE_WITHOUT_NETWORK_POLICY,
  NO_RESOURCES, IMAGE_NOT_PINNED, POD_NOT_RESTRICTED,
  SCHEDULE_IN_DAYLIGHT_SAVING_GAP, SECRET_VALUE_IN_OUTPUT,
];
