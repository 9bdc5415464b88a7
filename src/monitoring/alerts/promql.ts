/**
 * What the alert catalog writes into PromQL, checked the way Prometheus reads it: label names,
 * string literals and RE2 regular expressions (Prometheus compiles `=~` with Go's regexp, which
 * is RE2 syntax: JavaScript's RegExp both refuses valid RE2, such as `(?i)`, and accepts what RE2
 * refuses, such as look-arounds and back-references).
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/
 * @see https://github.com/google/re2/wiki/Syntax
 */

/** A Prometheus label name (names starting with `__` are reserved for Prometheus itself). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `name` is no usable label name, or undefined when it is one. */
export function labelNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || !LABEL_NAME.test(name)) return 'a Prometheus label name: a letter or "_", then letters, digits and "_" (no ".", "/" or "-")';
  if (name.startsWith('__')) return 'a label name not starting with "__" (reserved for Prometheus)';
  return undefined;
}

/** A PromQL double-quoted string literal holding exactly `value`. */
export function promString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}

const POSIX_CLASSES = ['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit'];
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const MAX_REPEAT = 1000;

/**
 * Why `pattern` is no RE2 regular expression as Prometheus (Go's regexp) compiles it, or
 * undefined when it is one. RE2 syntax is translated to an equivalent JavaScript pattern in
 * unicode mode, which then checks the structure (groups, classes, quantifiers); constructs RE2
 * lacks are refused on the way.
 */
export function re2Problem(pattern: string): string | undefined {
  if (typeof pattern !== 'string') return 'a string';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'no control characters (write \\n, \\t or \\x{..} instead)';
  let js = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const escape = translateEscape(pattern, i, inClass);
      if (typeof escape === 'string') return escape;
      js += escape.js;
      i = escape.end - 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end < 0 ? '' : pattern.slice(i + 2, end).replace(/^\^/, '');
        if (!POSIX_CLASSES.includes(name)) return `RE2 syntax: "${pattern.slice(i, end < 0 ? undefined : end + 2)}" is no POSIX class (${POSIX_CLASSES.join(', ')})`;
        js += 'a';
        i = end + 1;
        continue;
      }
      js += c === '[' ? '\\[' : c;
    } else if (c === '[') {
      inClass = true;
      js += c;
      if (pattern[i + 1] === '^') js += pattern[++i];
      // A "]" first in a class is a literal in RE2, an empty class in JavaScript.
      if (pattern[i + 1] === ']') { js += '\\]'; i++; }
    } else if (c === '(' && pattern[i + 1] === '?') {
      const group = /^\(\?(?:P<([A-Za-z0-9_]+)>|([imsU]*(?:-[imsU]+)?)(:|\)))/.exec(pattern.slice(i));
      if (!group || (group[2] === '' && group[3] === ')')) {
        return `RE2 syntax: "${pattern.slice(i, i + 4)}" is not supported (no look-arounds, atomic or "(?<name>" groups; use "(?P<name>", "(?:" or flags "(?i)")`;
      }
      if (group[1] !== undefined) js += `(?<${group[1]}>`;
      else if (group[3] === ':') js += '(?:';
      i += group[0].length - 1;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!repeat) { js += '\\{'; continue; }
      const min = Number(repeat[1]);
      const max = repeat[3] ? Number(repeat[3]) : min;
      if (min > MAX_REPEAT || max > MAX_REPEAT || max < min) return `RE2 syntax: repeat "${repeat[0]}" must have min <= max <= ${MAX_REPEAT}`;
      js += repeat[0];
      i += repeat[0].length - 1;
    } else if (c === '}' || c === ']') {
      js += `\\${c}`;
    } else if (c === '^' || c === '$') {
      js += `(?:${c})`;
    } else {
      // Nested repetition ("a**", "a*+"), refused by RE2, is refused by unicode-mode RegExp too.
      js += c;
    }
  }
  try {
    new RegExp(js, 'u');
  } catch (e) {
    return `a valid regular expression in RE2 syntax (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  return undefined;
}

/** One escape at `pattern[start]`, as JavaScript and its end, or why RE2 refuses it. */
function translateEscape(pattern: string, start: number, inClass: boolean): { js: string; end: number } | string {
  const c = pattern[start + 1];
  const char = (code: number) => `\\u{${code.toString(16)}}`;
  if (c === undefined) return 'RE2 syntax: a trailing "\\"';
  if (PUNCTUATION.test(c)) return { js: char(c.charCodeAt(0)), end: start + 2 };
  if ('dDsSwW'.includes(c)) return { js: `\\${c}`, end: start + 2 };
  // Grouped: RE2 repeats an empty-width assertion ("\b+"), unicode-mode RegExp refuses to.
  if ('bBAz'.includes(c)) return inClass ? `RE2 syntax: "\\${c}" inside a character class` : { js: { b: '(?:\\b)', B: '(?:\\B)', A: '(?:^)', z: '(?:$)' }[c]!, end: start + 2 };
  const controls: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
  if (c in controls) return { js: char(controls[c]), end: start + 2 };
  if (c === 'x') {
    const hex = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(pattern.slice(start));
    if (!hex || parseInt(hex[1] ?? hex[2], 16) > 0x10ffff) return `RE2 syntax: "${pattern.slice(start, start + 4)}" is no hex escape (\\xHH or \\x{H..})`;
    return { js: char(parseInt(hex[1] ?? hex[2], 16)), end: start + hex[0].length };
  }
  if (/[0-7]/.test(c)) {
    // \1-\7 alone would be a back-reference, which RE2 lacks; with more digits it is octal.
    const octal = /^\\([0-7]{1,3})/.exec(pattern.slice(start))!;
    if (c !== '0' && octal[1].length === 1) return `RE2 syntax: "\\${c}" is a back-reference (not supported)`;
    return { js: char(parseInt(octal[1], 8)), end: start + octal[0].length };
  }
  if (c === 'p' || c === 'P') {
    const cls = /^\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(pattern.slice(start));
    if (!cls) return `RE2 syntax: "${pattern.slice(start, start + 4)}" is no Unicode class (\\pL or \\p{Greek})`;
    return { js: inClass ? 'a' : '.', end: start + cls[0].length };
  }
  if (c === 'Q') {
    const end = pattern.indexOf('\\E', start + 2);
    const literal = pattern.slice(start + 2, end < 0 ? undefined : end);
    return { js: [...literal].map((ch) => char(ch.codePointAt(0)!)).join(''), end: end < 0 ? pattern.length : end + 2 };
  }
  return `RE2 syntax: "\\${c}" is no escape RE2 knows (\\d \\s \\w \\b \\pL \\x{..} \\Q..\\E, or "\\" before punctuation)`;
}

const GO_ESCAPES = /^\\(?:[abfnrtv\\'"]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3})/;

/**
 * Why `expr` is no PromQL expression Prometheus would parse, or undefined. Without a PromQL
 * parser this checks what breaks a rule file in practice: string literals and their escapes
 * (`"\d"` is an error, `"\b"` a backspace), brackets, and every `=~` / `!~` regex as RE2.
 */
export function exprProblem(expr: string): string | undefined {
  if (typeof expr !== 'string' || expr.trim() === '') return 'a PromQL expression';
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '#') {
      const eol = expr.indexOf('\n', i);
      i = eol < 0 ? expr.length : eol;
    } else if (c === '"' || c === "'" || c === '`') {
      let value = '';
      let j = i + 1;
      for (; j < expr.length && expr[j] !== c; j++) {
        if (c !== '`' && expr[j] === '\n') return `PromQL: a line break inside the string starting at ${i}`;
        if (c !== '`' && expr[j] === '\\') {
          const escape = GO_ESCAPES.exec(expr.slice(j));
          if (!escape) return `PromQL: "${expr.slice(j, j + 2)}" at ${j} is no escape of a PromQL string (write "\\\\" for a backslash)`;
          value += unescape(escape[0]);
          j += escape[0].length - 1;
        } else {
          value += expr[j];
        }
      }
      if (j >= expr.length) return `PromQL: the string starting at ${i} is not closed`;
      const before = expr.slice(0, i).trimEnd();
      if (before.endsWith('=~') || before.endsWith('!~')) {
        // Control characters are fine in a regex that came through escapes; props refuse them raw.
        // eslint-disable-next-line no-control-regex
        const problem = re2Problem(value.replace(/[\u0000-\u001f\u007f]/g, 'x'));
        if (problem) return `PromQL: the regex ${expr.slice(i, j + 1)}: ${problem}`;
      }
      i = j;
    } else if ('([{'.includes(c)) {
      open.push(c);
    } else if (c in pairs) {
      if (open.pop() !== pairs[c]) return `PromQL: unbalanced "${c}" at ${i}`;
    }
  }
  if (open.length > 0) return `PromQL: "${open[open.length - 1]}" is not closed`;
  return undefined;
}

function unescape(escape: string): string {
  const simple: Record<string, string> = { 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\', "'": "'", '"': '"' };
  const c = escape[1];
  if (c in simple) return simple[c];
  return String.fromCodePoint(/[0-7]/.test(c) ? parseInt(escape.slice(1), 8) : parseInt(escape.slice(2), 16));
}
