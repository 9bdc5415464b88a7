import { Chart, Testing } from 'cdk8s';
import { SchemaValidation } from '../../src';

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
    const errors = SchemaValidation.errorsOf(manifest);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return;
  }
  const Model = coreModel(apiVersion, kind);
  // kubernetes-models throws with the JSON pointer and reason on a type or required-field error.
  new Model(manifest).validate();
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
