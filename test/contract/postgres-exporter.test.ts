import { ExporterQueries } from '../../src';
import { scrapeExporter } from './harness/exporter';
import { stopAllServices } from './harness/processes';
import { metricNames } from '../../src/monitoring/queries-yaml';

jest.setTimeout(120_000);
afterAll(stopAllServices);

describe('postgres_exporter 0.11 with the rendered queries.yaml against PostgreSQL 15', () => {
  let scrape: Awaited<ReturnType<typeof scrapeExporter>>;
  beforeAll(async () => {
    scrape = await scrapeExporter();
  });

  test('every custom query runs: its metrics appear, named <query>_<column>', () => {
    const expected = ExporterQueries.defaults().flatMap(metricNames);
    const missing = expected.filter((name) => !scrape.metrics.has(name));
    expect(missing).toEqual([]);
    expect(scrape.metrics.has('pg_connection_count_count')).toBe(true);
  });

  test('the exporter logged no query error', () => {
    expect(scrape.log).not.toMatch(/level=error/);
  });
});
