import { Chart, Testing } from 'cdk8s';
import { SchemaValidation } from '../../src';
import { schemaErrors } from '../../src/core/schema-errors';

/**
 * Synthesizes a chart the way `cdk8s synth` does (construct validations first) and checks every
 * object: custom resources against our strict CRD schemas, core objects against kubernetes-models.
 * An object of a kind neither knows fails the test, so nothing reaches a snapshot unchecked.
 */
export function synthValidated(chart: Chart): any[] {
  const errors = chart.node
    .findAll()
    .flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed:\n  ${errors.join('\n  ')}`);
  const manifests = Testing.synth(chart);
  for (const manifest of manifests) assertValidObject(manifest);
  return manifests;
}

export function assertValidObject(manifest: any): void {
  const { apiVersion, kind } = manifest;
  if (SchemaValidation.hasSchema(apiVersion, kind)) {
    const errors = schemaErrors(manifest);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return;
  }
  const Model = coreModel(apiVersion, kind);
  // kubernetes-models throws with the JSON pointer and reason on a type or required-field error.
  new Model(manifest).validate();
  const pod = podSpecOf(manifest);
  // A StatefulSet's claim templates are volumes of its pods too.
  const claims = (manifest.kind === 'StatefulSet' ? manifest.spec.volumeClaimTemplates ?? [] : []).map((c: any) => c.metadata.name);
  if (pod) assertPodIsConsistent(`${kind} ${manifest.metadata?.name}`, pod, claims);
}

function podSpecOf(manifest: any): any {
  return manifest.kind === 'Pod' ? manifest.spec
    : manifest.kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template.spec
      : manifest.spec?.template?.spec;
}

/**
 * What the API server rejects but the schemas cannot say: duplicate volume, container or port
 * names, two mounts on one path, and mounts of volumes the pod does not have.
 */
function assertPodIsConsistent(what: string, pod: any, claims: string[] = []): void {
  const unique = (label: string, names: string[]) => {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`${what}: duplicate ${label} "${dup}"`);
  };
  const volumes = [...(pod.volumes ?? []).map((v: any) => v.name), ...claims];
  unique('volume', volumes);
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  unique('container', containers.map((c: any) => c.name));
  for (const c of containers) {
    unique(`mount path in ${c.name}`, (c.volumeMounts ?? []).map((m: any) => m.mountPath));
    unique(`port name in ${c.name}`, (c.ports ?? []).filter((p: any) => p.name).map((p: any) => p.name));
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.includes(m.name)) throw new Error(`${what}: ${c.name} mounts unknown volume "${m.name}"`);
    }
  }
}

function coreModel(apiVersion: string, kind: string): new (data: any) => { validate(): void } {
  const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath)[kind];
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind}: add its CRD to import-crds or use a core kind`);
  }
}
