import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { manifestErrors } from './manifest-checks';
import { SCHEMA_FILES } from '../schemas';

// Validators are compiled ahead of time (by `npx projen import-crds`, Ajv standalone code) and
// loaded on first use of their kind: importing the library compiles and loads none.
const loaded = new Map<string, ValidateFunction>();

/**
 * The schema violations of one manifest, each prefixed with the object's kind and name; empty
 * when valid or when no schema is known for its kind.
 */
export function schemaErrors(manifest: unknown): string[] {
  return manifestErrors(manifest, [schemaMessages]);
}

/** What a field the CRD does not declare is called in errors. */
export const UNKNOWN_FIELD = 'unknown field (not in the CRD schema; the API server would prune it)';

/** The schema messages of one manifest, without the object prefix. */
export function schemaMessages(manifest: any): string[] {
  const validate = validatorFor(schemaKey(manifest?.apiVersion, manifest?.kind));
  if (!validate || validate(manifest)) return [];
  return (validate.errors ?? []).map(explain);
}

/**
 * Paths present in `written` with no counterpart in `emitted`. Generated classes rename a few
 * fields between TypeScript and the wire (endpointUrl/endpointURL, keepFiringFor/keep_firing_for),
 * so keys are matched ignoring case and punctuation.
 */
export function droppedFields(written: any, emitted: any, at: string): string[] {
  if (Array.isArray(written) && Array.isArray(emitted)) {
    return written.flatMap((item, i) => droppedFields(item, emitted[i], `${at}[${i}]`));
  }
  if (!isObject(written) || !isObject(emitted)) return [];
  const byLooseName = new Map(Object.keys(emitted).map((k) => [looseName(k), k]));
  return Object.keys(written).flatMap((key) => {
    if (written[key] === undefined) return [];
    const field = at ? `${at}.${key}` : key;
    const match = byLooseName.get(looseName(key));
    return match === undefined ? [field] : droppedFields(written[key], emitted[match], field);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looseName(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function schemaKey(apiVersion: unknown, kind: unknown): string {
  return `${String(apiVersion)}/${String(kind)}`;
}

function validatorFor(key: string): ValidateFunction | undefined {
  const base = SCHEMA_FILES[key];
  if (!base) return undefined;
  let validate = loaded.get(key);
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(__dirname, '..', 'schemas', `${base}.validate.js`));
    validate = (module.default ?? module) as ValidateFunction;
    loaded.set(key, validate);
  }
  return validate;
}

/** Turns an Ajv error into "spec.postgresql.paramters: unknown field ..." style text. */
function explain(error: ErrorObject): string {
  const at = fieldPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      return `${at ? at + '.' : ''}${field}: ${UNKNOWN_FIELD}`;
    }
    case 'enum':
      return `${at}: must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'required':
      return `${at || '<root>'}: missing required field "${(error.params as { missingProperty: string }).missingProperty}"`;
    default:
      return `${at || '<root>'}: ${error.message ?? error.keyword}`;
  }
}

/** "/spec/containers/0/name" -> "spec.containers[0].name" */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}
