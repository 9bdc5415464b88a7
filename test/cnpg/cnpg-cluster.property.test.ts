import { Size } from 'cdk8s';
import { clusterInput, memoryOf } from './cnpg-cluster.arbitraries';
import { CnpgCluster } from '../../src';
import { baseValue } from '../../src/cnpg/parameter-values';
import { postgresSettings } from '../../src/cnpg/postgres-settings';
import { synthesizesOrExplains } from '../helpers/property';

describe('CnpgCluster bad input (property)', () => {
  test('memory, parameters and pg_hba: a clear error, or a Cluster whose parameters and pg_hba are single lines PostgreSQL can read', () => {
    // GIVEN arbitrary memory, parameters and pg_hba WHEN a cluster is built THEN a clear error or single-line values PostgreSQL reads
    synthesizesOrExplains(clusterInput, (chart, input) => {
      new CnpgCluster(chart, 'Db', { name: 'shop-db', storageSize: Size.gibibytes(5), memory: memoryOf(input), parameters: input.parameters, pgHba: input.pgHba });
    }, {
      seed: 1115,
      numRuns: 300,
      inspect: (manifests, input) => {
        const spec = manifests.find((m) => m.kind === 'Cluster').spec.postgresql;
        for (const [name, value] of Object.entries(spec.parameters as Record<string, string>)) {
          expect(value).not.toMatch(/[\r\n]/);
          const setting = postgresSettings(15).byName.get(name.toLowerCase());
          if (setting?.unit) expect([name, baseValue(value, setting)! >= setting.min!]).toEqual([name, true]);
        }
        expect(spec.pg_hba ?? []).toEqual(input.pgHba);
        for (const line of input.pgHba) expect(line).not.toMatch(/[\r\n]/);
      },
    });
  });
});
