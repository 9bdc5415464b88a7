import * as path from 'path';
import { cycles, importsOf, SRC, tsFiles } from './helpers/imports';

// Dependencies point one way: areas -> core; areas meet only through the small public pieces
// listed here (DESIGN.md, "Layout").
const AREAS = ['backup', 'checks', 'cnpg', 'migrations', 'monitoring', 'patroni', 'pooling', 'replication'];
const GENERATED = ['imports', 'schemas'];
const BETWEEN_AREAS = [
  'cnpg -> backup/recovery-target.ts', // RecoveryTarget, RecoveryAction: point-in-time recovery of a CNPG cluster
  'cnpg -> backup/restore-check.ts', // RestoreCheck: the same checks for CNPG restore tests
  'cnpg -> pooling/pool-mode.ts', // PoolMode: CNPG poolers are PgBouncer
  'migrations -> pooling/connection-budget.ts', // IConnectionBudget: a MigrationJob's direct connection is counted
  'migrations -> pooling/pgbouncer-deployment.ts', // PgBouncerDeployment: a MigrationJob refuses a transaction-mode pooler as its host
  'patroni -> pooling/connection-budget.ts', // ConnectionBudget: the cluster's max_connections, charged by poolers and apps
  'replication -> pooling/connection-budget.ts', // IConnectionBudget: pgpool's num_init_children × max_pool per backend
];

function folder(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

describe('the source tree', () => {
  test('GIVEN every file of src WHEN its imports are followed THEN there is no import cycle', () => {
    expect(cycles(tsFiles(SRC))).toEqual([]);
  });

  test('GIVEN the core files WHEN their imports are listed THEN they reach no area', () => {
    const reached = new Set(tsFiles(path.join(SRC, 'core')).flatMap(importsOf).map(folder));
    expect([...reached].filter((f) => f !== 'core' && !GENERATED.includes(f))).toEqual([]);
  });

  test('GIVEN the area files WHEN their imports cross into another area THEN only through the listed public pieces', () => {
    const crossings = new Set<string>();
    for (const area of AREAS) {
      for (const file of tsFiles(path.join(SRC, area))) {
        for (const target of importsOf(file)) {
          const other = folder(target);
          if (other !== area && AREAS.includes(other)) crossings.add(`${area} -> ${path.relative(SRC, target)}`);
        }
      }
    }
    expect([...crossings].sort()).toEqual(BETWEEN_AREAS);
  });
});
