#!/usr/bin/env node
import * as fs from 'fs';
import { Finding } from './lint/engine';
import { Format, formatFindings, FORMATS } from './lint/formats';
import { MigrationLinter, MigrationLintOptions } from './migration-linter';

const USAGE = `Usage: cdk8s-pg-reliability lint-migrations [options] <file|directory>...

Lints SQL migrations for statements that lock tables, on PostgreSQL's own parser.
Reads plain .sql files, dbmate (-- migrate:up), node-pg-migrate SQL (-- Up Migration),
golang-migrate (*.up.sql; *.down.sql skipped) and Flyway (V<n>__*.sql, R__*.sql; U* skipped);
a directory's .sql files are linted in version order.

Options:
  --format <text|json|github|gitlab>  output format (default text; github: workflow annotations;
                                       gitlab: Code Quality report)
  --config <file>                      JSON: {"targetVersion": 15, "enabledRules": [...],
                                       "disabledRules": [...], "lockTimeoutSet": false,
                                       "statementTimeoutSet": false, "maxWarnings": -1}
  --target-version <n>                 PostgreSQL major version (default 15)
  --max-warnings <n>                   fail when there are more warnings (default: never)
  --list-rules                         print the rules (id, severity, lock) and exit
  --help                               this text

Suppress one finding with a comment on the lines before the statement:
  -- lint-migrations: allow <rule-id>[,<rule-id>] <reason>

Exit codes: 0 clean (or only warnings within --max-warnings, or info), 1 errors or too many
warnings, 2 bad usage, configuration or unreadable files.
`;

/** Where the CLI writes (tests capture it). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: CliOutput = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

interface Parsed {
  readonly paths: string[];
  readonly format: Format;
  readonly options: MigrationLintOptions;
  readonly maxWarnings: number;
  readonly listRules: boolean;
  readonly help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Parsed {
  const args = [...argv];
  if (args[0] === 'lint-migrations') args.shift();
  else if (args.length > 0 && !args[0].startsWith('-')) throw new UsageError(`unknown command "${args[0]}"; the command is lint-migrations`);
  const paths: string[] = [];
  let format: Format = 'text';
  let config: MigrationLintOptions & { maxWarnings?: number } = {};
  let targetVersion: number | undefined;
  let maxWarnings: number | undefined;
  let listRules = false;
  let help = false;
  const value = (flag: string) => {
    const v = args.shift();
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const integer = (flag: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`${flag} needs a whole number, got "${v}"`);
    return Number(v);
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === '--help' || arg === '-h') {help = true;} else if (arg === '--list-rules') {listRules = true;} else if (arg === '--format') {
      const f = value(arg);
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${f}"`);
      format = f as Format;
    } else if (arg === '--config') {config = readConfig(value(arg));} else if (arg === '--target-version') {targetVersion = integer(arg, value(arg));} else if (arg === '--max-warnings') {maxWarnings = integer(arg, value(arg));} else if (arg.startsWith('-')) {throw new UsageError(`unknown option ${arg}`);} else {paths.push(arg);}
  }
  const { maxWarnings: configMax, ...options } = config;
  return {
    paths,
    format,
    options: { ...options, ...(targetVersion !== undefined ? { targetVersion } : {}) },
    maxWarnings: maxWarnings ?? (configMax !== undefined && configMax >= 0 ? configMax : Infinity),
    listRules,
    help,
  };
}

const CONFIG_KEYS = ['targetVersion', 'enabledRules', 'disabledRules', 'lockTimeoutSet', 'statementTimeoutSet', 'maxWarnings'];

function readConfig(file: string): MigrationLintOptions & { maxWarnings?: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the config ${file}: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`the config ${file} must be a JSON object`);
  const unknown = Object.keys(parsed).filter((k) => !CONFIG_KEYS.includes(k));
  if (unknown.length > 0) throw new UsageError(`the config ${file} has unknown keys ${unknown.join(', ')}; known: ${CONFIG_KEYS.join(', ')}`);
  return parsed as MigrationLintOptions;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliOutput = STDIO): Promise<number> {
  let parsed: Parsed;
  let linter: MigrationLinter;
  try {
    parsed = parseArgs(argv);
    if (parsed.help) {
      io.out(USAGE);
      return 0;
    }
    linter = new MigrationLinter(parsed.options);
  } catch (e) {
    io.err(`lint-migrations: ${(e as Error).message}\n${e instanceof UsageError ? 'Try --help.\n' : ''}`);
    return 2;
  }
  if (parsed.listRules) {
    for (const r of MigrationLinter.rules()) io.out(`${r.id}\t${r.severity}\t${r.lockMode}${r.rewrites ? ' (rewrite)' : ''}\t${r.title}\n`);
    return 0;
  }
  if (parsed.paths.length === 0) {
    io.err('lint-migrations: no files or directories given\nTry --help.\n');
    return 2;
  }
  await MigrationLinter.loadParser();
  let findings: Finding[];
  try {
    findings = linter.lintFiles(parsed.paths) as Finding[];
  } catch (e) {
    io.err(`lint-migrations: ${(e as Error).message}\n`);
    return 2;
  }
  io.out(formatFindings(findings, parsed.format));
  const active = findings.filter((f) => !f.suppressedBecause);
  const errors = active.filter((f) => f.severity === 'error').length;
  const warnings = active.filter((f) => f.severity === 'warning').length;
  return errors > 0 || warnings > parsed.maxWarnings ? 1 : 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
