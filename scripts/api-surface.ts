import { readFileSync } from 'fs';
import { join } from 'path';

/** What the jsii assembly says about the public API, for the API surface test and `npm run api`. */
export interface ApiSurface {
  /** Public members (types, properties, methods, enum members), as `Type.member`. */
  readonly members: string[];
  /** Members without a doc summary. */
  readonly undocumented: string[];
  /** Members whose type (or a parameter's, or the return type) is `any`. */
  readonly typedAny: string[];
  /** Runtime exports of the package that the assembly does not know (TypeScript-only). */
  readonly typescriptOnly: string[];
}

type TypeRef = { primitive?: string; collection?: { elementtype: TypeRef }; union?: { types: TypeRef[] } };
interface Docs { summary?: string }
interface Member { name: string; docs?: Docs; type?: TypeRef; returns?: { type: TypeRef }; parameters?: Array<{ name: string; type: TypeRef }> }
interface JsiiType { name: string; kind: string; docs?: Docs; properties?: Member[]; methods?: Member[]; members?: Member[]; initializer?: Member }

function isAny(ref: TypeRef | undefined): boolean {
  if (!ref) return false;
  if (ref.primitive === 'any') return true;
  if (ref.collection) return isAny(ref.collection.elementtype);
  return ref.union?.types.some(isAny) ?? false;
}

/** Reads `.jsii` (written by the jsii compile) and the compiled package in `lib/`. */
export function apiSurface(root: string): ApiSurface {
  const assembly = JSON.parse(readFileSync(join(root, '.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
  const members: string[] = [];
  const undocumented: string[] = [];
  const typedAny: string[] = [];
  for (const type of Object.values(assembly.types)) {
    members.push(type.name);
    if (!type.docs?.summary) undocumented.push(type.name);
    const own = [...(type.properties ?? []), ...(type.methods ?? []), ...(type.members ?? [])];
    for (const member of own) {
      const name = `${type.name}.${member.name}`;
      members.push(name);
      if (!member.docs?.summary) undocumented.push(name);
      if (isAny(member.type) || isAny(member.returns?.type) || member.parameters?.some((p) => isAny(p.type))) typedAny.push(name);
    }
    if (type.initializer?.parameters?.some((p) => isAny(p.type))) typedAny.push(`${type.name}.constructor`);
  }
  const known = new Set(Object.values(assembly.types).map((t) => t.name));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = Object.keys(require(join(root, 'lib', 'index.js')));
  const typescriptOnly = runtime.filter((name) => !known.has(name)).sort();
  return { members, undocumented, typedAny, typescriptOnly };
}

if (require.main === module) {
  const surface = apiSurface(join(__dirname, '..'));
  console.log(`public members: ${surface.members.length}`);
  console.log(`without a doc summary: ${surface.undocumented.length}${surface.undocumented.length ? `\n  ${surface.undocumented.join('\n  ')}` : ''}`);
  console.log(`typed any: ${surface.typedAny.length}${surface.typedAny.length ? `\n  ${surface.typedAny.join('\n  ')}` : ''}`);
  console.log(`TypeScript-only exports: ${surface.typescriptOnly.length}${surface.typescriptOnly.length ? `\n  ${surface.typescriptOnly.join('\n  ')}` : ''}`);
}
