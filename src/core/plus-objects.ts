import { IConstruct } from 'constructs';
import { propError } from './errors';

/** The cdk8s-plus major the library is built on; objects of another major cannot be mixed in. */
export const CDK8S_PLUS = 'cdk8s-plus-28';

const RTTI = Symbol.for('jsii.rtti');

/** The jsii type names of `value`'s class and its ancestors, e.g. `cdk8s-plus-28.Deployment`. */
function lineage(value: unknown): string[] {
  const names: string[] = [];
  let proto = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  while (proto && proto !== Object.prototype) {
    const fqn = (proto.constructor as { [RTTI]?: { fqn?: string } } | undefined)?.[RTTI]?.fqn;
    if (fqn) names.push(fqn);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/**
 * Whether `value` is a cdk8s-plus-28 object of `kind` (`Deployment`, `StatefulSet`, `Job`, …), by
 * the jsii type name every cdk8s-plus class carries: unlike `instanceof`, it holds when two copies
 * of cdk8s-plus-28 are installed.
 */
export function isPlusKind(value: unknown, kind: string): boolean {
  return lineage(value).includes(`${CDK8S_PLUS}.${kind}`);
}

/**
 * Throws the library's prop error when `value` comes from another cdk8s-plus major (a fresh
 * `cdk8s init` installs the newest one): its objects look alike but are not interchangeable, and
 * without this check the mix fails later with an unrelated-looking error.
 */
export function checkPlusMajor(scope: IConstruct | string, prop: string, value: unknown): void {
  const foreign = lineage(value).find((fqn) => /^cdk8s-plus-\d+\./.test(fqn) && !fqn.startsWith(`${CDK8S_PLUS}.`));
  if (foreign) {
    throw propError(scope, prop, foreign, `cdk8s-pg-reliability is built on ${CDK8S_PLUS}: create this object with ${CDK8S_PLUS} `
      + `(npm install ${CDK8S_PLUS}@^2.5.6, then import * as kplus from '${CDK8S_PLUS}'); objects of different cdk8s-plus majors cannot be mixed`);
  }
}
