import { ApiObject, Testing } from 'cdk8s';
import { annotateConfigHash, CONFIG_HASH_ANNOTATION, configHash } from '../../src/core/config-hash';

describe('config hash', () => {
  test('GIVEN two config files WHEN a byte, their order or the boundary between them changes THEN the hash changes', () => {
    // GIVEN the hash of two files
    const base = configHash(['a = 1\n', 'b = 2\n']);
    // THEN it is 32 hex digits and the same files hash the same
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(configHash(['a = 1\n', 'b = 2\n'])).toBe(base);
    // WHEN one byte changes THEN the hash changes
    expect(configHash(['a = 1\n', 'b = 3\n'])).not.toBe(base);
    // WHEN the files swap places THEN the hash changes
    expect(configHash(['b = 2\n', 'a = 1\n'])).not.toBe(base);
    // WHEN text moves from one file to the other THEN the hash changes: boundaries count, it is a different configuration
    expect(configHash(['a = 1\nb', ' = 2\n'])).not.toBe(base);
  });

  test('GIVEN a pod annotated while its config is being built WHEN a file changes after construction THEN the synthesized hash covers the final content', () => {
    // GIVEN a pod template annotated while the config is still being built
    const chart = Testing.chart();
    const pod = new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', image: 'i:1' }] } });
    const files = ['listen_port = 6432\n'];
    annotateConfigHash(pod.metadata, () => files);
    // WHEN a later addX() changes the file
    files.push('max_client_conn = 1000\n');
    // THEN the annotation, computed at synth, reflects the final content, so the pods still roll
    const [manifest] = Testing.synth(chart);
    expect(manifest.metadata.annotations[CONFIG_HASH_ANNOTATION]).toBe(configHash(['listen_port = 6432\n', 'max_client_conn = 1000\n']));
  });

  test('GIVEN one pod WHEN two sidecars each annotate it with their config THEN the one hash covers both files', () => {
    // GIVEN a pod
    const chart = Testing.chart();
    const pod = new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', image: 'i:1' }] } });
    // WHEN a PgBouncer sidecar and a pgBackRest sidecar both annotate it
    annotateConfigHash(pod.metadata, () => ['pgbouncer.ini\n']);
    annotateConfigHash(pod.metadata, () => ['pgbackrest.conf\n']);
    // THEN the annotation is the hash of both files, in order
    const [manifest] = Testing.synth(chart);
    expect(manifest.metadata.annotations[CONFIG_HASH_ANNOTATION]).toBe(configHash(['pgbouncer.ini\n', 'pgbackrest.conf\n']));
  });
});
