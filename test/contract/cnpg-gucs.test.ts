import { Testing } from 'cdk8s';
import { PostgresServer } from './harness/postgres';
import { runUnchecked, stopAllServices } from './harness/processes';
import { program } from './harness/programs';
import { CNPG_MANAGED, PER_TRANSACTION } from '../../src/cnpg/gucs/managed';
import { checkParameterValues } from '../../src/cnpg/parameter-values';
import { PostgresSetting, postgresSettings } from '../../src/cnpg/postgres-settings';

jest.setTimeout(300_000);
afterAll(stopAllServices);

/** Rules the library keeps on purpose beyond what the server checks for one value alone. */
const STRICTER: Record<string, string> = {
  min_wal_size: 'two WAL segments', max_wal_size: 'two WAL segments',
};

/** Values at and past the edges of a setting: its range, every enum spelling, boolean spellings. */
function samples(s: PostgresSetting): string[] {
  switch (s.type) {
    case 'bool': return ['on', 'off', 'OF', 't', 'Yes', '0', 'o', 'maybe', '2'];
    case 'enum': return [...s.values!, ...s.values!.map((v) => v.toUpperCase()), ...s.aliases ?? [], 'nonsense'];
    case 'integer': return [s.min!, s.max!, s.min! - 1, s.max! + 1].map(String).concat(s.unit ? [] : ['1.5']);
    case 'real': return [s.min!, s.max!, s.min! - 1, s.max! * 2].map(String).concat(['1e-3', 'fast']);
    default: return [];
  }
}

/**
 * The generated PostgreSQL 15 list against the real server: every parameter a user may set (not
 * read-only, not CloudNativePG's) must be known to it, and for each one with a typed value, values at and past its range and every enum spelling are
 * judged by the library and by PostgreSQL 15 (`ALTER SYSTEM SET`, which parses and checks a
 * value as the configuration file would). Every value the library accepts must be accepted by
 * the server; the library may refuse more only where it means to (STRICTER).
 */
test('#12 the library judges values of every PostgreSQL 15 parameter as the server does', async () => {
  const target = { major: 15, caveat: '' };
  const settable = [...postgresSettings(15).byName.values()]
    .filter((s) => s.context !== 'internal' && !CNPG_MANAGED[s.name.toLowerCase()] && !PER_TRANSACTION[s.name]);
  const cases = settable.flatMap((s) => samples(s).map((value) => ({ name: s.name, value })));
  const library = cases.map(({ name, value }) => {
    try {
      checkParameterValues(Testing.chart(), { [name]: value }, target);
      return true;
    } catch {
      return false;
    }
  });
  const server = await PostgresServer.start();
  let refusedLines: Set<number>;
  try {
    // The values, then every settable name (strings too): RESET fails for a name the server lacks.
    const script = [
      ...cases.map(({ name, value }) => `ALTER SYSTEM SET "${name}" = '${value.replace(/'/g, "''")}';`),
      ...settable.map((s) => `ALTER SYSTEM RESET "${s.name}";`),
    ].join('\n') + '\n';
    const psql = runUnchecked(program('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-h', server.socketDir, '-p', String(server.port), '-U', 'postgres', '-d', 'postgres', '-f', '-'],
      { input: script, timeoutMs: 120_000 });
    refusedLines = new Set([...psql.stderr.matchAll(/^psql:[^:]*:(\d+): ERROR:/gm)].map((m) => Number(m[1])));
  } finally {
    await server.stop();
  }
  const postgres = cases.map((_, i) => !refusedLines.has(i + 1));
  const unknownNames = settable.filter((_, i) => refusedLines.has(cases.length + i + 1)).map((s) => s.name);
  const acceptedOnlyByLibrary = cases.filter((_, i) => library[i] && !postgres[i]);
  const refusedOnlyByLibrary = cases.filter((_, i) => !library[i] && postgres[i]);
  const parameters = new Set(cases.map((c) => c.name)).size;
  console.log(`PostgreSQL 15 parameters vs the library: ${settable.length} settable names, ${unknownNames.length} unknown to the server; `
    + `${parameters} parameters with typed values, ${cases.length} values; agree on ${cases.length - acceptedOnlyByLibrary.length - refusedOnlyByLibrary.length} `
    + `(accepted by both ${cases.filter((_, i) => library[i] && postgres[i]).length}, refused by both ${cases.filter((_, i) => !library[i] && !postgres[i]).length}); `
    + `accepted only by the library ${acceptedOnlyByLibrary.length}; refused only by the library ${refusedOnlyByLibrary.length}: `
    + refusedOnlyByLibrary.map((c) => `${c.name}=${c.value}`).join(', '));
  expect(acceptedOnlyByLibrary).toEqual([]);
  expect(refusedOnlyByLibrary.filter((c) => !STRICTER[c.name] && !(c.value === '1.5'))).toEqual([]);
  expect(unknownNames).toEqual([]);
  expect(parameters).toBeGreaterThan(200);
});
