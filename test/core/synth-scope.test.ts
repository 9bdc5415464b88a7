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
  test('cdk8s validates the whole app before each chart; each check still runs once per object and synth', () => {
    const { app, runs } = countingApp(20);
    app.synthYaml();
    // Without the synth scope: 21 validation passes (one for the app, one per chart) × 20 objects.
    expect(runs).toEqual({ manifest: 20, validation: 20 });
    app.synth();
    expect(runs.manifest).toBe(40);
    Testing.synth(app.node.findChild('c3') as Chart);
    expect(runs.manifest).toBe(60);
  });

  test('a change between two synths in the same synchronous run is seen by the second', () => {
    const { app, objects } = countingApp(3);
    expect(() => app.synthYaml()).not.toThrow();
    objects[1].addJsonPatch(JsonPatch.replace('/data/a', '2'));
    expect(() => app.synthYaml()).toThrow('[c1/Settings] ConfigMap "settings-1" data.a: got "2"; expected "1"');
    objects[1].addJsonPatch(JsonPatch.replace('/data/a', '1'));
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('outside a synth, node.validate() computes every time; a failed synth closes its scope', () => {
    const { app, runs, objects } = countingApp(2);
    objects[0].node.validate();
    objects[0].node.validate();
    expect(runs.manifest).toBe(2);
    objects[0].addJsonPatch(JsonPatch.replace('/data/a', 'x'));
    expect(() => app.synthYaml()).toThrow(/data.a: got "x"/);
    expect(currentSynth()).toBeUndefined();
  });
});

describe('an app-wide synth prepares and validates the app once (issue 12)', () => {
  test('a plain validation runs once per App.synthYaml()/App.synth(), not once per chart', () => {
    const app = Testing.app();
    let runs = 0;
    for (let i = 0; i < 20; i++) new ApiObject(new Chart(app, `c${i}`), 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `s${i}` } });
    app.node.addValidation({ validate: () => [`${++runs}`].filter(() => false) });
    app.synthYaml();
    expect(runs).toBe(1);
    app.synth();
    expect(runs).toBe(2);
  });

  test('the output is what cdk8s renders chart by chart: same objects, same order, dependencies first', () => {
    const app = Testing.app();
    const later = new Chart(app, 'later');
    const earlier = new Chart(app, 'earlier');
    later.addDependency(earlier);
    const configMap = (chart: Chart, id: string) => new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() } });
    const [a, b, c] = [configMap(later, 'A'), configMap(later, 'B'), configMap(earlier, 'C')];
    a.addDependency(b);
    void c;
    const chartByChart = app.charts.flatMap((chart) => chart.toJson());
    expect(chartByChart.map((m: any) => m.metadata.name)).toEqual(['c', 'b', 'a']);
    expect(app.synthYaml()).toEqual(Yaml.stringify(...chartByChart));
  });
});

describe('what the synth scope must not change (review of issue 12)', () => {
  const configMap = (chart: Chart, id: string, data: any = { x: '1' }) =>
    new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id.toLowerCase() }, data });

  test('a caller that changes what toJson() returned does not change the output', () => {
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
    const a1 = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).find((m: any) => m.metadata.name === 'a');
    expect(a1.data).toEqual({ x: '1' });
  });

  test('a validation that changes an object still changes the output', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const a = configMap(chart, 'A');
    addManifestChecks(a, () => []);
    checkUniqueNames(a);
    new Construct(chart, 'Z').node.addValidation({ validate: () => { a.metadata.addLabel('team', 'db'); return []; } });
    expect(app.synthYaml()).toContain('team: db');
  });

  test('a chart whose Lazy value embeds another chart of the app synthesizes on its own (no endless re-validation)', () => {
    const app = Testing.app();
    const b = new Chart(app, 'b');
    checkUniqueNames(configMap(b, 'Inner'));
    const a = new Chart(app, 'a');
    configMap(a, 'Bundle', { 'b.yaml': Lazy.any({ produce: () => Yaml.stringify(...b.toJson()) }) });
    const [bundle] = Testing.synth(a);
    expect(bundle.data['b.yaml']).toContain('name: inner');
  });

  test.each([
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
  ])('App.synth() with %s writes what cdk8s writes chart by chart (nested charts, a dependency)', (_name, yamlOutputType) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-scope-'));
    const app = new App({ outdir, yamlOutputType });
    const parent = new Chart(app, 'parent');
    const child = new Chart(parent, 'child');
    const [a, b] = [configMap(parent, 'A'), configMap(child, 'B')];
    a.addDependency(b);
    checkUniqueNames(a);
    const expected = app.charts.flatMap((chart) => chart.toJson());
    app.synth();
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

test('a library CronJob renamed by a JSON patch between two synths is selected by its new name', () => {
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
  cronJob.addJsonPatch(JsonPatch.replace('/metadata/name', 'new'));
  expect(jobs()).toBe('new');
});
