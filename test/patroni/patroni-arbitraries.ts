import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { PatroniDcs, PatroniSettings, ReplicaCreationMethod, SynchronousMode, WatchdogMode } from '../../src';

/** Usually a good value, sometimes a bad one: accepted and refused samples both occur. */
function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad as fc.Arbitrary<T>, weight: 1 });
}

/** Settings drawn from the whole typed surface, good and bad values mixed (the checks decide). */
export function patroniSettings(dcs: fc.Arbitrary<PatroniDcs>): fc.Arbitrary<PatroniSettings> {
  const seconds = (min: number, max: number) => fc.option(fc.integer({ min, max }).map((s) => Duration.seconds(s)), { nil: undefined });
  return fc.record({
    scope: mostly(fc.constantFrom('app-db', 'orders', 'a'), fc.constantFrom('Bad_Scope', 'x'.repeat(64))),
    dcs: dcs.map((d) => d as PatroniDcs | undefined),
    ttl: mostly(seconds(30, 60), seconds(10, 29)),
    loopWait: mostly(seconds(1, 10), seconds(11, 15)),
    retryTimeout: mostly(seconds(3, 10), seconds(2, 20)),
    maximumLagOnFailover: fc.option(fc.integer({ min: 0, max: 1024 }).map((k) => Size.kibibytes(k * 64)), { nil: undefined }),
    synchronousMode: mostly(fc.constantFrom(SynchronousMode.ON, SynchronousMode.STRICT),
      fc.constantFrom(SynchronousMode.OFF, SynchronousMode.QUORUM, undefined)),
    synchronousNodeCount: mostly(fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.constant(0)),
    failsafeMode: fc.option(fc.boolean(), { nil: undefined }),
    usePgRewind: fc.option(fc.boolean(), { nil: undefined }),
    useSlots: fc.option(fc.boolean(), { nil: undefined }),
    dataChecksums: fc.option(fc.boolean(), { nil: undefined }),
    postgresSettings: mostly(fc.option(fc.subarray([
      { name: 'max_connections', value: '150' },
      { name: 'work_mem', value: "8MB'; DROP" },
      { name: 'shared_buffers', value: '256MB' },
      { name: 'wal_level', value: 'logical' },
      { name: 'log_line_prefix', value: '%m [%p] %q%u@%d ' },
      { name: 'max_wal_senders', value: '12' },
    ]), { nil: undefined }), fc.constantFrom([{ name: 'max_connections', value: '10' }], [{ name: 'wal_log_hints', value: 'on' }])),
    pgHba: mostly(fc.option(fc.constant(['host all all 10.0.0.0/8 scram-sha-256', 'host replication replicator 10.0.0.0/8 scram-sha-256']), { nil: undefined }), fc.constantFrom([], ['bad\nline'])),
    users: mostly(fc.option(fc.record({ superuser: fc.constantFrom('postgres', 'admin'), replication: fc.constantFrom('replicator', 'standby'), rewind: fc.constant('rewind_user') }), { nil: undefined }),
      fc.constant({ replication: 'postgres', rewind: 'Rewind' })),
    replicaCreationMethods: mostly(fc.option(fc.constantFrom(
      [ReplicaCreationMethod.BASEBACKUP],
      [ReplicaCreationMethod.pgbackrest({ stanza: 'main' }), ReplicaCreationMethod.BASEBACKUP],
    ), { nil: undefined }), fc.constantFrom([ReplicaCreationMethod.pgbackrest({ stanza: 'bad stanza' })], [])),
    callbacks: mostly(fc.option(fc.record({ onRoleChange: fc.constant('/usr/local/bin/on-role-change') }), { nil: undefined }), fc.constant({ onRoleChange: 'relative.sh' })),
    watchdog: fc.option(fc.constantFrom(WatchdogMode.OFF, WatchdogMode.AUTOMATIC, WatchdogMode.REQUIRED), { nil: undefined }),
    tags: fc.option(fc.record({ noFailover: fc.boolean(), noLoadBalance: fc.boolean(), noSync: fc.boolean() }), { nil: undefined }),
  }, { requiredKeys: ['scope'] });
}
