import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';

// Values as the alert catalog writes them into rules. Internal: not re-exported from the library.

/** A Prometheus duration literal, e.g. `5m`, `8d`, `90s`. */
export function promDuration(duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** Bytes as a PromQL number. */
export function promBytes(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
}
