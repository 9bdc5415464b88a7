import * as fs from 'fs';
import * as path from 'path';
import { ContainerImage } from '../core/image';

/** What a MigrationJob runs: SQL files (linted at synth) or your migration tool's command. */
export class Migrations {
  /**
   * SQL files, run in the order of their names (natural order: `2_x.sql` before `10_y.sql`),
   * each at most once (a history table records them). Names: letters, digits, `.`, `_`, `-`,
   * ending in `.sql`.
   * @param files file name to SQL text
   */
  public static sqlFiles(files: Record<string, string>): Migrations {
    return new Migrations({ ...files });
  }

  /** Every `.sql` file of a local directory, read at synth. */
  public static sqlDirectory(directory: string): Migrations {
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(directory).filter((f) => f.endsWith('.sql'))) {
      files[name] = fs.readFileSync(path.join(directory, name), 'utf8');
    }
    return new Migrations(files);
  }

  /**
   * Your migration tool's command in your image (e.g. `["npx", "knex", "migrate:latest"]`). It
   * gets `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` and `PGOPTIONS` (the timeouts;
   * libpq-based clients apply it). Its SQL is not linted: run `lint-migrations` in CI on it.
   * @param image the image holding the tool and your migrations; it needs a POSIX `/bin/sh`
   * @param command the command and its arguments
   */
  public static fromCommand(image: ContainerImage, command: string[]): Migrations {
    return new Migrations(undefined, image, [...command]);
  }

  private constructor(
    /** SQL files by name (files mode). */
    public readonly files?: Record<string, string>,
    /** The tool's image (command mode). */
    public readonly image?: ContainerImage,
    /** The tool's command and its arguments (command mode). */
    public readonly commandLine?: string[],
  ) {}
}

/** A deploy-tool hook that runs the Job before the application is updated. */
export class MigrationHook {
  /**
   * Argo CD: a `PreSync` hook, deleted before the next sync creates it again. Flux has no
   * hooks: put the MigrationJob in a Kustomization of its own that the application's
   * Kustomization names in `dependsOn` (with `wait: true` and `force: true`, as Jobs are immutable).
   */
  public static readonly ARGO_CD_PRE_SYNC = new MigrationHook({
    'argocd.argoproj.io/hook': 'PreSync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
  }, { 'argocd.argoproj.io/sync-wave': '-1' });

  /** Helm: a `pre-install,pre-upgrade` hook, deleted before the next one is created. */
  public static readonly HELM_PRE_UPGRADE = new MigrationHook({
    'helm.sh/hook': 'pre-install,pre-upgrade',
    'helm.sh/hook-delete-policy': 'before-hook-creation',
  }, { 'helm.sh/hook-weight': '-1' });

  private constructor(
    /** The annotations put on the Job. */
    public readonly annotations: Record<string, string>,
    /**
     * Added for the objects the Job needs (its ServiceAccount and ConfigMap): hooks run before
     * the ordinary objects are applied, so these are hooks too, created just before the Job.
     */
    public readonly supportAnnotations: Record<string, string>,
  ) {}
}
