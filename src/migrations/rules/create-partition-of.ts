import { asNode, relationName } from '../lint/ast';
import { MigrationRuleDefinition } from '../lint/rule';

export const rule: MigrationRuleDefinition = {
  id: 'create-partition-of',
  severity: 'warning',
  lock: 'AccessExclusiveLock',
  rewrites: false,
  title: 'CREATE TABLE ... PARTITION OF an existing partitioned table',
  why: 'Creating a partition in place locks the partitioned table ACCESS EXCLUSIVE: every query on any partition waits, and queues behind a long one.',
  safeAlternative: 'Create the table on its own (LIKE the parent, with a CHECK matching the bounds, validated), then ALTER TABLE ... ATTACH PARTITION (SHARE UPDATE EXCLUSIVE on the parent, PostgreSQL 12+).',
  flaggedExample: "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
  safeExample: "CREATE TABLE events_2025 (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS);\nALTER TABLE events_2025 ADD CONSTRAINT events_2025_bounds CHECK (happened_at >= '2025-01-01' AND happened_at < '2026-01-01');\nALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
  minVersion: 12,
  check(statement, context) {
    if (statement.type !== 'CreateStmt' || !statement.fields.partbound) return [];
    const parent = relationName(asNode(statement.fields.inhRelations?.[0], 'RangeVar'));
    if (context.isNew(parent)) return [];
    return [`CREATE TABLE ... PARTITION OF ${parent} locks ${parent} ACCESS EXCLUSIVE; create the table alone and ATTACH PARTITION`];
  },
};
