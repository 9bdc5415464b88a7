import * as YAML from 'yaml';
import { PostgresAlerts } from '../../src';

/** The rule groups of a catalog, read back from its Prometheus rule file. */
export function ruleGroupsOf(alerts: PostgresAlerts): any[] {
  return YAML.parse(alerts.ruleFile()).groups;
}
