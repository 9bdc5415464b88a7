import { asNode, Fields, fieldsOf, nodeType, relationName } from './ast';
import { statementLock } from './locks';
import { LintOptions } from './options';
import { ParsedSource } from './parser';
import { LintContext, LintStatement, MigrationRuleDefinition, Severity } from './rule';
import { notNullTestColumn, SchemaFacts } from './schema-facts';
import { readSuppressions, Suppression } from './suppressions';

/** A finding, as every output format reports it. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The statement's text, shortened. */
  readonly statement: string;
  /** The rule's safe alternative (empty for syntax errors and bad suppressions). */
  readonly safeAlternative: string;
  /** Set when a valid suppression comment covered the finding: it does not count. */
  readonly suppressedBecause?: string;
}

/** One source to lint. */
export interface LintSource {
  readonly file: string;
  readonly sql: string;
  /** The migration tool runs the file in one transaction (dbmate, unless `transaction:false`). */
  readonly implicitTransaction?: boolean;
}

/** Line and column (1-based) of UTF-8 byte offsets, by binary search over the line starts. */
function positions(source: Buffer): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: source.subarray(starts[low], Math.max(starts[low], offset)).toString('utf8').length + 1 };
  };
}

const isComment = (name: string) => name === 'SQL_COMMENT' || name === 'C_COMMENT';

/** Lints one parsed source with the given rules (already filtered by config and version). */
export function lintParsed(source: LintSource, parsed: ParsedSource, rules: readonly MigrationRuleDefinition[], options: LintOptions): Finding[] {
  const bytes = Buffer.from(source.sql, 'utf8');
  const position = positions(bytes);
  const findings: Finding[] = [];
  const known = new Set(rules.map((r) => r.id));
  const suppressions = readSuppressions(parsed.tokens, bytes, new Set([...known, ...(options.knownRuleIds ?? [])]));
  for (const bad of suppressions.filter((s) => s.problem)) {
    findings.push({ ruleId: 'invalid-suppression', severity: 'error', message: bad.problem!, file: source.file, ...position(bad.start), statement: '', safeAlternative: '' });
  }
  if (parsed.error) {
    const at = position(parsed.error.position);
    findings.push({ ruleId: 'syntax-error', severity: 'error', message: `PostgreSQL cannot parse this file: ${parsed.error.message}`, file: source.file, ...at, statement: '', safeAlternative: '' });
    return findings;
  }
  const facts = new SchemaFacts(parsed.statements.map((s) => s.stmt));
  const state = new FileState(options, facts, source.implicitTransaction ?? false);
  let previousEnd = 0;
  let token = 0;
  for (const raw of parsed.statements) {
    // Statements and tokens both come in source order: one forward walk finds each first token.
    while (token < parsed.tokens.length && (parsed.tokens[token].start < raw.location || isComment(parsed.tokens[token].tokenName))) token++;
    const start = token < parsed.tokens.length ? parsed.tokens[token].start : raw.location;
    const end = raw.location + raw.length;
    // A suppression comment covers the statement after it: comments since the previous one's end.
    const rangeStart = previousEnd;
    previousEnd = end;
    const text = bytes.subarray(start, end).toString('utf8').trim();
    const statement: LintStatement = {
      node: raw.stmt,
      type: nodeType(raw.stmt) ?? '',
      fields: fieldsOf(raw.stmt),
      ...position(start),
      text,
      inTransaction: state.inTransaction,
      lock: statementLock(raw.stmt),
    };
    const covering = suppressions.filter((s) => !s.problem && s.start >= rangeStart && s.start < end);
    for (const rule of rules) {
      for (const message of rule.check(statement, state)) {
        const suppression = covering.find((s: Suppression) => s.ruleIds.includes(rule.id));
        findings.push({
          ruleId: rule.id,
          severity: rule.severity,
          message,
          file: source.file,
          line: statement.line,
          column: statement.column,
          statement: text.length > 200 ? `${text.slice(0, 197)}...` : text,
          safeAlternative: rule.safeAlternative,
          ...(suppression ? { suppressedBecause: suppression.reason } : {}),
        });
      }
    }
    state.after(statement);
  }
  return findings;
}

/** The file's state as statements run: transactions, timeouts, new tables, NOT NULL checks. */
class FileState implements LintContext {
  public readonly targetVersion: number;
  public lockTimeoutSet: boolean;
  public statementTimeoutSet: boolean;
  public inTransaction: boolean;
  public accessExclusiveHeldOn?: string;
  private readonly created = new Set<string>();
  private readonly validatedNotNull = new Set<string>();
  private readonly pendingChecks = new Map<string, string>();
  private readonly sessionTimeouts: { lock: boolean; statement: boolean };
  private transactionTimeouts = { lock: false, statement: false };

  constructor(options: LintOptions, private readonly facts: SchemaFacts, private readonly implicitTransaction: boolean) {
    this.targetVersion = options.targetVersion ?? 15;
    this.sessionTimeouts = { lock: options.lockTimeoutSet ?? false, statement: options.statementTimeoutSet ?? false };
    this.lockTimeoutSet = this.sessionTimeouts.lock;
    this.statementTimeoutSet = this.sessionTimeouts.statement;
    this.inTransaction = implicitTransaction;
  }

  public isNew(table: string): boolean {
    return this.created.has(table);
  }

  public indexesOn(table: string): readonly (readonly string[])[] {
    return this.facts.indexesOn(table);
  }

  public definesView(name: string): boolean {
    return this.facts.definesView(name);
  }

  public hasValidatedNotNullCheck(table: string, column: string): boolean {
    return this.validatedNotNull.has(`${table}\u0000${column}`);
  }

  /** Updates the state with what the statement just did. */
  public after(statement: LintStatement): void {
    const node = statement.fields;
    switch (statement.type) {
      case 'TransactionStmt':
        this.transaction(node.kind);
        break;
      case 'VariableSetStmt':
        this.setting(node);
        break;
      case 'CreateStmt':
        this.created.add(relationName(node.relation));
        break;
      case 'AlterTableStmt':
        this.notNullChecks(relationName(node.relation), node.cmds ?? []);
        break;
      default:
        break;
    }
    if (statement.inTransaction && statement.lock.mode === 'AccessExclusiveLock' && !this.isNew(statement.lock.relation)) {
      this.accessExclusiveHeldOn ??= statement.lock.relation;
    }
  }

  private transaction(kind: string): void {
    if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') {
      this.inTransaction = true;
    } else if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_COMMIT_PREPARED', 'TRANS_STMT_ROLLBACK_PREPARED', 'TRANS_STMT_PREPARE'].includes(kind)) {
      this.inTransaction = this.implicitTransaction;
      this.accessExclusiveHeldOn = undefined;
      // SET LOCAL ends with its transaction.
      this.lockTimeoutSet = this.sessionTimeouts.lock;
      this.statementTimeoutSet = this.sessionTimeouts.statement;
      this.transactionTimeouts = { lock: false, statement: false };
    }
  }

  private setting(node: Fields): void {
    const name = String(node.name ?? '').toLowerCase();
    if (name !== 'lock_timeout' && name !== 'statement_timeout') return;
    const which = name === 'lock_timeout' ? 'lock' : 'statement';
    // SET ... TO DEFAULT / RESET / 0 turn the timeout off again.
    const on = node.kind === 'VAR_SET_VALUE' && !isZero(node.args?.[0]);
    if (node.is_local) this.transactionTimeouts[which] = on;
    else this.sessionTimeouts[which] = on;
    const value = node.is_local ? on : on || this.transactionTimeouts[which];
    if (which === 'lock') this.lockTimeoutSet = value;
    else this.statementTimeoutSet = value;
  }

  private notNullChecks(table: string, cmds: unknown[]): void {
    for (const item of cmds) {
      const cmd = asNode(item, 'AlterTableCmd');
      if (!cmd) continue;
      const constraint = asNode(cmd.def, 'Constraint');
      if (cmd.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_CHECK') {
        const column = notNullTestColumn(constraint.raw_expr);
        if (!column) continue;
        if (constraint.skip_validation) this.pendingChecks.set(`${table}\u0000${constraint.conname}`, column);
        else this.validatedNotNull.add(`${table}\u0000${column}`);
      } else if (cmd.subtype === 'AT_ValidateConstraint') {
        const column = this.pendingChecks.get(`${table}\u0000${cmd.name}`);
        if (column) this.validatedNotNull.add(`${table}\u0000${column}`);
      }
    }
  }
}

/** Whether a SET value is zero (which turns a timeout off): `0`, `'0'`, `'0ms'`, `'0s'`. */
function isZero(arg: unknown): boolean {
  const constant = asNode(arg, 'A_Const');
  if (!constant) return false;
  if (constant.ival !== undefined) return !constant.ival.ival;
  const text = String(constant.sval?.sval ?? '').trim();
  return text !== '' && parseFloat(text) === 0;
}
