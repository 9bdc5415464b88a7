/** What the database server has, for the classic sizing rule. */
export interface ServerCapacity {
  /** CPU cores of the PostgreSQL server. */
  readonly cpuCores: number;
  /**
   * Effective spindle count: about 1 for SSD or network storage that is mostly cached, the
   * number of disks for spinning arrays.
   * @default 1
   */
  readonly effectiveSpindles?: number;
}

/**
 * Pool sizing arithmetic. The rule of thumb: a server does useful work with about
 * `cores × 2 + effective spindles` active connections; more only adds lock and buffer contention.
 * Pools are sized around that figure with headroom for waits on I/O and the network, then split
 * between the pods that share the server.
 */
export class PoolSizing {
  /** `cores × 2 + effective spindles`: e.g. 4 cores on SSD give 9. */
  public static usefulConnections(capacity: ServerCapacity): number {
    const cores = capacity.cpuCores;
    const spindles = capacity.effectiveSpindles ?? 1;
    if (!Number.isInteger(cores) || cores < 1) throw new Error(`PoolSizing: cpuCores got ${cores}; expected an integer of at least 1`);
    if (!Number.isInteger(spindles) || spindles < 0) throw new Error(`PoolSizing: effectiveSpindles got ${spindles}; expected an integer of at least 0`);
    return cores * 2 + spindles;
  }

  /**
   * The useful figure times a headroom factor, rounded up: 9 useful connections with the
   * default factor 2 give 18.
   * @param headroom multiplier of at least 1 (default 2)
   */
  public static withHeadroom(capacity: ServerCapacity, headroom: number = 2): number {
    if (!Number.isFinite(headroom) || headroom < 1) throw new Error(`PoolSizing: headroom got ${headroom}; expected a number of at least 1`);
    return Math.ceil(PoolSizing.usefulConnections(capacity) * headroom);
  }

  /**
   * The pool each pod may use when `totalConnections` are shared by `pods`: rounded down, so
   * the pods together never exceed the total (50 over 3 pods gives 16).
   */
  public static perPod(totalConnections: number, pods: number): number {
    if (!Number.isInteger(pods) || pods < 1) throw new Error(`PoolSizing: pods got ${pods}; expected an integer of at least 1`);
    const share = Math.floor(totalConnections / pods);
    if (!Number.isFinite(share) || share < 1) {
      throw new Error(`PoolSizing: ${totalConnections} connections over ${pods} pods leaves less than one each; raise the total or use fewer pods`);
    }
    return share;
  }
}
