/**
 * The run-time half of the CRDs' CEL rules: scripts/cel-to-js.ts compiles each rule into a
 * JavaScript function (src/schemas/cel-rules.validate.js) that calls these helpers, so a synth
 * loads no CEL library.
 *
 * Values are the ones src/core/cel-validation.ts binds: boolean, bigint (int), CelUint, number
 * (double), string, null, arrays (lists) and Maps. An error is a CelError *value*, never a
 * throw: `&&`, `||`, `?:` and the macros must be able to absorb it as CEL does. Where CEL
 * implementations differ, @bufbuild/cel's behaviour is kept: it is the reference the tests
 * compare the compiled rules with.
 */

export class CelError {
  public constructor(public readonly message: string) {}
}

export class CelUint {
  public constructor(public readonly value: bigint) {}
}

const MIN_INT = -(2n ** 63n);
const MAX_INT = 2n ** 63n - 1n;
const MAX_UINT = 2n ** 64n - 1n;

function typeName(value: unknown): string {
  switch (typeof value) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'double';
    case 'string': return 'string';
  }
  if (value === null) return 'null_type';
  if (value instanceof CelUint) return 'uint';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map) return 'map';
  return 'unknown';
}

function noOverload(name: string, ...args: unknown[]): CelError {
  return new CelError(`found no matching overload for '${name}' applied to '(${args.map(typeName).join(', ')})'`);
}

/** A call's arguments are evaluated strictly: the first error among them is the result. */
function call(name: string, args: unknown[], impl: (...args: any[]) => unknown): unknown {
  for (const arg of args) if (arg instanceof CelError) return arg;
  const result = impl(...args);
  return result === undefined ? noOverload(name, ...args) : result;
}

// CEL's logic is commutative over errors: `false && error` and `error && false` are both false.
function logic(name: string, decisive: boolean, left: unknown, right: () => unknown): unknown {
  if (left === decisive) return decisive;
  const other = right();
  if (other === decisive) return decisive;
  for (const side of [left, other]) {
    if (side instanceof CelError) return side;
    if (typeof side !== 'boolean') return new CelError(`${name}: type mismatch: expected bool, got ${typeName(side)}`);
  }
  return !decisive;
}

export const and = (left: unknown, right: () => unknown) => logic('_&&_', false, left, right);
export const or = (left: unknown, right: () => unknown) => logic('_||_', true, left, right);
export const not = (value: unknown) => call('!_', [value], (x) => (typeof x === 'boolean' ? !x : undefined));
/** The loop condition of the exists/all macros: an error keeps the loop going. */
export const notStrictlyFalse = (value: unknown) => value !== false;

export function cond(condition: unknown, then: () => unknown, otherwise: () => unknown): unknown {
  if (condition === true) return then();
  if (condition === false) return otherwise();
  return condition instanceof CelError ? condition : noOverload('_?_:_', condition);
}

/** Numbers compare across int, uint and double; other values only within their type. */
function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const [x, y] = [a instanceof CelUint ? a.value : a, b instanceof CelUint ? b.value : b];
  if (isNumber(x) && isNumber(y)) return x == y;
  if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((item, i) => equals(item, y[i]));
  if (x instanceof Map) {
    return y instanceof Map && x.size === y.size && [...x].every(([key, value]) => y.has(key) && equals(value, y.get(key)));
  }
  return false;
}

function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

export const eq = (a: unknown, b: unknown) => call('_==_', [a, b], equals);
export const ne = (a: unknown, b: unknown) => call('_!=_', [a, b], (x, y) => !equals(x, y));

/** Orders bools, strings and numbers (int and uint as bigints, against a double as doubles). */
function order(name: string, test: (x: any, y: any) => boolean) {
  return (a: unknown, b: unknown) => call(name, [a, b], (x, y) => {
    if (typeof x === typeof y && (typeof x === 'boolean' || typeof x === 'string')) return test(x, y);
    const [l, r] = [x instanceof CelUint ? x.value : x, y instanceof CelUint ? y.value : y];
    if (!isNumber(l) || !isNumber(r)) return undefined;
    return typeof l === 'number' || typeof r === 'number' ? test(Number(l), Number(r)) : test(l, r);
  });
}

export const lt = order('_<_', (x, y) => x < y);
export const le = order('_<=_', (x, y) => x <= y);
export const gt = order('_>_', (x, y) => x > y);
export const ge = order('_>=_', (x, y) => x >= y);

function checkInt(value: bigint, op: string): bigint | CelError {
  return value >= MIN_INT && value <= MAX_INT ? value : new CelError(`int overflow during ${op}`);
}

function checkUint(value: bigint, op: string): CelUint | CelError {
  return value >= 0n && value <= MAX_UINT ? new CelUint(value) : new CelError(`uint overflow during ${op}`);
}

/** Arithmetic within one numeric type (CEL does not mix them); `doubles` undefined: no overload. */
function arithmetic(name: string, ints: (x: bigint, y: bigint) => bigint | CelError, doubles?: (x: number, y: number) => number) {
  return (a: unknown, b: unknown, more?: (x: unknown, y: unknown) => unknown) => call(name, [a, b], (x, y) => {
    const result = (l: bigint, r: bigint) => (r === 0n && (name === '_/_' || name === '_%_') ? new CelError(`${name}: division by zero`) : ints(l, r));
    if (typeof x === 'bigint' && typeof y === 'bigint') {
      const value = result(x, y);
      return value instanceof CelError ? value : checkInt(value, name);
    }
    if (x instanceof CelUint && y instanceof CelUint) {
      const value = result(x.value, y.value);
      return value instanceof CelError ? value : checkUint(value, name);
    }
    if (typeof x === 'number' && typeof y === 'number') return doubles?.(x, y);
    return more?.(x, y);
  });
}

const plus = arithmetic('_+_', (x, y) => x + y, (x, y) => x + y);
export const add = (a: unknown, b: unknown) => plus(a, b, (x, y) => {
  if (typeof x === 'string' && typeof y === 'string') return x + y;
  if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
  return undefined;
});
export const sub = arithmetic('_-_', (x, y) => x - y, (x, y) => x - y);
export const mul = arithmetic('_*_', (x, y) => x * y, (x, y) => x * y);
export const div = arithmetic('_/_', (x, y) => x / y, (x, y) => x / y);
export const mod = arithmetic('_%_', (x, y) => x % y);
export const neg = (value: unknown) => call('-_', [value], (x) => {
  if (typeof x === 'bigint') return checkInt(-x, '-_');
  return typeof x === 'number' ? -x : undefined;
});

/** Strings count code points, as CEL does. */
export const size = (value: unknown) => call('size', [value], (x) => {
  if (typeof x === 'string') return BigInt([...x].length);
  if (Array.isArray(x)) return BigInt(x.length);
  return x instanceof Map ? BigInt(x.size) : undefined;
});

export const inside = (value: unknown, collection: unknown) => call('@in', [value, collection], (x, c) => {
  if (Array.isArray(c)) return c.some((item) => equals(item, x));
  if (!(c instanceof Map)) return undefined;
  // Bound maps have string keys only: a key of another type is absent, a list or map no key at all.
  if (['string', 'number', 'bigint', 'boolean'].includes(typeof x) || x instanceof CelUint) return c.has(x);
  return undefined;
});

function stringMethod(name: string, test: (target: string, arg: string) => boolean) {
  return (target: unknown, arg: unknown) => call(name, [target, arg], (t, a) => (typeof t === 'string' && typeof a === 'string' ? test(t, a) : undefined));
}

export const startsWith = stringMethod('startsWith', (t, a) => t.startsWith(a));
export const endsWith = stringMethod('endsWith', (t, a) => t.endsWith(a));
export const contains = stringMethod('contains', (t, a) => t.includes(a));
/** `pattern` was translated from RE2 at generation and checked to mean the same in JavaScript. */
export const matches = (target: unknown, pattern: RegExp) => call('matches', [target], (t) => (typeof t === 'string' ? pattern.test(t) : undefined));

/** `object.field`: an absent field is an error (Kubernetes: "no such key"). */
export function select(object: unknown, field: string): unknown {
  if (object instanceof CelError) return object;
  if (object instanceof Map && object.has(field)) return object.get(field);
  return new CelError(`no such key: ${field}`);
}

/** `has(object.field)`; on a value that is not a map @bufbuild/cel answers false. */
export function has(object: unknown, field: string): unknown {
  if (object instanceof CelError) return object;
  return object instanceof Map && object.has(field);
}

export const index = (object: unknown, key: unknown) => call('_[_]', [object, key], (o, k) => {
  if (o instanceof Map) return o.has(k) ? o.get(k) : new CelError(`no such key: ${String(k)}`);
  if (!Array.isArray(o)) return undefined;
  const i = k instanceof CelUint ? Number(k.value) : isNumber(k) ? Number(k) : NaN;
  return Number.isInteger(i) && i >= 0 && i < o.length ? o[i] : new CelError(`index ${String(k)} out of bounds [0, ${o.length})`);
});

/** A list literal: the first erring element is the result. */
export const list = (items: unknown[]) => call('list', items, (...values) => values);

// Conversions, as @bufbuild/cel does them (strings parsed by BigInt and Number).
export const toInt = (value: unknown) => call('int', [value], (x) => {
  if (typeof x === 'bigint') return x;
  if (x instanceof CelUint) return checkInt(x.value, 'int');
  if (typeof x === 'number') {
    return Number.isFinite(x) && x > Number(MIN_INT) && x < Number(MAX_INT) ? BigInt(Math.trunc(x)) : new CelError('int overflow during int');
  }
  return typeof x === 'string' ? parseBigInt(x, (n) => checkInt(n, 'int')) : undefined;
});

export const toUint = (value: unknown) => call('uint', [value], (x) => {
  if (x instanceof CelUint) return x;
  if (typeof x === 'bigint') return checkUint(x, 'uint');
  if (typeof x === 'number') return Number.isFinite(x) && x >= 0 ? checkUint(BigInt(Math.trunc(x)), 'uint') : new CelError('uint overflow during uint');
  return typeof x === 'string' ? parseBigInt(x, (n) => checkUint(n, 'uint')) : undefined;
});

function parseBigInt(text: string, check: (n: bigint) => unknown): unknown {
  try {
    return check(BigInt(text));
  } catch {
    return new CelError(`cannot convert ${JSON.stringify(text)} to a number`);
  }
}

export const toDouble = (value: unknown) => call('double', [value], (x) => {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint' || typeof x === 'string') return Number(x);
  return x instanceof CelUint ? Number(x.value) : undefined;
});

export const toStringValue = (value: unknown) => call('string', [value], (x) => {
  if (typeof x === 'string') return x;
  if (['boolean', 'bigint', 'number'].includes(typeof x)) return String(x);
  return x instanceof CelUint ? String(x.value) : undefined;
});

/**
 * A comprehension, which every CEL macro (all, exists, exists_one, map, filter) expands to:
 * the loop runs while `condition` holds, `step` folds each item (a list's elements, a map's
 * keys) into the accumulator, `result` reads it.
 */
export function fold(
  range: unknown,
  init: unknown,
  condition: (accu: unknown, item: unknown) => unknown,
  step: (accu: unknown, item: unknown) => unknown,
  result: (accu: unknown) => unknown,
): unknown {
  if (init instanceof CelError) return init;
  if (range instanceof CelError) return range;
  let items: unknown[];
  if (Array.isArray(range)) items = range;
  else if (range instanceof Map) items = [...range.keys()];
  else return new CelError(`type mismatch: iterable vs ${typeName(range)}`);
  let accu = init;
  for (const item of items) {
    const proceed = condition(accu, item);
    if (proceed instanceof CelError) return proceed;
    if (proceed !== true) break;
    accu = step(accu, item);
  }
  return result(accu);
}
