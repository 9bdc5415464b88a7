import { assertUniqueKeys, ConfScalar, ConfSection, headerLines, LiteralDialect, literalScalar, RenderError } from './value';

const PGBACKREST: LiteralDialect = { program: 'pgBackRest', booleans: ['y', 'n'], allowEmpty: false };

/**
 * Renders pgBackRest's ini dialect.
 *
 * pgBackRest reads `key=value`, trims both sides and takes the rest of the line literally: no
 * quoting, no inline comments (`#` only starts a comment at the beginning of a line). Booleans are
 * `y`/`n`; list and hash options (`db-include`, `recovery-option`) repeat the key, one per line.
 * An empty value is an error in pgBackRest, so it is one here.
 */
export function renderPgBackRestIni(file: string, sections: readonly ConfSection[]): string {
  const lines = headerLines(file);
  for (const section of sections) {
    // global, global:archive-push, <stanza>, <stanza>:restore
    if (!/^[A-Za-z0-9_.-]+(:[a-z-]+)?$/.test(section.name)) {
      throw new RenderError(file, 'section', section.name, 'expected "global", a stanza name, or either followed by ":<command>"');
    }
    assertUniqueKeys(file, section);
    lines.push('', `[${section.name}]`);
    for (const { key, value } of section.entries) {
      const where = `[${section.name}] ${key}`;
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(key)) {
        throw new RenderError(file, where, key, 'pgBackRest option names are lower-case words joined by "-"');
      }
      const values = Array.isArray(value) ? (value as readonly ConfScalar[]) : [value as ConfScalar];
      for (const item of values) lines.push(`${key}=${literalScalar(file, where, item, PGBACKREST)}`);
    }
  }
  return lines.join('\n') + '\n';
}
