import { execFileSync } from 'child_process';
import * as pg from 'libpg-query';
import { Fields } from './ast';
import { SUPPRESSION_MARKER } from './marker';

/** A statement as PostgreSQL's parser split it. */
export interface RawStatement {
  /** The statement's node, e.g. `{ IndexStmt: {...} }`. */
  readonly stmt: Fields;
  /** Byte offset (UTF-8) of the statement's range start (after the previous `;`). */
  readonly location: number;
  /** Byte length of the range (without the `;`). */
  readonly length: number;
}

/** A scanner token (comments included, which the parser drops). */
export interface RawToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokenName: string;
}

/** What the parser made of one source. */
export interface ParsedSource {
  readonly statements: RawStatement[];
  readonly tokens: RawToken[];
  /** The parser's error (a syntax error), with its byte offset; statements are then empty. */
  readonly error?: { readonly message: string; readonly position: number };
}

/**
 * How PostgreSQL's parser is reached. libpg-query instantiates its WebAssembly asynchronously
 * (the emscripten glue awaits `createWasm()` and `run()`, so no synchronous instantiation is
 * possible), while cdk8s synth is synchronous. So: in-process once `loadParser()` resolved (the
 * CLI and tests), otherwise one `node` child process per batch of sources, which loads the
 * module, parses and scans, and returns JSON (synth of a MigrationJob).
 */
let loaded = false;

/** Loads the WebAssembly parser into this process; later parses run in-process. */
export async function loadParser(): Promise<void> {
  await pg.loadModule();
  loaded = true;
}

/** Whether parsing runs in-process (true after `loadParser()`). */
export function parserLoaded(): boolean {
  return loaded;
}

/** Parses and scans every source, in-process when loaded, else in one child process. */
export function parseSources(sources: readonly string[]): ParsedSource[] {
  if (loaded) return sources.map(parseOne);
  return parseInChild(sources);
}

function parseOne(sql: string): ParsedSource {
  let tokens: RawToken[] = [];
  // The scanner is only needed for suppression comments (the parser drops comments); it costs
  // more than the parse, so it runs only when the marker appears somewhere in the text.
  try {
    if (sql.includes(SUPPRESSION_MARKER)) {
      tokens = pg.scanSync(sql).tokens.map(({ start, end, text, tokenName }) => ({ start, end, text, tokenName }));
    }
  } catch {
    // An unterminated string or comment: the parse below reports it with its position.
  }
  if (sql.trim() === '') return { statements: [], tokens };
  try {
    const result = pg.parseSync(sql) as unknown as { stmts?: Array<{ stmt: Fields; stmt_location?: number; stmt_len?: number }> };
    const bytes = Buffer.byteLength(sql);
    const statements = (result.stmts ?? []).map((s) => {
      const location = s.stmt_location ?? 0;
      // stmt_len 0 means "to the end of the string" (the last statement without a semicolon).
      return { stmt: s.stmt, location, length: s.stmt_len ? s.stmt_len : bytes - location };
    });
    return { statements, tokens };
  } catch (e) {
    const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    return { statements: [], tokens, error: { message: (e as Error).message, position: details?.cursorPosition ?? 0 } };
  }
}

// The child's program: plain JavaScript so it runs the same under ts-jest and from lib/.
const CHILD = `
const pg = require(process.argv[1]);
const marker = process.argv[2];
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  await pg.loadModule();
  const out = JSON.parse(input).map((sql) => {
    let tokens = [];
    try { if (sql.includes(marker)) tokens = pg.scanSync(sql).tokens.map(({ start, end, text, tokenName }) => ({ start, end, text, tokenName })); } catch {}
    if (sql.trim() === '') return { statements: [], tokens };
    try {
      const bytes = Buffer.byteLength(sql);
      const statements = (pg.parseSync(sql).stmts || []).map((s) => {
        const location = s.stmt_location || 0;
        return { stmt: s.stmt, location, length: s.stmt_len ? s.stmt_len : bytes - location };
      });
      return { statements, tokens };
    } catch (e) {
      return { statements: [], tokens, error: { message: e.message, position: (e.sqlDetails && e.sqlDetails.cursorPosition) || 0 } };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
`;

function parseInChild(sources: readonly string[]): ParsedSource[] {
  if (sources.length === 0) return [];
  const output = execFileSync(process.execPath, ['-e', CHILD, require.resolve('libpg-query'), SUPPRESSION_MARKER], {
    input: JSON.stringify(sources),
    maxBuffer: 512 * 1024 * 1024,
    encoding: 'utf8',
  });
  return JSON.parse(output) as ParsedSource[];
}
