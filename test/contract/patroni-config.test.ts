import { Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { EtcdCluster } from './harness/etcd';
import { placeMember, validateConfig } from './harness/patroni';
import { stopAllServices } from './harness/processes';
import { PatroniDcs, PatroniSettings, ReplicaCreationMethod, SynchronousMode, WatchdogMode } from '../../src';
import { resolvePatroniSettings } from '../../src/patroni/patroni-config';
import { CLEAR_ERROR } from '../helpers/property';
import { patroniSettings } from '../patroni/patroni-arbitraries';

jest.setTimeout(240_000);

let etcd: EtcdCluster;
beforeAll(async () => {
  etcd = await EtcdCluster.start(1);
});
afterAll(stopAllServices);

function etcd3(): PatroniDcs {
  return PatroniDcs.etcd3({ hosts: etcd.hosts });
}

describe('patroni --validate-config accepts the rendered patroni.yml (etcd running)', () => {
  const cases: Array<[string, () => PatroniSettings]> = [
    ['the defaults on etcd3', () => ({ scope: 'app-db', dcs: etcd3() })],
    ['synchronous mode, failsafe, no checksums with pg_rewind, parameters, pgBackRest replicas, callbacks, tags', () => ({
      scope: 'orders',
      dcs: etcd3(),
      ttl: Duration.seconds(40),
      loopWait: Duration.seconds(5),
      retryTimeout: Duration.seconds(15),
      synchronousMode: SynchronousMode.ON,
      synchronousNodeCount: 2,
      failsafeMode: true,
      dataChecksums: false,
      postgresSettings: [{ name: 'max_connections', value: '300' }, { name: 'shared_buffers', value: '256MB' }, { name: 'log_line_prefix', value: "%m [%p] '%u' " }],
      replicaCreationMethods: [ReplicaCreationMethod.pgbackrest({ stanza: 'orders' }), ReplicaCreationMethod.BASEBACKUP],
      callbacks: { onRoleChange: '/usr/local/bin/on-role-change' },
      watchdog: WatchdogMode.AUTOMATIC,
      tags: { noLoadBalance: true, noSync: true },
    })],
    ['strict synchronous mode without slots or pg_rewind', () => ({ scope: 'ledger', dcs: etcd3(), synchronousMode: SynchronousMode.STRICT, useSlots: false, usePgRewind: false })],
    ['the Kubernetes DCS with ConfigMaps', () => ({ scope: 'app-db', dcs: PatroniDcs.kubernetes({ useEndpoints: false }) })],
  ];

  test.each(cases)('GIVEN %s WHEN validated THEN patroni exits 0', async (_name, settings) => {
    const place = await placeMember(settings(), 0);
    const result = validateConfig(place);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  test('GIVEN a member without the pod environment (name, connect addresses) WHEN validated THEN patroni names what is missing', async () => {
    // Proves the validator really reads the file: the file alone leaves these to the pod.
    const place = await placeMember({ scope: 'app-db', dcs: etcd3() }, 0);
    const result = validateConfig({ ...place, env: {} });
    expect(result.status).toBe(1);
    expect(result.output).toContain('name  is not defined.');
    expect(result.output).toContain('restapi.connect_address  is not defined.');
  });

  test('GIVEN etcd hosts nobody listens on WHEN validated THEN patroni refuses them', async () => {
    const place = await placeMember({ scope: 'app-db', dcs: PatroniDcs.etcd3({ hosts: ['127.0.0.9:1'] }) }, 0);
    const result = validateConfig(place);
    expect(result.status).toBe(1);
    expect(result.output).toContain('is not reachable');
  });
});

describe('property: every accepted sample of settings passes patroni --validate-config', () => {
  test('GIVEN generated settings WHEN the library accepts them THEN patroni does too, and refusals are clear errors', async () => {
    const samples = fc.sample(patroniSettings(fc.constant(undefined as unknown as PatroniDcs)), { numRuns: 300, seed: 15 });
    let accepted = 0;
    let refused = 0;
    for (const sample of samples) {
      const settings = { ...sample, dcs: etcd3() };
      try {
        resolvePatroniSettings(Testing.chart(), settings);
      } catch (error) {
        expect((error as Error).message).toMatch(CLEAR_ERROR);
        refused++;
        continue;
      }
      if (accepted >= 12) continue;
      const result = validateConfig(await placeMember(settings, 0));
      expect({ settings: JSON.stringify(sample), output: result.output, status: result.status }).toEqual({ settings: JSON.stringify(sample), output: '', status: 0 });
      accepted++;
    }
    console.log(`patroni property: ${accepted} accepted samples validated by patroni, ${refused} of ${samples.length} refused with a clear error`);
    expect(accepted).toBe(12);
    expect(refused).toBeGreaterThan(30);
  });
});
