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
  test('GIVEN any text as a postgresql.conf value WHEN rendered THEN it is one line or a RenderError', () => {
    // GIVEN any text, WHEN rendered as one setting,
    // THEN the file has the header, the line, and the final newline's empty remainder, or the value is refused
    rendersOneLineOrRefuses((value) => renderPostgresConf('postgresql.conf', [{ key: 'app.x', value }]), 2);
  });

  test('GIVEN any text as a pgbouncer.ini value WHEN rendered THEN it is one line or a RenderError', () => {
    // GIVEN any text, WHEN rendered as one [pgbouncer] setting,
    // THEN the file has the header, blank, [pgbouncer], the line, final newline, or the value is refused
    rendersOneLineOrRefuses((value) => renderPgBouncerIni('pgbouncer.ini', [{ name: 'pgbouncer', entries: [{ key: 'auth_query', value }] }]), 4);
  });

  test('GIVEN any text as a dbname WHEN rendered in a pgbouncer [databases] connection string THEN it is one line or a RenderError', () => {
    // GIVEN any text, WHEN quoted into a connection string and rendered under [databases],
    // THEN the file has the header, blank, [databases], the line, final newline, or the value is refused
    rendersOneLineOrRefuses(
      (value) => renderPgBouncerIni('pgbouncer.ini', [{ name: 'databases', entries: [{ key: 'app', value: pgbouncerConnectionString('pgbouncer.ini', 'app', { dbname: value }) }] }]),
      4,
    );
  });

  test('GIVEN any text as a pgbackrest.conf value WHEN rendered THEN it is one line or a RenderError', () => {
    // GIVEN any text, WHEN rendered as one [global] option,
    // THEN the file has the header, blank, [global], the line, final newline, or the value is refused
    rendersOneLineOrRefuses((value) => renderPgBackRestIni('pgbackrest.conf', [{ name: 'global', entries: [{ key: 'repo1-path', value }] }]), 4);
  });
});
