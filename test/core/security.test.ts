import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PostgresConfig, RestrictedSecurity, SecretKeyRef, SecretRotation } from '../../src';
import { checkPlusMajor, isPlusKind } from '../../src/core/plus-objects';
import { expectRestricted } from '../helpers/pod-security';
import { synthValidated } from '../helpers/synth';

describe('RestrictedSecurity', () => {
  test('GIVEN an application container WHEN it takes the library\'s contexts THEN the pod meets Pod Security "restricted"', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'Web', {
      securityContext: RestrictedSecurity.pod({ user: 1000 }),
      containers: [{ name: 'web', image: 'docker.io/library/busybox:1.36', securityContext: RestrictedSecurity.container({ user: 1000 }) }],
    });
    const [deployment] = synthValidated(chart);
    const pod = deployment.spec.template.spec;
    expectRestricted(pod);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'Always' });
    expect(pod.containers[0].securityContext).toMatchObject({
      runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    });
  });

  test('GIVEN no options WHEN asked THEN the postgres user of the official images (999)', () => {
    expect(RestrictedSecurity.POSTGRES_USER).toBe(999);
    expect(RestrictedSecurity.container()).toMatchObject({ user: 999, group: 999 });
  });
});

describe('cdk8s-plus objects', () => {
  // A class as another cdk8s-plus major declares it: jsii stamps every class with its type name.
  class ForeignDeployment {}
  Object.defineProperty(ForeignDeployment, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-30.Deployment', version: '2.0.0' } });

  test('GIVEN a cdk8s-plus-28 Deployment WHEN checked by kind THEN it is one, and a StatefulSet is not', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'D', { containers: [{ image: 'docker.io/library/busybox:1.36' }] });
    expect(isPlusKind(deployment, 'Deployment')).toBe(true);
    expect(isPlusKind(deployment, 'Workload')).toBe(true);
    expect(isPlusKind(deployment, 'StatefulSet')).toBe(false);
    expect(isPlusKind(new ForeignDeployment(), 'Deployment')).toBe(false);
    expect(() => checkPlusMajor(chart, 'workload', deployment)).not.toThrow();
  });

  test('GIVEN an object of another cdk8s-plus major WHEN a prop receives it THEN the error says which package to install', () => {
    const chart = Testing.chart();
    expect(() => checkPlusMajor(chart, 'workload', new ForeignDeployment())).toThrow(
      '[test] workload: got "cdk8s-plus-30.Deployment"; cdk8s-pg-reliability is built on cdk8s-plus-28: create this object with cdk8s-plus-28 '
      + "(npm install cdk8s-plus-28@^2.5.6, then import * as kplus from 'cdk8s-plus-28'); objects of different cdk8s-plus majors cannot be mixed");
  });
});

describe('cdk8s-plus objects of another major at the library\'s other entry points', () => {
  class ForeignSecret {
    public readonly name = 'db';
  }
  Object.defineProperty(ForeignSecret, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-30.Secret', version: '2.0.0' } });
  class ForeignStatefulSet {}
  Object.defineProperty(ForeignStatefulSet, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-30.StatefulSet', version: '2.0.0' } });

  test('GIVEN a Secret of cdk8s-plus-30 WHEN a SecretKeyRef is made of it THEN the clear error', () => {
    expect(() => SecretKeyRef.of(new ForeignSecret() as unknown as kplus.ISecret, 'password'))
      .toThrow('[SecretKeyRef(db)] secret: got "cdk8s-plus-30.Secret"; cdk8s-pg-reliability is built on cdk8s-plus-28');
  });

  test('GIVEN a workload of cdk8s-plus-30 WHEN rolled on a revision or given a PostgresConfig THEN the clear error', () => {
    const chart = Testing.chart();
    const foreign = new ForeignStatefulSet() as unknown as kplus.StatefulSet;
    expect(() => SecretRotation.rollOnRevision(foreign, '2')).toThrow('[SecretRotation.rollOnRevision] workload: got "cdk8s-plus-30.StatefulSet"');
    expect(() => new PostgresConfig(chart, 'Conf').mount(foreign, {} as kplus.Container)).toThrow('[test/Conf] mount.workload: got "cdk8s-plus-30.StatefulSet"');
  });
});
