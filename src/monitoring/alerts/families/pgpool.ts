import { Duration } from 'cdk8s';
import type { PgpoolAlertOptions } from '../alert-options';
import { AlertRule, Severity } from '../alert-rule';

/**
 * pgpool-II, from pgpool2_exporter (pgpool itself has no metrics endpoint). `status` is pgpool's
 * view of a node: 0 once the health check or the streaming check has detached it, until
 * auto_failback (or pcp_attach_node) brings it back. The primary is flagged DISALLOW_TO_FAILOVER by
 * PgpoolDeployment, so pgpool never detaches it: a primary down is PostgresInstanceDown's job.
 */
export function pgpoolRules(o: PgpoolAlertOptions): AlertRule[] {
  return [
    {
      name: 'PgpoolBackendDown',
      // When the exporter cannot reach pgpool it reports pgpool2_up 0 and no node series at all.
      expr: 'pgpool2_pool_nodes_status == 0',
      pendingFor: o.backendDownFor ?? Duration.minutes(2),
      severity: Severity.WARNING,
      summary: 'pgpool {{ $labels.instance }} has detached backend {{ $labels.hostname }}:{{ $labels.port }} ({{ $labels.role }})',
      description: 'pgpool sends no queries to this backend: reads go to the remaining standbys (or the primary), which carry its share of the load.',
    },
  ];
}
