import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SchemaValidation } from './schema-validation';
import { PodMonitor, PodMonitorSpecPodMetricsEndpoints, PodMonitorSpecPodMetricsEndpointsRelabelingsAction } from '../imports/monitoring.coreos.com';

/** What differs between the PodMonitors the library creates. */
export interface PodMonitorRecipe {
  /** Labels of the pods to scrape. */
  readonly matchLabels: Record<string, string>;
  /** The named container port that serves metrics. */
  readonly port: string;
  /** @default - the scraper's default, "/metrics" */
  readonly path?: string;
  /** @default - Prometheus' global scrape interval */
  readonly interval?: string;
  /** A `cluster` label on every series, for alerts that name the cluster. @default - none */
  readonly clusterLabel?: string;
}

/**
 * The one way the library builds a prometheus-operator PodMonitor: the generated L1 class (so the
 * spec is typed), validated at synth against the CRD schema like every custom resource.
 */
export function addPodMonitor(scope: Construct, id: string, recipe: PodMonitorRecipe): ApiObject {
  const endpoint: PodMonitorSpecPodMetricsEndpoints = {
    port: recipe.port,
    ...(recipe.path ? { path: recipe.path } : {}),
    ...(recipe.interval ? { interval: recipe.interval } : {}),
    ...(recipe.clusterLabel !== undefined
      ? { relabelings: [{ action: PodMonitorSpecPodMetricsEndpointsRelabelingsAction.REPLACE, targetLabel: 'cluster', replacement: recipe.clusterLabel }] }
      : {}),
  };
  const monitor = new PodMonitor(scope, id, {
    metadata: {},
    spec: { selector: { matchLabels: recipe.matchLabels }, podMetricsEndpoints: [endpoint] },
  });
  SchemaValidation.addTo(monitor);
  return monitor;
}
