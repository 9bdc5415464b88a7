import { ApiObject, App, Chart, JsonPatch, Lazy, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { checkUniqueNames } from '../../src/core/unique-names';

const configMap = (scope: Construct, id: string, name: unknown, namespace?: string) => {
  const o = new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name as string, ...(namespace ? { namespace } : {}) } });
  checkUniqueNames(o);
  return o;
};

describe('checkUniqueNames', () => {
  test('#11.15 two objects of one kind, namespace and name in different charts: synth fails naming both paths, kind, namespace, name and the fix', () => {
    const app = Testing.app();
    configMap(new Chart(app, 'one', { namespace: 'shop' }), 'Settings', 'settings');
    configMap(new Chart(app, 'two', { namespace: 'shop' }), 'Config', 'settings');
    expect(() => app.synthYaml()).toThrow('ConfigMap "settings" in namespace "shop" is emitted twice, by one/Settings and by two/Config: '
      + 'Kubernetes keeps one object per kind, namespace and name, so one would overwrite the other. Give one of them another name');
  });

  test('#11.15 the same name in other namespaces, or of another kind, is fine', () => {
    const app = Testing.app();
    configMap(new Chart(app, 'one', { namespace: 'shop' }), 'Settings', 'settings');
    configMap(new Chart(app, 'two', { namespace: 'billing' }), 'Settings', 'settings');
    new ApiObject(new Chart(app, 'three', { namespace: 'shop' }), 'Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'settings' } });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('#11.15 cluster-scoped kinds collide whatever namespace they were given', () => {
    const app = Testing.app();
    for (const ns of ['shop', 'billing']) {
      const o = new ApiObject(new Chart(app, ns, { namespace: ns }), 'Reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'db-reader' } });
      checkUniqueNames(o);
    }
    expect(() => app.synthYaml()).toThrow('ClusterRole "db-reader" (cluster-scoped) is emitted twice, by shop/Reader and by billing/Reader');
  });

  test('#11.15 Lazy names and JSON patches are read from the synthesized object', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', Lazy.any({ produce: () => 'same' }));
    configMap(chart, 'B', 'other').addJsonPatch(JsonPatch.replace('/metadata/name', 'same'));
    expect(() => app.synthYaml()).toThrow('ConfigMap "same" (no namespace: the one it is applied to) is emitted twice, by c/A and by c/B');
  });

  test('#11.15 invalid names fail the synth: not a DNS subdomain, a Service not a DNS-1035 label, a CloudNativePG Cluster over 50', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', 'app-db-nightly full');
    new ApiObject(chart, 'S', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1db' } });
    new ApiObject(chart, 'C', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a'.repeat(51) } });
    new ApiObject(chart, 'R', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'system:db-reader' } });
    const error = (() => { try { app.synthYaml(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(error).toContain('ConfigMap "app-db-nightly full" (no namespace: the one it is applied to), emitted by c/A, has an invalid name: expected a DNS-1123 subdomain');
    expect(error).toContain('Service "1db" (no namespace: the one it is applied to), emitted by c/S, has an invalid name: a Service name must be a DNS-1035 label');
    expect(error).toContain('emitted by c/C, has an invalid name: a Cluster name is also a Service name, so a DNS-1035 label of at most 50 characters');
    expect(error).not.toContain('system:db-reader');
  });

  test('#11.15 one registration per app and one scan per synth, however many charts', () => {
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
    // Unpatched objects with plain names: the names are read off the objects, nothing is rendered.
    expect(scans(50, true) - scans(50, false)).toBe(0);
    // Patched objects are rendered by the scan once per synth: 50 charts × 5 objects = 250 extra
    // renderings, not 250 × 51 (cdk8s validates the app once more per chart).
    expect(scans(50, true, true) - scans(50, false, true)).toBe(250);
  });

  test('#11.15 an object added after a synth is seen by the next synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    configMap(chart, 'A', 'same');
    expect(() => app.synthYaml()).not.toThrow();
    configMap(chart, 'B', 'same');
    expect(() => app.synthYaml()).toThrow('ConfigMap "same" (no namespace: the one it is applied to) is emitted twice, by c/A and by c/B');
  });
});
