import { assertFinite, assertOneLine, ConfEntry, ConfScalar, headerLines, RenderError } from './value';

/**
 * Renders the `postgresql.conf` dialect, which pgpool-II's `pgpool.conf` shares (same lexer).
 *
 * Strings are single-quoted; inside quotes a `'` is doubled and a `\` is doubled because the
 * lexer reads backslash escapes. `#` and `%` are literal inside quotes (the meaning of `%p` in
 * archive_command is the caller's business). A line break cannot appear in a quoted string.
 * Numbers are written bare, booleans as `on`/`off`.
 */
export function renderPostgresConf(file: string, entries: readonly ConfEntry[]): string {
  const lines = headerLines(file);
  const seen = new Set<string>();
  for (const { key, value } of entries) {
    // Custom options carry a dotted prefix: pg_stat_statements.max, auto_explain.log_min_duration.
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(key)) {
      throw new RenderError(file, key, key, 'parameter names are lower-case identifiers, optionally "prefix.name"');
    }
    if (seen.has(key)) throw new RenderError(file, key, key, 'the parameter is set twice; the later line would silently win');
    seen.add(key);
    if (Array.isArray(value)) {
      throw new RenderError(file, key, value, 'list parameters are one comma-separated string; join them first');
    }
    lines.push(`${key} = ${postgresScalar(file, key, value as ConfScalar)}`);
  }
  return lines.join('\n') + '\n';
}

/** A value as it would appear on the right of `=` in postgresql.conf. */
export function postgresScalar(file: string, key: string, value: ConfScalar): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') {
    assertFinite(file, key, value);
    return String(value);
  }
  assertOneLine(file, key, value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
