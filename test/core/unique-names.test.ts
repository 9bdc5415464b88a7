import { ApiObject, App, Chart, JsonPatch, Lazy, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkUniqueNames } from '../../src/core/unique-names';

const configMap = (scope: Construct, id: string, name: unknown, namespace?: string) => {
  const o = new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name as string, ...(namespace ? { namespace } : {}) } });
  checkUniqueNames(o);
  return o;
};

describe('checkUniqueNames', () => {
  test('#11.15 GIVEN two objects of one kind, namespace and name in different charts WHEN synthesized THEN synth fails naming both paths, kind, namespace, name and the fix', () => {
    // GIVEN two ConfigMaps "settings" in namespace shop, in two charts
    const app = Testing.app();
    configMap(new Chart(app, 'one', { namespace: 'shop' }), 'Settings', 'settings');
    configMap(new Chart(app, 'two', { namespace: 'shop' }), 'Config', 'settings');
    // WHEN the app is synthesized THEN it fails, explaining the overwrite and the fix
    expect(() => app.synthYaml()).toThrow('ConfigMap "settings" in namespace "shop" is emitted twice, by one/Settings and by two/Config: '
      + 'Kubernetes keeps one object per kind, namespace and name, so one would overwrite the other. Give one of them another name');
  });

  test('#11.15 GIVEN the same name in another namespace and of another kind WHEN synthesized THEN there is no error', () => {
    // GIVEN a ConfigMap "settings" in shop and in billing, and a Secret "settings" in shop
    const app = Testing.app();
    configMap(new Chart(app, 'one', { namespace: 'shop' }), 'Settings', 'settings');
    configMap(new Chart(app, 'two', { namespace: 'billing' }), 'Settings', 'settings');
    new ApiObject(new Chart(app, 'three', { namespace: 'shop' }), 'Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings' } });
    // WHEN synthesized THEN it succeeds
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('#11.15 GIVEN two cluster-scoped objects of one name in charts of different namespaces WHEN synthesized THEN they collide', () => {
    // GIVEN a ClusterRole "db-reader" in a chart of namespace shop and one in billing
    const app = Testing.app();
    for (const ns of ['shop', 'billing']) {
      const o = new ApiObject(new Chart(app, ns, { namespace: ns }), 'Reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'db-reader' } });
      checkUniqueNames(o);
    }
    // WHEN synthesized THEN they collide whatever namespace they were given
    expect(() => app.synthYaml()).toThrow('ClusterRole "db-reader" (cluster-scoped) is emitted twice, by shop/Reader and by billing/Reader');
  });

  test('#11.15 GIVEN one name from a Lazy and the same name from a JSON patch WHEN synthesized THEN they collide: names are read from the synthesized object', () => {
    // GIVEN a ConfigMap named by a Lazy and one renamed by a JSON patch, both to "same"
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', Lazy.any({ produce: () => 'same' }));
    configMap(chart, 'B', 'other').addJsonPatch(JsonPatch.replace('/metadata/name', 'same'));
    // WHEN synthesized THEN the collision is found
    expect(() => app.synthYaml()).toThrow('ConfigMap "same" (no namespace: the one it is applied to) is emitted twice, by c/A and by c/B');
  });

  test('#11.15 GIVEN invalid names WHEN synthesized THEN the synth fails: not a DNS subdomain, a Service not a DNS-1035 label, a CloudNativePG Cluster over 50', () => {
    // GIVEN a ConfigMap with a space, a Service starting with a digit, a 51-character Cluster and an RBAC Role with ":" (valid for RBAC)
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', 'app-db-nightly full');
    new ApiObject(chart, 'S', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1db' } });
    new ApiObject(chart, 'C', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a'.repeat(51) } });
    new ApiObject(chart, 'R', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'system:db-reader' } });
    // WHEN synthesized
    const error = (() => { try { app.synthYaml(); return ''; } catch (e) { return (e as Error).message; } })();
    // THEN each invalid name is reported with its rule, and the RBAC name is not
    expect(error).toContain('ConfigMap "app-db-nightly full" (no namespace: the one it is applied to), emitted by c/A, has an invalid name: expected a DNS-1123 subdomain');
    expect(error).toContain('Service "1db" (no namespace: the one it is applied to), emitted by c/S, has an invalid name: a Service name must be a DNS-1035 label');
    expect(error).toContain('emitted by c/C, has an invalid name: a Cluster name is also a Service name, so a DNS-1035 label of at most 50 characters');
    expect(error).not.toContain('system:db-reader');
  });

  test('#11.15 GIVEN 50 charts of 5 checked objects WHEN the app is synthesized THEN there is one registration per app and one scan per synth', () => {
    // GIVEN a count of the toJson() renderings in one synth of 50 charts × 5 ConfigMaps, with or without the check
    const scans = (charts: number, check: boolean, patched = false) => {
      const app = new App({ outdir: Testing.app().outdir });
      for (let i = 0; i < charts; i++) {
        const chart = new Chart(app, `c${i}`);
        for (let j = 0; j < 5; j++) {
          const o = new ApiObject(chart, `o${j}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}-o${j}` } });
          if (patched) o.addJsonPatch(JsonPatch.add('/metadata/labels', { a: 'b' }));
          if (check) checkUniqueNames(o);
        }
      }
      const spy = jest.spyOn(ApiObject.prototype, 'toJson');
      app.synthYaml();
      const calls = spy.mock.calls.length;
      spy.mockRestore();
      return calls;
    };
    // WHEN the objects are unpatched with plain names THEN the names are read off the objects, nothing more is rendered
    expect(scans(50, true) - scans(50, false)).toBe(0);
    // WHEN the objects are patched THEN the scan renders them once per synth: 50 charts × 5 objects = 250 extra
    // renderings, not 250 × 51 (cdk8s validates the app once more per chart).
    expect(scans(50, true, true) - scans(50, false, true)).toBe(250);
  });

  test('#11.15 GIVEN an app synthesized once WHEN an object of the same name is added THEN the next synth sees it and fails', () => {
    // GIVEN an app with one ConfigMap "same" that synthesizes
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', 'same');
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN a second ConfigMap "same" is added
    configMap(chart, 'B', 'same');
    // THEN the next synth fails, naming both
    expect(() => app.synthYaml()).toThrow('ConfigMap "same" (no namespace: the one it is applied to) is emitted twice, by c/A and by c/B');
  });
});
