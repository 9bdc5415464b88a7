import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Synth boundaries, so that synth stays linear in the size of the app whatever cdk8s does.
 *
 * cdk8s 2 prepares and validates the whole app before synthesizing each chart
 * (`Chart.toJson()` → `App._synthChart()` → `resolveDependencies(app)` + `validate(app)`): an app
 * of N charts walks the app and runs every validation N + 1 times, which is quadratic when the
 * app grows by charts. Within one synth:
 * - a validation's first answer stands (`addSynthValidation`, `oncePerSynth`);
 * - the checks share one rendering of each object they read (`renderedForChecks`); what is
 *   written out is rendered afresh by cdk8s, so a check never hands its copy to anyone else;
 * - inside `App.synth()` / `App.synthYaml()`, which prepare and validate the app before any
 *   chart, a chart only renders its objects (what `_synthChart` does after its own repeat of
 *   that work, in cdk8s' order).
 * A validation that changes the app (cdk8s has no aspects) still changes the output, but the
 * library's checks may have read the object before it: keep such changes out of validations.
 *
 * The entry points are wrapped once, here: `App.synth()`, `App.synthYaml()` and `Chart.toJson()`
 * (which `Testing.synth()` calls). The outermost call opens a synth and closes it on return or
 * throw. Outside any synth (a direct `node.validate()`), everything is computed every time. With
 * two copies of cdk8s or of this library in one program, the copy not wrapped is only slower.
 */
let depth = 0;
let current: object | undefined;
/** The app whose `synth()`/`synthYaml()` runs, once it has prepared and validated itself. */
let appInSynth: App | undefined;
let rendered = new WeakMap<ApiObject, any>();

const WRAPPED = Symbol.for('cdk8s-pg-reliability.synth-scope');

function replace(target: any, method: string, make: (original: Function) => Function): void {
  const original = target[method];
  if (typeof original !== 'function' || original[WRAPPED]) return;
  const wrapped = make(original);
  (wrapped as any)[WRAPPED] = true;
  target[method] = wrapped;
}

/** Opens a synth on the outermost call of `method`; `appWide`: the method prepares and validates the whole app. */
function openSynthOn(target: any, method: string, appWide: boolean): void {
  replace(target, method, (original) => function (this: any, ...args: unknown[]) {
    const outermost = depth++ === 0;
    if (outermost) {
      current = {};
      if (appWide) appInSynth = this;
    }
    try {
      return original.apply(this, args);
    } finally {
      if (--depth === 0) {
        current = undefined;
        appInSynth = undefined;
        rendered = new WeakMap();
      }
    }
  });
}

openSynthOn(App.prototype, 'synth', true);
openSynthOn(App.prototype, 'synthYaml', true);
openSynthOn(Chart.prototype, 'toJson', false);

// Within an app-wide synth the app is prepared and validated before the first chart renders;
// `_synthChart` would repeat both for every chart. Its last step is kept as cdk8s writes it: the
// chart's own ApiObjects in dependency order. (An internal cdk8s method: if a cdk8s version
// lacks it, nothing is replaced and synth is only slower.)
replace(App, '_synthChart', (original) => function (this: unknown, chart: Chart) {
  if (appInSynth === undefined || App.of(chart) !== appInSynth) return original.call(this, chart);
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    .map((o) => o.toJson());
});

/** A token for the synth in progress (a new object for each), or undefined outside one. */
export function currentSynth(): object | undefined {
  return current;
}

/**
 * `apiObject.toJson()` for the library's checks: rendered once per synth and shared by every
 * check that reads the object. Checks must not change it.
 */
export function renderedForChecks(apiObject: ApiObject): any {
  if (current === undefined) return apiObject.toJson();
  if (!rendered.has(apiObject)) rendered.set(apiObject, apiObject.toJson());
  return rendered.get(apiObject);
}

/**
 * `compute`, answered once per synth: the first call in a synth computes, later calls in the
 * same synth return that answer (kept until the next synth); outside a synth every call computes.
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

/**
 * `node.addValidation()` whose check runs once per synth (see `oncePerSynth`). A check that
 * leads, through a Lazy value, to another validation of the app (a chart that embeds another
 * chart's YAML) answers nothing to that inner validation instead of starting over without end.
 */
export function addSynthValidation(scope: IConstruct, validate: () => string[]): void {
  let running = false;
  const once = oncePerSynth(() => {
    running = true;
    try {
      return validate();
    } finally {
      running = false;
    }
  });
  scope.node.addValidation({ validate: () => (running ? [] : once()) });
}
