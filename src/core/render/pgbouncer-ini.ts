import { assertOneLine, assertUniqueKeys, ConfScalar, ConfSection, headerLines, LiteralDialect, literalScalar, RenderError } from './value';

const PGBOUNCER: LiteralDialect = { program: 'PgBouncer', booleans: ['1', '0'], allowEmpty: true };

/**
 * Renders the ini dialect of PgBouncer (libusual's cf parser).
 *
 * That parser takes everything after `=` up to the end of the line, trimmed, as the value: there
 * is no quoting and no inline comment, so `#`, `;`, quotes and `%` are written as they are. What
 * cannot be written is a line break, or whitespace at either end (it would be trimmed away).
 * Quoting *inside* a value (libpq-style connection strings in `[databases]`) is the caller's job:
 * see `pgbouncerConnectionString`.
 */
export function renderPgBouncerIni(file: string, sections: readonly ConfSection[]): string {
  const lines = headerLines(file);
  for (const section of sections) {
    if (!/^[a-z_]+$/.test(section.name)) {
      throw new RenderError(file, 'section', section.name, 'PgBouncer sections are lower-case words such as "pgbouncer" or "databases"');
    }
    assertUniqueKeys(file, section);
    lines.push('', `[${section.name}]`);
    for (const { key, value } of section.entries) {
      const where = `[${section.name}] ${key}`;
      if (!/^[A-Za-z0-9_.*-]+$/.test(key)) {
        throw new RenderError(file, where, key, 'keys may use letters, digits, "_", ".", "-" and "*" only');
      }
      if (Array.isArray(value)) {
        throw new RenderError(file, where, value, 'PgBouncer lists are one comma-separated value; join them first');
      }
      lines.push(`${key} = ${literalScalar(file, where, value as ConfScalar, PGBOUNCER)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Builds the `key=value ...` string of a `[databases]` entry. PgBouncer's reader (loader.c) is
 * not libpq's: a value ends at a space unless it is single-quoted, inside quotes only a doubled
 * `''` means a quote, a backslash is an ordinary character, and an empty value is refused.
 */
export function pgbouncerConnectionString(file: string, where: string, params: Readonly<Record<string, ConfScalar | undefined>>): string {
  const parts: string[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const value = String(raw);
    assertOneLine(file, `${where} ${key}`, value);
    if (value === '') throw new RenderError(file, `${where} ${key}`, value, 'PgBouncer refuses empty connection parameters; leave it out');
    parts.push(`${key}=${/[\s']/.test(value) ? `'${value.replace(/'/g, "''")}'` : value}`);
  }
  return parts.join(' ');
}
