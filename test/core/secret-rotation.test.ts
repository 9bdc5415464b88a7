import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PgBackRestServerSidecar, SecretRotation } from '../../src';
import { backupChart } from '../backup/fixtures';
import { synthValidated } from '../helpers/synth';

/** The database StatefulSet with the pgBackRest sidecar, at a given secret revision. */
function podTemplate(secretRevision?: string) {
  const { chart, settings, serverTls } = backupChart();
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'Data', kplus.PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'pgdata'));
  const db = new kplus.StatefulSet(chart, 'Db', { containers: [{ name: 'postgres', image: 'docker.io/library/postgres:15.18-bookworm', portNumber: 5432, volumeMounts: [{ path: '/data', volume: data }] }] });
  const server = new PgBackRestServerSidecar(chart, 'Server', { workload: db, settings, dataDirectory: '/data/pgdata', dataVolume: data, dataVolumeMountPath: '/data', tls: serverTls, secretRevision });
  server.configureDatabaseContainer(db.containers[0]);
  return synthValidated(chart).find((m) => m.kind === 'StatefulSet').spec.template;
}

describe('#11.10 rotating a Secret can roll the pods', () => {
  test('GIVEN a pod template at a secretRevision WHEN synthesized again at the same, a new or no revision THEN only a new one changes it', () => {
    // GIVEN the pod template at revision 2026-11-25
    const r1 = podTemplate('2026-11-25');
    // THEN it carries the revision as an annotation
    expect(r1.metadata.annotations['pg-reliability.cdk8s.io/secret-revision']).toBe('2026-11-25');
    // WHEN synthesized again at the same revision THEN the template is byte-identical
    expect(podTemplate('2026-11-25')).toEqual(r1);
    // WHEN synthesized at a new revision THEN the template changes, so the pods roll
    expect(podTemplate('2026-12-01')).not.toEqual(r1);
    // WHEN synthesized without a revision THEN nothing in the template depends on the Secrets' content
    expect(podTemplate().metadata.annotations).not.toHaveProperty(['pg-reliability.cdk8s.io/secret-revision']);
  });

  test('GIVEN any workload WHEN SecretRotation sets a revision twice, a different one or a bad one THEN the same one is accepted, the others refused', () => {
    // GIVEN a plain Deployment
    const chart = Testing.chart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'docker.io/library/nginx:1.27' }] });
    // WHEN revision r7 is set twice THEN it is accepted (checked in the output below)
    SecretRotation.rollOnRevision(web, 'r7');
    SecretRotation.rollOnRevision(web, 'r7');
    // WHEN a different revision is set THEN it is refused, naming the one the pods carry
    expect(() => SecretRotation.rollOnRevision(web, 'r8')).toThrow('[test/Web] secretRevision: got "r8"; the pods already carry secret revision "r7"');
    // WHEN a revision with a space is set THEN it is refused
    expect(() => SecretRotation.rollOnRevision(web, 'has space')).toThrow('[test/Web] secretRevision: got "has space"; a short revision');
    // THEN the pod template carries revision r7
    expect(synthValidated(chart)[0].spec.template.metadata.annotations).toMatchObject({ 'pg-reliability.cdk8s.io/secret-revision': 'r7' });
  });
});
