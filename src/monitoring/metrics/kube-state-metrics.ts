/**
 * The kube-state-metrics series of CronJobs and Jobs (the only objects the catalog watches), from
 * its documentation: docs/metrics/workload/cronjob-metrics.md at commit 112ec602 and
 * job-metrics.md at commit 076987a5.
 */
export const KUBE_STATE_METRICS: readonly string[] = [
  'kube_cronjob_annotations',
  'kube_cronjob_created',
  'kube_cronjob_info',
  'kube_cronjob_labels',
  'kube_cronjob_metadata_resource_version',
  'kube_cronjob_next_schedule_time',
  'kube_cronjob_spec_failed_job_history_limit',
  'kube_cronjob_spec_starting_deadline_seconds',
  'kube_cronjob_spec_successful_job_history_limit',
  'kube_cronjob_spec_suspend',
  'kube_cronjob_status_active',
  'kube_cronjob_status_last_schedule_time',
  'kube_cronjob_status_last_successful_time',
  'kube_job_annotations',
  'kube_job_complete',
  'kube_job_created',
  'kube_job_failed',
  'kube_job_info',
  'kube_job_labels',
  'kube_job_owner',
  'kube_job_spec_active_deadline_seconds',
  'kube_job_spec_completions',
  'kube_job_spec_parallelism',
  'kube_job_status_active',
  'kube_job_status_completion_time',
  'kube_job_status_failed',
  'kube_job_status_start_time',
  'kube_job_status_succeeded',
  'kube_job_status_suspended',
];
