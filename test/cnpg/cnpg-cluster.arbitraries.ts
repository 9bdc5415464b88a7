import { Size } from 'cdk8s';
import * as fc from 'fast-check';

/** What a user may write for a CnpgCluster's memory, parameters and pg_hba: good and bad alike. */
export interface ClusterInput {
  readonly memoryMiB: number;
  readonly parameters: Record<string, string>;
  readonly pgHba: string[];
}

/** Mostly what PostgreSQL takes, sometimes what it does not (or what would add a line). */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });
const amount = (min: number, max: number, units: string[]) => fc.tuple(fc.integer({ min, max }), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`);

const hbaEntry = mostly(
  fc.record({
    type: fc.constantFrom('host', 'hostssl', 'hostnossl'),
    database: fc.constantFrom('all', 'app', '"my db"', 'replication', 'app,postgres'),
    user: fc.constantFrom('all', 'app', '+admins', '"App User"'),
    address: fc.constantFrom('10.0.0.0/8', '::1/128', '10.0.0.1 255.255.255.255', 'samenet', '.cluster.local', 'all', '0.0.0.0/0'),
    method: fc.constantFrom('scram-sha-256', 'md5', 'reject', 'password'),
    tail: fc.constantFrom('', '', ' # comment'),
  }).map((e) => `${e.type} ${e.database} ${e.user} ${e.address} ${e.method}${e.tail}`),
  fc.constantFrom(
    'host all all 10.0.0.0/8 scram-sha-256\nhost all all 0.0.0.0/0 trust', 'hots all all 10.0.0.0/8 md5', 'host all all 10.0.0.0/33 md5',
    'host all all 10.0.0.1 md5', 'host all all 10.0.0.0/8 peer', 'host @dbs all 10.0.0.0/8 md5', 'host all all 10.0.0.0/8 scram-sha256',
    'local all all peer map=ops', 'hostssl all all 10.0.0.0/8 cert', 'local all all md5',
  ),
);

/** Memory, memory and time parameters (shared_buffers, work_mem, max_connections, ...) and pg_hba entries. */
export const clusterInput: fc.Arbitrary<ClusterInput> = fc.record({
  memoryMiB: fc.constantFrom(256, 512, 1024, 4096),
  parameters: fc.record({
    shared_buffers: mostly(amount(16, 200, ['MB']), fc.constantFrom('0', '64kB', '1gb', '1 gigabyte', '4GB')),
    work_mem: mostly(fc.oneof(amount(64, 100_000, ['kB', '']), amount(1, 64, ['MB'])), fc.constantFrom('4 megabytes', '-5MB', '63kB')),
    maintenance_work_mem: mostly(amount(1, 512, ['MB']), fc.constantFrom('512kB', '1 GB.')),
    max_connections: mostly(fc.integer({ min: 5, max: 500 }).map(String), fc.constantFrom('0', 'many', '1e2')),
    checkpoint_timeout: mostly(fc.oneof(amount(30, 3600, ['s', '']), amount(1, 60, ['min'])), fc.constantFrom('10', '5 minutes', '2d')),
    statement_timeout: mostly(fc.oneof(amount(0, 600_000, ['ms', '']), amount(0, 600, ['s']), amount(0, 3, ['h'])), fc.constantFrom('30sec', '1s\nfsync = off')),
    min_wal_size: mostly(amount(32, 2048, ['MB']), fc.constantFrom('16MB', '1')),
  }, { requiredKeys: [] }),
  pgHba: fc.array(hbaEntry, { maxLength: 3 }),
});

export const memoryOf = (input: ClusterInput) => Size.mebibytes(input.memoryMiB);

/** pg_hba rules of every form the library accepts: the unit tests check them, the contract test loads them into PostgreSQL. */
export const ACCEPTED_PG_HBA = [
  'local all all peer',
  'host app app 10.0.0.0/8 scram-sha-256',
  'hostssl all +admins 192.168.1.0 255.255.255.0 cert clientcert=verify-full',
  'hostnossl "my db" "User",app ::1/128 md5',
  'host replication streaming_replica samenet scram-sha-256',
  'host all all .cluster.local reject # no one else',
  'hostgssenc all all all gss include_realm=0',
];
