import { ApiObject, Testing } from 'cdk8s';
import { annotateConfigHash, CONFIG_HASH_ANNOTATION, configHash } from '../../src/core/config-hash';

describe('config hash', () => {
  test('changes with any byte of any file and with their order', () => {
    const base = configHash(['a = 1\n', 'b = 2\n']);
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(configHash(['a = 1\n', 'b = 2\n'])).toBe(base);
    expect(configHash(['a = 1\n', 'b = 3\n'])).not.toBe(base);
    expect(configHash(['b = 2\n', 'a = 1\n'])).not.toBe(base);
    // Boundaries count: moving text between files is a different configuration.
    expect(configHash(['a = 1\nb', ' = 2\n'])).not.toBe(base);
  });

  test('is computed at synth, so a file changed after construction still rolls the pods', () => {
    // GIVEN a pod template annotated while the config is still being built
    const chart = Testing.chart();
    const pod = new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', image: 'i:1' }] } });
    const files = ['listen_port = 6432\n'];
    annotateConfigHash(pod.metadata, () => files);
    // WHEN a later addX() changes the file
    files.push('max_client_conn = 1000\n');
    // THEN the annotation reflects the final content
    const [manifest] = Testing.synth(chart);
    expect(manifest.metadata.annotations[CONFIG_HASH_ANNOTATION]).toBe(configHash(['listen_port = 6432\n', 'max_client_conn = 1000\n']));
  });

  test('two sidecars on one pod both count', () => {
    const chart = Testing.chart();
    const pod = new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', image: 'i:1' }] } });
    annotateConfigHash(pod.metadata, () => ['pgbouncer.ini\n']);
    annotateConfigHash(pod.metadata, () => ['pgbackrest.conf\n']);
    const [manifest] = Testing.synth(chart);
    expect(manifest.metadata.annotations[CONFIG_HASH_ANNOTATION]).toBe(configHash(['pgbouncer.ini\n', 'pgbackrest.conf\n']));
  });
});
