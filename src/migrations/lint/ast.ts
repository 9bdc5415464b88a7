/**
 * A small view over libpg-query's JSON parse tree. The tree is PostgreSQL's own parse nodes
 * serialised as `{ NodeType: { field: ... } }`; these helpers keep rules free of that wrapping.
 * Internal: the tree is plain JSON, typed loosely on purpose (jsii never sees it).
 */

/** One parse node's fields (the inside of `{ NodeType: fields }`). */
export type Fields = { readonly [field: string]: any };

/** A wrapped node, e.g. `{ IndexStmt: {...} }`. */
export type WrappedNode = { readonly [nodeType: string]: Fields };

/** The node type of a wrapped node (`IndexStmt`), or undefined for anything else. */
export function nodeType(node: unknown): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && /^[A-Z]/.test(keys[0]) ? keys[0] : undefined;
}

/** The fields of a wrapped node of the given type, or undefined when it is another node. */
export function asNode(node: unknown, type: string): Fields | undefined {
  return nodeType(node) === type ? (node as WrappedNode)[type] : undefined;
}

/** The fields of a wrapped node whatever its type. */
export function fieldsOf(node: unknown): Fields {
  const type = nodeType(node);
  return type ? (node as WrappedNode)[type] : {};
}

/** A list of `{ String: { sval } }` nodes as plain strings (qualified names, option lists). */
export function strings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => asNode(item, 'String')?.sval).filter((s): s is string => typeof s === 'string');
}

/** `schema.name` of a RangeVar, lower case as PostgreSQL folds unquoted names. */
export function relationName(rangeVar: Fields | undefined): string {
  if (!rangeVar) return '';
  return rangeVar.schemaname ? `${rangeVar.schemaname}.${rangeVar.relname}` : String(rangeVar.relname ?? '');
}

/** The type name of a TypeName node without the `pg_catalog.` prefix (`int4`, `varchar`, `timestamp`). */
export function typeNameOf(typeName: Fields | undefined): string {
  const names = strings(typeName?.names);
  return names[names.length - 1] ?? '';
}

/** Whether a TypeName carries a length/precision modifier (`varchar(20)`). */
export function hasTypmods(typeName: Fields | undefined): boolean {
  return Array.isArray(typeName?.typmods) && typeName!.typmods.length > 0;
}

/** The option names of a DefElem list (`VACUUM (FULL)`, `REINDEX (CONCURRENTLY)`). */
export function defElemNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => asNode(item, 'DefElem')?.defname).filter((s): s is string => typeof s === 'string');
}

/** Every wrapped node of `type` anywhere under `root` (depth first). */
export function findAll(root: unknown, type: string): Fields[] {
  const found: Fields[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const inner = asNode(value, type);
      if (inner) found.push(inner);
      Object.values(value as object).forEach(visit);
    }
  };
  visit(root);
  return found;
}

/** The constraints of a ColumnDef. */
export function columnConstraints(columnDef: Fields | undefined): Fields[] {
  return (columnDef?.constraints ?? []).map((c: unknown) => asNode(c, 'Constraint')).filter(Boolean);
}
