/** A value of the YAML subset patroni.yml uses. */
export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

/**
 * Writes YAML that PyYAML (YAML 1.1, what Patroni reads with) and YAML 1.2 readers parse alike.
 * Every string is double-quoted in JSON's escaping, which is valid YAML: in YAML 1.1 an unquoted
 * `on`, `no` or `0755` would become a boolean or an octal number. Keys are written bare only
 * when they are identifiers; `undefined` entries are left out, so callers can write optional
 * keys inline. Empty maps and lists are written in flow style (`{}`, `[]`).
 */
export function renderYaml(value: YamlValue, header: string[] = []): string {
  const lines = header.map((line) => `# ${line}`);
  lines.push(...block(value, 0));
  return lines.join('\n') + '\n';
}

function block(value: YamlValue, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return (value as readonly YamlValue[]).flatMap((item) => {
      if (isCollection(item) && !isEmpty(item)) {
        const [first, ...rest] = block(item, indent + 2);
        return [`${pad}- ${first.slice(indent + 2)}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, YamlValue | undefined>).flatMap(([key, item]) => {
      if (item === undefined) return [];
      if (isCollection(item) && !isEmpty(item)) return [`${pad}${yamlKey(key)}:`, ...block(item, indent + 2)];
      return [`${pad}${yamlKey(key)}: ${scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isCollection(value: YamlValue): boolean {
  return typeof value === 'object';
}

function isEmpty(value: YamlValue): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.values(value as object).every((v) => v === undefined);
}

function scalar(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`patroni.yml: cannot write the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return quote(value);
}

/**
 * JSON's quoting, with everything outside printable ASCII escaped too: PyYAML reads U+2028 and
 * U+0085 as line breaks and refuses other unprintable characters, and a `\u` escape of a
 * surrogate half would reach Python as half a character, so astral characters are `\U` escapes.
 */
function quote(text: string): string {
  let out = '';
  for (const char of JSON.stringify(text)) {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out;
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(key) ? key : quote(key);
}
