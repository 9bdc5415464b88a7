import { Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ColumnUsage, CustomQuery } from './custom-query';
import { propError } from '../core/errors';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks a list of queries: names, columns, duplicates; each error names the query. */
export function checkQueries(scope: IConstruct, prop: string, queries: readonly CustomQuery[]): void {
  const seen = new Set<string>();
  queries.forEach((q, i) => {
    const at = `${prop}[${i}]`;
    if (!METRIC_NAME.test(q.name ?? '')) throw propError(scope, `${at}.name`, q.name, 'a Prometheus metric name: letters, digits and "_"');
    if (seen.has(q.name)) throw propError(scope, `${at}.name`, q.name, 'each query name may appear once (metric names would collide)');
    seen.add(q.name);
    if (!q.sql || q.sql.trim() === '') throw propError(scope, `${at}.sql`, q.sql, 'an SQL query that returns the listed columns');
    if (!q.columns || !q.columns.some((c) => c.usage === ColumnUsage.GAUGE || c.usage === ColumnUsage.COUNTER)) {
      throw propError(scope, `${at}.columns`, (q.columns ?? []).map((c) => c.name), 'at least one GAUGE or COUNTER column, or the query produces no metric');
    }
    // postgres_exporter labels a series by its server, not its database: a query run in every
    // database needs a label that tells them apart, or two databases collide in one series.
    if (q.primaryDatabaseOnly === false && !q.columns.some((c) => c.usage === ColumnUsage.LABEL && c.name === 'datname')) {
      throw propError(scope, `${at}.columns`, q.columns.map((c) => c.name), 'a LABEL column "datname" (current_database() AS datname) in a query run in every database (primaryDatabaseOnly: false)');
    }
    const columns = new Set<string>();
    for (const c of q.columns) {
      if (!/^[a-z_][a-z0-9_]*$/.test(c.name ?? '')) throw propError(scope, `${at}.columns`, c.name, 'column names are lower-case SQL identifiers');
      if (columns.has(c.name)) throw propError(scope, `${at}.columns`, c.name, 'each column may appear once');
      columns.add(c.name);
    }
  });
}

/** The metric names a query produces. */
export function metricNames(query: CustomQuery): string[] {
  return query.columns.filter((c) => c.usage === ColumnUsage.GAUGE || c.usage === ColumnUsage.COUNTER).map((c) => `${query.name}_${c.name}`);
}

/** Recent renderings by their model's JSON: an app of many exporters mostly repeats one query set. */
const renderings = new Map<string, string>();
const KEPT_RENDERINGS = 32;

/** Renders postgres_exporter's queries.yaml. */
export function renderQueriesYaml(queries: readonly CustomQuery[]): string {
  const doc: Record<string, unknown> = {};
  for (const q of queries) {
    doc[q.name] = {
      query: q.sql.trim() + '\n',
      master: q.primaryDatabaseOnly ?? true,
      metrics: q.columns.map((c) => ({ [c.name]: { usage: c.usage.value, description: c.description } })),
    };
  }
  // YAML serialization costs ~100 times the JSON key (bench: monitored-postgres).
  const key = JSON.stringify(doc);
  let text = renderings.get(key);
  if (text === undefined) {
    text = Yaml.stringify(doc);
    if (renderings.size >= KEPT_RENDERINGS) renderings.delete(renderings.keys().next().value!);
    renderings.set(key, text);
  }
  return text;
}
