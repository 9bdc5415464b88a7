/**
 * Which standbys a commit on the primary waits for (`synchronous_standby_names`). The names are
 * the `application_name`s the standbys connect with: `StreamingReplication` refuses a name that
 * none of its standbys sets, since PostgreSQL would silently wait for a standby that never comes.
 *
 * @see https://www.postgresql.org/docs/15/runtime-config-replication.html#GUC-SYNCHRONOUS-STANDBY-NAMES
 */
export class SynchronousStandbys {
  /**
   * Priority-based: a commit waits for the first `count` standbys of `names` that are connected,
   * in the order given (`FIRST n (a, b)`); the others are potential synchronous standbys.
   * @param count how many standbys must confirm each commit
   * @param names standby names in priority order
   */
  public static first(count: number, names: string[]): SynchronousStandbys {
    return new SynchronousStandbys('FIRST', count, [...names]);
  }

  /**
   * Quorum-based: a commit waits for any `count` of `names` (`ANY n (a, b)`).
   * @param count how many standbys must confirm each commit
   * @param names the standbys that may confirm
   */
  public static any(count: number, names: string[]): SynchronousStandbys {
    return new SynchronousStandbys('ANY', count, [...names]);
  }

  private constructor(
    /** `FIRST` or `ANY`. */
    public readonly method: string,
    /** How many standbys must confirm each commit. */
    public readonly count: number,
    /** The standby names. */
    public readonly names: string[],
  ) {}
}
