import { CheckedApp, CheckedObject } from './app-view';

/** How serious a reliability finding is. */
export class RuleLevel {
  /** A setup a database reviewer refuses: fails synth unless acknowledged. */
  public static readonly ERROR = new RuleLevel('ERROR');
  /** A setup that needs a reason: printed as a synth warning unless acknowledged. */
  public static readonly WARNING = new RuleLevel('WARNING');
  /** Worth knowing: listed in the report only. */
  public static readonly INFO = new RuleLevel('INFO');

  private constructor(
    /** The level's name as printed: ERROR, WARNING or INFO. */
    public readonly name: string,
  ) {}
}

/** One thing a rule found: the object it is about and what is wrong with it. */
export interface RawFinding {
  readonly object: CheckedObject;
  readonly message: string;
}

/**
 * A reliability rule: pure, reading the app and answering findings. One per file under rules/,
 * so that RULES.md is generated from them and each has its compliant and non-compliant test.
 */
export interface Rule {
  /** `PGR-<AREA>-<NNN>`, stable: acknowledgements name it. */
  readonly id: string;
  readonly level: RuleLevel;
  /** One line: what the rule refuses. */
  readonly name: string;
  /** Why a database reviewer refuses it. */
  readonly explanation: string;
  /** What to change. */
  readonly fix: string;
  check(app: CheckedApp): RawFinding[];
}
