import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { libraryCronJobs, registerJob } from '../../src/core/job-registry';
import { addManifestChecks } from '../../src/core/manifest-checks';
import { addSynthValidation, currentSynth } from '../../src/core/synth-scope';
import { checkUniqueNames } from '../../src/core/unique-names';

/** An app of `charts` charts, each with one ConfigMap whose manifest check counts its runs. */
function countingApp(charts: number) {
  const app = Testing.app();
  const runs = { manifest: 0, validation: 0 };
  const objects: ApiObject[] = [];
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `c${i}`);
    const object = new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}` }, data: { a: '1' } });
    addManifestChecks(object, (manifest) => {
      runs.manifest++;
      return manifest.data?.a === '1' ? [] : [`data.a: got ${JSON.stringify(manifest.data?.a)}; expected "1"`];
    });
    addSynthValidation(chart, () => {
      runs.validation++;
      return [];
    });
    objects.push(object);
  }
  return { app, runs, objects };
}

describe('validations run once per synth (issue 12)', () => {
  test('GIVEN 20 charts with counted checks WHEN the app is synthesized in each way THEN each check runs once per object and synth', () => {
    // GIVEN 20 charts, each with one checked ConfigMap and one chart validation (cdk8s validates the whole app before each chart)
    const { app, runs } = countingApp(20);
    // WHEN synthesized to YAML THEN each check ran once; without the synth scope: 21 validation passes (one for the app, one per chart) × 20 objects
    app.synthYaml();
    expect(runs).toEqual({ manifest: 20, validation: 20 });
    // WHEN synthesized to files THEN each manifest check ran once more
    app.synth();
    expect(runs.manifest).toBe(40);
    // WHEN one chart is synthesized by Testing.synth THEN each of the 20 manifest checks ran once more (cdk8s validates the whole app)
    Testing.synth(app.node.findChild('c3') as Chart);
    expect(runs.manifest).toBe(60);
  });

  test('GIVEN an app that synthesizes WHEN an object changes between two synths of one synchronous run THEN the second synth sees the change', () => {
    // GIVEN three charts whose checks pass
    const { app, objects } = countingApp(3);
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN a patch breaks one object THEN the next synth fails on it
    objects[1].addJsonPatch(JsonPatch.replace('/data/a', '2'));
    expect(() => app.synthYaml()).toThrow('[c1/Settings] ConfigMap "settings-1" data.a: got "2"; expected "1"');
    // WHEN another patch repairs it THEN the next synth passes again
    objects[1].addJsonPatch(JsonPatch.replace('/data/a', '1'));
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('GIVEN no synth running WHEN node.validate() runs twice, then a synth fails THEN each validate computes and the failed synth closes its scope', () => {
    // GIVEN two charts with counted checks, no synth running
    const { app, runs, objects } = countingApp(2);
    // WHEN node.validate() is called twice THEN the check runs twice
    objects[0].node.validate();
    objects[0].node.validate();
    expect(runs.manifest).toBe(2);
    // WHEN a synth fails on a broken object THEN no synth scope is left open
    objects[0].addJsonPatch(JsonPatch.replace('/data/a', 'x'));
    expect(() => app.synthYaml()).toThrow(/data.a: got "x"/);
    expect(currentSynth()).toBeUndefined();
  });
});

describe('an app-wide synth prepares and validates the app once (issue 12)', () => {
  test('GIVEN 20 charts and a plain app validation WHEN App.synthYaml() and App.synth() run THEN it runs once per synth, not once per chart', () => {
    // GIVEN 20 charts and a plain validation on the app that counts its runs
    const app = Testing.app();
    let runs = 0;
    for (let i = 0; i < 20; i++) new ApiObject(new Chart(app, `c${i}`), 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `s${i}` } });
    app.node.addValidation({ validate: () => [`${++runs}`].filter(() => false) });
    // WHEN synthesized to YAML THEN it ran once
    app.synthYaml();
    expect(runs).toBe(1);
    // WHEN synthesized to files THEN it ran once more
    app.synth();
    expect(runs).toBe(2);
  });

  test('GIVEN charts and objects with dependencies WHEN the app is synthesized THEN the output is what cdk8s renders chart by chart: same objects, same order, dependencies first', () => {
    // GIVEN a chart depending on another, and an object depending on another
    const app = Testing.app();
    const later = new Chart(app, 'later');
    const earlier = new Chart(app, 'earlier');
    later.addDependency(earlier);
    const configMap = (chart: Chart, id: string) => new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });
    const [a, b, c] = [configMap(later, 'A'), configMap(later, 'B'), configMap(earlier, 'C')];
    a.addDependency(b);
    void c;
    // WHEN rendered chart by chart the way cdk8s does THEN dependencies come first
    const chartByChart = app.charts.flatMap((chart) => chart.toJson());
    expect(chartByChart.map((m: any) => m.metadata.name)).toEqual(['c', 'b', 'a']);
    // WHEN the app is synthesized to YAML THEN it is that same output
    expect(app.synthYaml()).toEqual(Yaml.stringify(...chartByChart));
  });
});

describe('what the synth scope must not change (review of issue 12)', () => {
  const configMap = (chart: Chart, id: string, data: any = { x: '1' }) =>
    new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() }, data });

  test('GIVEN a Lazy value that changes what toJson() returned WHEN synthesized THEN the output is unchanged', () => {
    // GIVEN a checked ConfigMap A, and a ConfigMap B whose Lazy data changes A's toJson() result
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const a = configMap(chart, 'A');
    addManifestChecks(a, () => []);
    checkUniqueNames(a);
    configMap(chart, 'B', Lazy.any({
      produce: () => {
        const json = a.toJson();
        json.data.y = 'leak';
        return json.data;
      },
    }));
    // WHEN synthesized
    const a1 = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).find((m: any) => m.metadata.name === 'a');
    // THEN A is written as it was built
    expect(a1.data).toEqual({ x: '1' });
  });

  test('GIVEN a validation that changes an object WHEN synthesized THEN the change is in the output', () => {
    // GIVEN a checked ConfigMap and a validation that labels it
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const a = configMap(chart, 'A');
    addManifestChecks(a, () => []);
    checkUniqueNames(a);
    new Construct(chart, 'Z').node.addValidation({ validate: () => { a.metadata.addLabel('team', 'db'); return []; } });
    // WHEN synthesized THEN the label is written
    expect(app.synthYaml()).toContain('team: db');
  });

  test('GIVEN a chart whose Lazy value embeds another chart of the app WHEN it is synthesized on its own THEN it synthesizes (no endless re-validation)', () => {
    // GIVEN chart b with a checked ConfigMap, and chart a with a ConfigMap whose data is b's YAML
    const app = Testing.app();
    const b = new Chart(app, 'b');
    checkUniqueNames(configMap(b, 'Inner'));
    const a = new Chart(app, 'a');
    configMap(a, 'Bundle', { 'b.yaml': Lazy.any({ produce: () => Yaml.stringify(...b.toJson()) }) });
    // WHEN chart a is synthesized on its own
    const [bundle] = Testing.synth(a);
    // THEN it holds b's objects
    expect(bundle.data['b.yaml']).toContain('name: inner');
  });

  test.each([
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
  ])('GIVEN nested charts and a dependency WHEN App.synth() writes with %s THEN it writes what cdk8s writes chart by chart', (_name, yamlOutputType) => {
    // GIVEN an app writing with this output type, a nested chart and an object depending on another
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-scope-'));
    const app = new App({ outdir, yamlOutputType });
    const parent = new Chart(app, 'parent');
    const child = new Chart(parent, 'child');
    const [a, b] = [configMap(parent, 'A'), configMap(child, 'B')];
    a.addDependency(b);
    checkUniqueNames(a);
    const expected = app.charts.flatMap((chart) => chart.toJson());
    // WHEN synthesized to files
    app.synth();
    // THEN the files hold the objects cdk8s renders chart by chart
    const written = walk(outdir).sort().flatMap((file) => Yaml.load(file));
    expect(sortByName(written)).toEqual(sortByName(expected));
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function sortByName(manifests: any[]): any[] {
  return [...manifests].sort((x, y) => String(x.metadata.name).localeCompare(String(y.metadata.name)));
}

test('GIVEN a library CronJob listed by a Lazy value WHEN a JSON patch renames it between two synths THEN the second lists it by its new name', () => {
  // GIVEN a registered library CronJob "old" and a ConfigMap listing the library's CronJobs
  const chart = new Chart(Testing.app(), 'c');
  const holder = new Construct(chart, 'Dump');
  const cronJob = new ApiObject(holder, 'Resource', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'old' } });
  registerJob(holder, 'dump');
  new ApiObject(chart, 'Names', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'names' },
    data: Lazy.any({ produce: () => ({ jobs: libraryCronJobs(chart).map((job) => job.name).join(',') }) }),
  });
  const jobs = () => Testing.synth(chart).find((m) => m.kind === 'ConfigMap').data.jobs;
  expect(jobs()).toBe('old');
  // WHEN a JSON patch renames the CronJob
  cronJob.addJsonPatch(JsonPatch.replace('/metadata/name', 'new'));
  // THEN the next synth selects it by its new name
  expect(jobs()).toBe('new');
});
