/**
 * A libpq key/value connection string from parts, in a fixed order. Values are single-quoted
 * when they need it, with `\` and `'` escaped by a backslash (libpq's rule, not SQL's).
 * @see https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE
 */
export function libpqConninfo(parts: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return parts
    .filter((part): part is readonly [string, string | number] => part[1] !== undefined)
    .map(([key, value]) => `${key}=${conninfoValue(String(value))}`)
    .join(' ');
}

function conninfoValue(value: string): string {
  if (value !== '' && /^[^\s'\\]+$/.test(value)) return value;
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
