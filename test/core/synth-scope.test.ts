import { ApiObject, Chart, JsonPatch, Testing, Yaml } from 'cdk8s';
import { addManifestChecks } from '../../src/core/manifest-checks';
import { addSynthValidation, currentSynth } from '../../src/core/synth-scope';

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
