import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Puts generated files (scripts, manifests) into a ConfigMap and returns the read-only mount of
 * it at `directory`, for a job container to run them from.
 */
export function scriptFiles(scope: Construct, directory: string, files: Record<string, string>): kplus.VolumeMount {
  const configMap = new kplus.ConfigMap(scope, 'Script', { data: files });
  return { path: directory, volume: kplus.Volume.fromConfigMap(scope, 'ScriptVolume', configMap, { name: 'script' }), readOnly: true };
}
