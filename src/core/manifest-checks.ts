import { ApiObject } from 'cdk8s';
import { addSynthValidation, renderedForChecks } from './synth-scope';

/**
 * A check of one synthesized manifest (after JSON patches): one message per problem, each naming
 * the field path; the object's kind and name are prefixed by the caller. Empty when valid.
 */
export type ManifestCheck = (manifest: any) => string[];

/** Most messages a single object reports before the rest are summarized. */
const MAX_REPORTED = 10;

const checksOf = new WeakMap<ApiObject, ManifestCheck[]>();

/**
 * Adds checks that read what `apiObject` emits to its synth-time validation. All checks of an
 * object run in one pass on one rendering of it, so a new check costs one call per object and
 * synth, however many charts the app has.
 */
export function addManifestChecks(apiObject: ApiObject, ...checks: ManifestCheck[]): void {
  let registered = checksOf.get(apiObject);
  if (!registered) {
    const all: ManifestCheck[] = [];
    checksOf.set(apiObject, all);
    registered = all;
    addSynthValidation(apiObject, () => manifestErrors(renderedForChecks(apiObject), all));
  }
  registered.push(...checks);
}

/** The messages of `checks` on `manifest`, each prefixed with the object's kind and name, capped. */
export function manifestErrors(manifest: any, checks: readonly ManifestCheck[]): string[] {
  const unique = [...new Set(checks.flatMap((check) => check(manifest)))];
  const name = `${manifest?.kind} "${manifest?.metadata?.name ?? '<unnamed>'}"`;
  const shown = unique.slice(0, MAX_REPORTED).map((m) => `${name} ${m}`);
  if (unique.length > MAX_REPORTED) shown.push(`${name}: ${unique.length - MAX_REPORTED} more errors`);
  return shown;
}
