import * as fc from 'fast-check';
import { buildPooler, pgbouncerSettings, withHbaFile } from './pgbouncer-arbitraries';
import { synthesizesOrExplains } from '../helpers/property';

describe('PgBouncerSidecar over arbitrary settings (property-based)', () => {
  test('GIVEN arbitrary settings WHEN synthesized THEN it yields schema-valid YAML or throws a clear error naming construct and prop', () => {
    synthesizesOrExplains(fc.tuple(pgbouncerSettings, withHbaFile), (chart, [s, hba]) => buildPooler(chart, s, hba), {
      seed: 7,
      numRuns: 300,
      inspect: (manifests, [s]) => {
        const ini: string = manifests.find((m) => m.kind === 'ConfigMap').data['pgbouncer.ini'];
        // One line per database entry: no value may break out of its line.
        expect(ini.split('\n').filter((l) => /^\S+ = host=/.test(l))).toHaveLength(s.databases.length);
        // #11.14: what pgbouncer reads as integers is written as integers, names fit its buffers
        expect(ini).toMatch(/\nstats_period = \d+\n/);
        for (const db of s.databases) expect(Buffer.byteLength(db.name)).toBeLessThanOrEqual(63);
        // list items are whole: pgbouncer splits at commas and whitespace
        for (const user of [...(s.adminUsers ?? []), ...(s.statsUsers ?? [])]) expect(user).toMatch(/^[^,\s]+$/);
      },
    });
  });
});
