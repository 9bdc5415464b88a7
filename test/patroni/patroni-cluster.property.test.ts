import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { patroniSettings } from './patroni-arbitraries';
import { PatroniCluster, PatroniDcs, SecretKeyRef } from '../../src';
import { synthesizesOrExplains } from '../helpers/property';

describe('PatroniCluster under generated props', () => {
  test('GIVEN generated settings and sizes WHEN synthesized THEN the output is schema-valid or the error is clear', () => {
    const dcs = fc.constantFrom(PatroniDcs.kubernetes(), PatroniDcs.kubernetes({ useEndpoints: false }), PatroniDcs.etcd3({ hosts: ['etcd-0.etcd:2379'] }));
    const props = fc.record({
      settings: patroniSettings(dcs),
      instances: fc.integer({ min: 0, max: 7 }),
      maxConnections: fc.integer({ min: 10, max: 1000 }),
    });
    synthesizesOrExplains(props, (chart, value) => {
      const secret = kplus.Secret.fromSecretName(chart, 'Passwords', 'db-passwords');
      new PatroniCluster(chart, 'Db', {
        ...value,
        passwords: { superuser: SecretKeyRef.of(secret, 'su'), replication: SecretKeyRef.of(secret, 'repl'), rewind: SecretKeyRef.of(secret, 'rewind') },
      });
    }, {
      seed: 15,
      inspect: (manifests) => {
        const config = manifests.find((m) => m.kind === 'ConfigMap').data['patroni.yml'];
        expect(config).toMatch(/^ {2}dcs:\n {4}ttl: \d+\n {4}loop_wait: \d+\n {4}retry_timeout: \d+\n/m);
        const [, ttl, loop, retry] = /ttl: (\d+)\n {4}loop_wait: (\d+)\n {4}retry_timeout: (\d+)/.exec(config)!.map(Number);
        expect(loop + 2 * retry).toBeLessThanOrEqual(ttl);
      },
    });
  });
});
