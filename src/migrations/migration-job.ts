import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { planFiles } from './lint/plan';
import { MigrationHook, Migrations } from './migration-choices';
import { MigrationLintOptions, selectRules } from './migration-linter';
import { MIGRATION_SCRIPT } from './migration-script';
import { transactionPoolerAt } from './pooler-check';
import { configHash } from '../core/config-hash';
import { propError } from '../core/errors';
import { ContainerImage, ImageCatalog } from '../core/image';
import { DELIVERY_FAILED, NOTIFIER_SCRIPT, STATUS_DIR, WORK_WRAPPER } from '../core/job-scripts';
import { assertDnsLabel, dnsLabel } from '../core/naming';
import { checkDuration, checkInteger } from '../core/prop-checks';
import { SecretKeyRef } from '../core/secret-ref';
import { RestrictedSecurity } from '../core/security';
import { IConnectionBudget } from '../pooling/connection-budget';

/** The database a MigrationJob migrates: a direct connection to the primary, never a pooler. */
export interface MigrationConnection {
  /** The primary's host, e.g. `app-db-rw` (a transaction-mode PgBouncer of this app is refused). */
  readonly host: string;
  /**
   * The primary's port.
   * @default 5432
   */
  readonly port?: number;
  /** The database to migrate. */
  readonly database: string;
  /** The role the migrations run as (it owns the schema). */
  readonly user: string;
  /** The role's password, delivered as `PGPASSWORD`. */
  readonly password: SecretKeyRef;
}

/** Props of `MigrationJob`. */
export interface MigrationJobProps {
  /** The database and how to reach it. */
  readonly connection: MigrationConnection;
  /** What to run: `Migrations.sqlFiles()`, `Migrations.sqlDirectory()` or `Migrations.fromCommand()`. */
  readonly migrations: Migrations;
  /**
   * The Job's name; the first 8 hex digits of the migrations' hash are appended, so new
   * migrations make a new Job (a Job's pod template cannot change).
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * `lock_timeout` of the session (PGOPTIONS): a statement waiting longer for its lock gives up
   * (SQLSTATE 55P03) instead of queueing every query on the table behind it, and is retried.
   * @default Duration.seconds(3)
   */
  readonly lockTimeout?: Duration;
  /**
   * `statement_timeout` of the session (PGOPTIONS). The article's 5 s suits DDL; raise it for
   * CREATE INDEX CONCURRENTLY on large tables (which blocks no writer).
   * @default Duration.seconds(5)
   */
  readonly statementTimeout?: Duration;
  /**
   * Attempts of a file (or the command) that fails with a lock timeout, the first included.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Pause before the first retry; it doubles each time, up to one minute.
   * @default Duration.seconds(5)
   */
  readonly retryDelay?: Duration;
  /**
   * The budget of the server: the job's one connection is claimed in it.
   * @default - not counted
   */
  readonly connectionBudget?: IConnectionBudget;
  /**
   * Run as a deploy-tool hook before the application is updated.
   * @default - a plain Job
   */
  readonly hook?: MigrationHook;
  /**
   * How SQL files are linted at synth (findings of error severity fail the synth unless a
   * suppression comment names the rule and a reason). The timeouts count as set.
   * @default - every rule, PostgreSQL 15
   */
  readonly lint?: MigrationLintOptions;
  /**
   * The image that runs SQL files (needs psql and sha256sum).
   * @default ImageCatalog.POSTGRES
   */
  readonly image?: ContainerImage;
  /**
   * The table that records applied files.
   * @default "pgrel_migrations"
   */
  readonly historyTable?: string;
  /**
   * Kill the run after this long.
   * @default Duration.minutes(30)
   */
  readonly activeDeadline?: Duration;
  /**
   * A Slack-compatible webhook told the outcome (the URL comes from a Secret).
   * @default - no report
   */
  readonly webhook?: SecretKeyRef;
  /**
   * Pushgateway base URL that gets the run's metrics (`pgrel_migration_*`).
   * @default - no metrics
   */
  readonly pushgatewayUrl?: string;
  /**
   * User id of the work container (non-root).
   * @default 999 (postgres in the official images)
   */
  readonly runAsUser?: number;
}

const SQL_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.sql$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const MIGRATIONS_DIR = '/migrations';

/**
 * A Job that migrates a database safely: a direct connection (a transaction-mode pooler is
 * refused), `lock_timeout` and `statement_timeout` in PGOPTIONS, a bounded retry with backoff
 * when a lock is not granted in time (SQLSTATE 55P03), each SQL file at most once, its SQL
 * linted at synth, a report like the backup jobs', and its connection counted in the budget.
 */
export class MigrationJob extends Construct {
  /** The Job. */
  public readonly job: kplus.Job;
  /** How each SQL file runs, in order (`tx` in one transaction, `notx` statement by statement). */
  public readonly plan: string;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    const { connection, migrations } = props;
    const port = connection.port ?? 5432;
    checkInteger(this, 'connection.port', port, 1, 65535);
    const lockMs = checkDuration(this, 'lockTimeout', props.lockTimeout) ?? 3000;
    const statementMs = checkDuration(this, 'statementTimeout', props.statementTimeout) ?? 5000;
    if (lockMs < 1 || statementMs < 1) throw propError(this, 'lockTimeout/statementTimeout', `${lockMs}ms/${statementMs}ms`, 'positive durations (zero would turn the timeout off)');
    const maxAttempts = props.maxAttempts ?? 5;
    checkInteger(this, 'maxAttempts', maxAttempts, 1, 20);
    const retrySeconds = Math.max(1, Math.round((checkDuration(this, 'retryDelay', props.retryDelay) ?? 5000) / 1000));
    const historyTable = props.historyTable ?? 'pgrel_migrations';
    if (!IDENTIFIER.test(historyTable)) throw propError(this, 'historyTable', historyTable, 'a lower-case SQL identifier (letters, digits, _)');
    const pooler = transactionPoolerAt(this, connection.host);
    if (pooler) {
      throw propError(this, 'connection.host', connection.host, `a direct connection to the primary: ${pooler} pools by transaction, where the session's timeouts and the migration tool's locks do not hold; use the database Service`);
    }
    if (props.name !== undefined) assertDnsLabel(this, 'name', props.name);
    const user = props.runAsUser ?? RestrictedSecurity.POSTGRES_USER;
    checkInteger(this, 'runAsUser', user, 1);

    let files: Record<string, string> = {};
    if (migrations.files) {
      files = this.checkedFiles(migrations.files);
      const plan = this.lintAndPlan(files, props.lint ?? {});
      this.plan = plan;
      files = { ...files, plan };
    } else {
      this.plan = '';
    }
    const hash = configHash(migrations.files ? Object.keys(files).sort().map((k) => `${k}\n${files[k]}`) : [migrations.image!.reference, ...migrations.commandLine!]).slice(0, 8);
    const name = dnsLabel((props.name ?? dnsLabel(...this.node.path.split('/'))).slice(0, 54), hash);

    const supportMetadata = props.hook ? { annotations: { ...props.hook.annotations, ...props.hook.supportAnnotations } } : undefined;
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { automountToken: false, metadata: supportMetadata });
    this.job = new kplus.Job(this, 'Resource', {
      metadata: { name, annotations: props.hook?.annotations },
      // The script retries lock timeouts itself; a failed run is reported, not blindly repeated.
      backoffLimit: 0,
      activeDeadline: props.activeDeadline ?? Duration.minutes(30),
      ttlAfterFinished: Duration.days(7),
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user, group: user, fsGroup: user },
    });
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    const mounts: kplus.VolumeMount[] = [{ path: '/tmp', volume: tmp }];
    if (migrations.files) {
      const configMap = new kplus.ConfigMap(this, 'Files', { data: files, metadata: supportMetadata });
      mounts.push({ path: MIGRATIONS_DIR, volume: kplus.Volume.fromConfigMap(this, 'FilesVolume', configMap, { name: 'migrations' }), readOnly: true });
    }
    const script = ['/bin/sh', '-c', MIGRATION_SCRIPT, 'migrate', ...(migrations.commandLine ?? [])];
    const work: kplus.ContainerProps = {
      name: 'migrate',
      image: (migrations.image ?? props.image ?? ImageCatalog.POSTGRES).reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      resources: { cpu: { request: kplus.Cpu.millis(50) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
      securityContext: RestrictedSecurity.container({ user }),
      volumeMounts: mounts,
    };
    const reporting = props.webhook !== undefined || props.pushgatewayUrl !== undefined;
    const container = reporting ? this.addReporting(work, script, props, user) : this.job.addContainer({ ...work, command: script });
    const env: Record<string, string> = {
      PGHOST: connection.host,
      PGPORT: String(port),
      PGDATABASE: connection.database,
      PGUSER: connection.user,
      PGAPPNAME: name,
      PGCONNECT_TIMEOUT: '10',
      PGOPTIONS: `-c lock_timeout=${lockMs}ms -c statement_timeout=${statementMs}ms`,
      MIGRATION_MODE: migrations.files ? 'files' : 'command',
      MIGRATION_NAME: name,
      MIGRATION_DIR: MIGRATIONS_DIR,
      MIGRATION_HISTORY_TABLE: historyTable,
      MIGRATION_MAX_ATTEMPTS: String(maxAttempts),
      MIGRATION_RETRY_DELAY: String(retrySeconds),
      MIGRATION_MAX_DELAY: '60',
    };
    for (const [key, value] of Object.entries(env)) container.env.addVariable(key, kplus.EnvValue.fromValue(value));
    connection.password.addToEnv(container, 'PGPASSWORD');
    props.connectionBudget?.addConsumer(this.node.path, 1, 'MigrationJob: one psql session at a time');
  }

  private checkedFiles(files: Record<string, string>): Record<string, string> {
    const names = Object.keys(files);
    if (names.length === 0) throw propError(this, 'migrations', names, 'at least one .sql file');
    for (const name of names) {
      if (!SQL_FILE.test(name) || name.length > 200) throw propError(this, `migrations["${name}"]`, name, 'a file name of letters, digits, ".", "_" and "-" ending in .sql');
    }
    return files;
  }

  /** Lints the files (errors fail here, at synth) and returns the plan file's text. */
  private lintAndPlan(files: Record<string, string>, lint: MigrationLintOptions): string {
    const ordered = Object.keys(files).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => ({ name, sql: files[name] }));
    let selected;
    try {
      selected = selectRules({ ...lint, lockTimeoutSet: true, statementTimeoutSet: true });
    } catch (e) {
      throw propError(this, 'lint', lint, (e as Error).message);
    }
    const { findings, plan } = planFiles(ordered, selected.rules, selected.options);
    const errors = findings.filter((f) => f.severity === 'error' && !f.suppressedBecause);
    if (errors.length > 0) {
      const list = errors.map((f) => `  ${f.file}:${f.line}: [${f.ruleId}] ${f.message}\n    safe: ${f.safeAlternative}`).join('\n');
      throw propError(this, 'migrations', errors.map((f) => f.file), `SQL the linter accepts, or a suppression comment "-- lint-migrations: allow <rule-id> <reason>" above the statement:\n${list}`);
    }
    return plan.map((p) => `${p.transactional ? 'tx' : 'notx'} ${p.name}\n`).join('');
  }

  /** The work as an init container whose exit code a notifier reports (the backup jobs' pattern). */
  private addReporting(work: kplus.ContainerProps, script: string[], props: MigrationJobProps, user: number): kplus.Container {
    const security = RestrictedSecurity.container({ user });
    const status = kplus.Volume.fromEmptyDir(this, 'JobStatus', 'job-status');
    const init = this.job.addInitContainer({
      ...work,
      command: ['/bin/sh', '-c', WORK_WRAPPER, 'job'],
      args: script,
      volumeMounts: [...(work.volumeMounts ?? []), { path: STATUS_DIR, volume: status }],
    });
    init.env.addVariable('JOB_STATUS_DIR', kplus.EnvValue.fromValue(STATUS_DIR));
    const notifier = this.job.addContainer({
      name: 'notify',
      image: ImageCatalog.CURL.reference,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/bin/sh', '-c', NOTIFIER_SCRIPT],
      resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
      securityContext: security,
      volumeMounts: [
        { path: STATUS_DIR, volume: status, readOnly: true },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'NotifierTmp', 'notifier-tmp') },
      ],
    });
    notifier.env.addVariable('JOB_STATUS_FILE', kplus.EnvValue.fromValue(`${STATUS_DIR}/exit-code`));
    notifier.env.addVariable('JOB_DESCRIPTION', kplus.EnvValue.fromValue(`migration ${this.node.path}`.replace(/["\\\n]/g, '')));
    notifier.env.addVariable('POD_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME));
    props.webhook?.addToEnv(notifier, 'WEBHOOK_URL');
    if (props.pushgatewayUrl) {
      notifier.env.addVariable('PUSHGATEWAY_URL', kplus.EnvValue.fromValue(props.pushgatewayUrl.replace(/\/$/, '')));
      notifier.env.addVariable('PUSH_JOB', kplus.EnvValue.fromValue('pgrel_migration'));
    }
    // The migration ran and reported; only the delivery failed: fail the Job rather than migrate again.
    ApiObject.of(this.job).addJsonPatch(JsonPatch.add('/spec/podFailurePolicy', {
      rules: [{ action: 'FailJob', onExitCodes: { containerName: 'notify', operator: 'In', values: [DELIVERY_FAILED] } }],
    }));
    return init;
  }
}
