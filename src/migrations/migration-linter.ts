import { Finding, lintParsed, LintSource } from './lint/engine';
import { LintOptions } from './lint/options';
import { loadParser, parseSources } from './lint/parser';
import { MigrationRuleDefinition } from './lint/rule';
import { readMigrationFiles } from './lint/sources';
import { ALL_RULES } from './rules';

/** Which rules run and what the migrations run on. */
export interface MigrationLintOptions {
  /**
   * PostgreSQL major version the migrations run on (rules are version aware: a constant
   * default is safe from 11, REINDEX CONCURRENTLY exists from 12, ...).
   * @default 15
   */
  readonly targetVersion?: number;
  /**
   * Run only these rules (ids).
   * @default - every rule
   */
  readonly enabledRules?: string[];
  /**
   * Rules turned off (ids).
   * @default - none
   */
  readonly disabledRules?: string[];
  /**
   * The runner sets `lock_timeout` for the session (MigrationJob does, through PGOPTIONS).
   * @default false
   */
  readonly lockTimeoutSet?: boolean;
  /**
   * The runner sets `statement_timeout` for the session.
   * @default false
   */
  readonly statementTimeoutSet?: boolean;
}

/** One SQL source to lint. */
export interface MigrationSource {
  /** The name findings report (a path). */
  readonly file: string;
  /** The SQL text. */
  readonly sql: string;
  /**
   * The migration tool runs the whole file in one transaction.
   * @default false
   */
  readonly implicitTransaction?: boolean;
}

/** A finding of the linter. */
export interface MigrationLintFinding {
  /** The rule's id (`syntax-error` and `invalid-suppression` come from the linter itself). */
  readonly ruleId: string;
  /** `error`, `warning` or `info`. */
  readonly severity: string;
  /** What is wrong with this statement. */
  readonly message: string;
  /** The source's name. */
  readonly file: string;
  /** 1-based line of the statement. */
  readonly line: number;
  /** 1-based column of the statement. */
  readonly column: number;
  /** The statement, shortened to 200 characters. */
  readonly statement: string;
  /** The rule's safe alternative. */
  readonly safeAlternative: string;
  /**
   * The reason given by the suppression comment that covers this finding; a suppressed finding
   * does not count.
   * @default - not suppressed
   */
  readonly suppressedBecause?: string;
}

/** What a rule is about (the docs table is made of these). */
export interface MigrationRuleInfo {
  /** Kebab-case id, named in suppressions and config. */
  readonly id: string;
  /** `error`, `warning` or `info`. */
  readonly severity: string;
  /** The table lock the flagged statement takes, as pg_locks names it (`none` when none). */
  readonly lockMode: string;
  /** Whether the flagged statement rewrites the table. */
  readonly rewrites: boolean;
  /** What the rule catches. */
  readonly title: string;
  /** Why it hurts. */
  readonly why: string;
  /** The safe way, in words. */
  readonly safeAlternative: string;
  /** A statement the rule flags. */
  readonly flaggedExample: string;
  /** The safe alternative as SQL. */
  readonly safeExample: string;
  /**
   * First PostgreSQL major version the rule applies to.
   * @default - every version
   */
  readonly minVersion?: number;
  /**
   * Last PostgreSQL major version the rule applies to.
   * @default - every version
   */
  readonly maxVersion?: number;
}

/** The rules that apply under the options (checked: unknown ids and versions throw). */
export function selectRules(options: MigrationLintOptions): { rules: MigrationRuleDefinition[]; options: LintOptions } {
  const known = new Set(ALL_RULES.map((r) => r.id));
  for (const id of [...(options.enabledRules ?? []), ...(options.disabledRules ?? [])]) {
    if (!known.has(id)) throw new Error(`MigrationLinter: unknown rule "${id}"; rules are ${[...known].join(', ')}`);
  }
  const version = options.targetVersion ?? 15;
  if (!Number.isInteger(version) || version < 9 || version > 18) {
    throw new Error(`MigrationLinter: targetVersion must be a PostgreSQL major version from 9 to 18, got ${version}`);
  }
  const rules = ALL_RULES.filter((r) => (!options.enabledRules || options.enabledRules.includes(r.id))
    && !(options.disabledRules ?? []).includes(r.id)
    && (r.minVersion === undefined || version >= r.minVersion)
    && (r.maxVersion === undefined || version <= r.maxVersion));
  return { rules, options: { ...options, knownRuleIds: [...known] } };
}

/**
 * A SQL migration linter that knows which locks statements take, on PostgreSQL's own parser
 * (libpg-query, WebAssembly). Synchronous: in-process after `MigrationLinter.loadParser()`,
 * otherwise the parser runs in one child process per call.
 */
export class MigrationLinter {
  /** Loads the parser into this process, so lints need no child process. */
  public static async loadParser(): Promise<void> {
    await loadParser();
  }

  /** Every rule, in the documented order. */
  public static rules(): MigrationRuleInfo[] {
    return ALL_RULES.map(({ check: _check, lock, ...meta }) => ({ ...meta, lockMode: lock }));
  }

  private readonly rules: readonly MigrationRuleDefinition[];
  private readonly options: LintOptions;

  constructor(options: MigrationLintOptions = {}) {
    const { rules, options: lintOptions } = selectRules(options);
    this.rules = rules;
    this.options = lintOptions;
  }

  /** Lints one SQL text. */
  public lintSql(sql: string, file?: string): MigrationLintFinding[] {
    return this.lintSources([{ file: file ?? '<sql>', sql }]);
  }

  /** Lints sources in order (indexes defined in any of them count for the foreign-key rule). */
  public lintSources(sources: MigrationSource[]): MigrationLintFinding[] {
    const parsed = parseSources(sources.map((s) => s.sql));
    const findings: Finding[] = [];
    sources.forEach((source, i) => findings.push(...lintParsed(source as LintSource, parsed[i], this.rules, this.options)));
    return findings;
  }

  /** Lints migration files and directories (plain SQL, dbmate, golang-migrate, Flyway, node-pg-migrate SQL). */
  public lintFiles(paths: string[]): MigrationLintFinding[] {
    return this.lintSources(readMigrationFiles(paths));
  }
}
