import * as fc from 'fast-check';
import { renderPgBackRestIni } from '../../src/core/render/pgbackrest-ini';
import { pgbouncerConnectionString, renderPgBouncerIni } from '../../src/core/render/pgbouncer-ini';
import { renderPostgresConf } from '../../src/core/render/postgres-conf';
import { RenderError } from '../../src/core/render/value';

// Any string at all, line breaks and NUL included.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

/**
 * Each renderer, for any value, either throws a RenderError naming the file and key, or writes
 * exactly one line for it: a value can never inject a second setting or a section.
 */
function rendersOneLineOrRefuses(render: (value: string) => string, linesWithoutValue: number): void {
  fc.assert(
    fc.property(anyText, (value) => {
      let text: string;
      try {
        text = render(value);
      } catch (e) {
        expect(e).toBeInstanceOf(RenderError);
        expect((e as Error).message).toMatch(/^\S+: .* got .*; /);
        return;
      }
      expect(text.split('\n')).toHaveLength(linesWithoutValue + 1);
      expect(value).not.toMatch(/[\r\n\0]/);
    }),
    { numRuns: 500 },
  );
}

describe('renderers never emit a broken file (property-based)', () => {
  test('postgresql.conf', () => {
    // header, the line, and the final newline's empty remainder
    rendersOneLineOrRefuses((value) => renderPostgresConf('postgresql.conf', [{ key: 'app.x', value }]), 2);
  });

  test('pgbouncer.ini', () => {
    // header, blank, [pgbouncer], the line, final newline
    rendersOneLineOrRefuses((value) => renderPgBouncerIni('pgbouncer.ini', [{ name: 'pgbouncer', entries: [{ key: 'auth_query', value }] }]), 4);
  });

  test('pgbouncer [databases] connection strings', () => {
    rendersOneLineOrRefuses(
      (value) => renderPgBouncerIni('pgbouncer.ini', [{ name: 'databases', entries: [{ key: 'app', value: pgbouncerConnectionString('pgbouncer.ini', 'app', { dbname: value }) }] }]),
      4,
    );
  });

  test('pgbackrest.conf', () => {
    rendersOneLineOrRefuses((value) => renderPgBackRestIni('pgbackrest.conf', [{ name: 'global', entries: [{ key: 'repo1-path', value }] }]), 4);
  });
});
