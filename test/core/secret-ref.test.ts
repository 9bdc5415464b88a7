import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { SecretKeyRef } from '../../src';
import { synthValidated } from '../helpers/synth';

describe('SecretKeyRef', () => {
  test('GIVEN an existing Secret and a workload WHEN one key is added as env and another mounted as a file THEN both are delivered without a value in the YAML', () => {
    // GIVEN an existing Secret and a workload
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Creds', 'pgbackrest-s3');
    const deployment = new kplus.Deployment(chart, 'App', { containers: [{ image: 'docker.io/library/busybox:1.36', securityContext: { ensureNonRoot: false } }] });
    const container = deployment.containers[0];
    // WHEN one key becomes an env variable and another a file
    SecretKeyRef.of(secret, 'key-secret').addToEnv(container, 'PGBACKREST_REPO1_S3_KEY_SECRET');
    const file = SecretKeyRef.of(secret, 'tls.key').mountAsFile(chart, container, '/etc/pgbackrest/tls', 'client.key');
    // THEN the file path is returned, and the manifest has a secretKeyRef, a one-item Secret volume and a read-only mount, no value
    expect(file).toBe('/etc/pgbackrest/tls/client.key');
    const [manifest] = synthValidated(chart);
    const pod = manifest.spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'PGBACKREST_REPO1_S3_KEY_SECRET', valueFrom: { secretKeyRef: { name: 'pgbackrest-s3', key: 'key-secret' } } },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'secret-pgbackrest-s3-tls-key', secret: { secretName: 'pgbackrest-s3', items: [{ key: 'tls.key', path: 'client.key', mode: 0o440 }] } },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'secret-pgbackrest-s3-tls-key', mountPath: '/etc/pgbackrest/tls', readOnly: true }]);
  });

  test('GIVEN a Secret WHEN a reference names a key with a space THEN it is refused, naming the Secret and the allowed characters', () => {
    // GIVEN an existing Secret
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Creds', 'db');
    // WHEN a key a Secret cannot hold is referenced THEN it is refused
    expect(() => SecretKeyRef.of(secret, 'pass word')).toThrow('[SecretKeyRef(db)] key: got "pass word"; Secret keys use letters, digits, "-", "_" and "." only');
  });
});
