import { IConstruct } from 'constructs';

const METADATA_TYPE = 'cdk8s-pg-reliability:warning';

/**
 * Synth warnings: things that synthesize and are accepted by every program, yet will surprise
 * someone (a skipped backup run). Each is printed once to stderr when it is added and kept as
 * construct metadata, so a CI step can collect them with `Warnings.of(app)` and fail on any.
 */
export class Warnings {
  /** Records a warning on `scope` and prints it. */
  public static add(scope: IConstruct, message: string): void {
    scope.node.addMetadata(METADATA_TYPE, message);
    process.stderr.write(`[WARNING] [${scope.node.path}] ${message}\n`);
  }

  /** Every warning recorded on `scope` and below it, as `[path] message`. */
  public static of(scope: IConstruct): string[] {
    return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => `[${c.node.path}] ${m.data}`));
  }

  private constructor() {}
}
