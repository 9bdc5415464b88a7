import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Synth boundaries, so that a validation runs once per synth whatever cdk8s does. cdk8s 2
 * validates the whole app before synthesizing each chart (`Chart.toJson()` →
 * `App._synthChart()` → `validate(app)`), so an app of N charts runs every validation N + 1
 * times, and an app that grows with its charts is quadratic. Nothing can change the app while a
 * synth runs (only Lazy values are produced, and they are deterministic), so within one synth a
 * validation's first answer stands.
 *
 * The entry points are wrapped once, here: `App.synth()`, `App.synthYaml()` and `Chart.toJson()`
 * (which `Testing.synth()` calls). The outermost call opens a synth and closes it on return or
 * throw. Outside any synth (a direct `node.validate()`), validations are computed every time.
 *
 * Within a synth an object renders once: `ApiObject.toJson()` keeps its answer until the synth
 * closes, so the checks that read an object and the output share one rendering.
 */
let depth = 0;
let current: object | undefined;
let rendered = new WeakMap<ApiObject, unknown>();

const WRAPPED = Symbol.for('cdk8s-pg-reliability.synth-scope');

function wrap(prototype: any, method: string): void {
  const original = prototype[method];
  if (typeof original !== 'function' || original[WRAPPED]) return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (depth++ === 0) current = {};
    try {
      return original.apply(this, args);
    } finally {
      if (--depth === 0) {
        current = undefined;
        rendered = new WeakMap();
      }
    }
  };
  (wrapped as any)[WRAPPED] = true;
  prototype[method] = wrapped;
}

/** Renders an object once per synth; outside a synth, on every call. */
function renderOnce(prototype: any): void {
  const original = prototype.toJson;
  if (original[WRAPPED]) return;
  const wrapped = function (this: ApiObject) {
    if (current === undefined) return original.call(this);
    if (!rendered.has(this)) rendered.set(this, original.call(this));
    return rendered.get(this);
  };
  (wrapped as any)[WRAPPED] = true;
  prototype.toJson = wrapped;
}

wrap(App.prototype, 'synth');
wrap(App.prototype, 'synthYaml');
wrap(Chart.prototype, 'toJson');
renderOnce(ApiObject.prototype);

/** A token for the synth in progress (a new object for each), or undefined outside one. */
export function currentSynth(): object | undefined {
  return current;
}

/**
 * `compute`, answered once per synth: the first call in a synth computes, later calls in the
 * same synth return that answer; outside a synth every call computes.
 */
export function oncePerSynth<T>(compute: () => T): () => T {
  let memo: { readonly synth: object; readonly value: T } | undefined;
  return () => {
    const synth = current;
    if (synth === undefined) return compute();
    if (memo?.synth !== synth) memo = { synth, value: compute() };
    return memo.value;
  };
}

/** `node.addValidation()` whose check runs once per synth (see `oncePerSynth`). */
export function addSynthValidation(scope: IConstruct, validate: () => string[]): void {
  scope.node.addValidation({ validate: oncePerSynth(validate) });
}
