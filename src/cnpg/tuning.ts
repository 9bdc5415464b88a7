import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkParameterValues, baseValue } from './parameter-values';
import { TargetMajor } from './postgres-settings';
import { propError } from '../core/errors';

const MiB = (size: Size) => size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });

/**
 * PostgreSQL memory and WAL settings derived from the memory a pod may use, by the usual rules:
 * shared_buffers a quarter of memory, effective_cache_size three quarters, maintenance_work_mem a
 * sixteenth (at most 2 GB), work_mem what is left after shared_buffers spread over three sorts
 * per connection (at least 4 MB), and WAL sizes that grow with the instance.
 */
export function tunedParameters(memory: Size, maxConnections: number): Record<string, string> {
  const total = MiB(memory);
  const shared = Math.max(32, Math.floor(total / 4));
  const large = total >= 4096;
  return {
    max_connections: String(maxConnections),
    shared_buffers: `${shared}MB`,
    effective_cache_size: `${Math.floor((total * 3) / 4)}MB`,
    maintenance_work_mem: `${Math.min(2048, Math.max(64, Math.floor(total / 16)))}MB`,
    work_mem: `${Math.max(4096, Math.floor(((total - shared) * 1024) / (maxConnections * 3)))}kB`,
    min_wal_size: large ? '1GB' : '256MB',
    max_wal_size: large ? '4GB' : '1GB',
  };
}

/** A memory setting (`shared_buffers = 2GB`, `131072` 8kB pages) in MiB, or undefined if unreadable. */
export function memorySettingMiB(value: string): number | undefined {
  const pages = baseValue(value, { type: 'integer', unit: '8kB' });
  return pages === undefined ? undefined : (pages * 8) / 1024;
}

/**
 * Derived parameters with the user's on top. Refuses a parameter the target major does not have,
 * a value PostgreSQL would not start with (the user's first, so the message shows what they
 * wrote) and a shared_buffers that cannot fit in memory.
 */
export function mergeParameters(scope: IConstruct, memory: Size, user: Record<string, string>, target: TargetMajor): Record<string, string> {
  checkParameterValues(scope, user, target);
  const maxConnections = Number(user.max_connections ?? 100);
  const merged = { ...tunedParameters(memory, maxConnections), ...user };
  const shared = memorySettingMiB(merged.shared_buffers)!;
  if (shared >= MiB(memory)) {
    throw propError(scope, 'parameters.shared_buffers', merged.shared_buffers,
      `must be well below the memory limit (${MiB(memory)}MiB); PostgreSQL would be OOM-killed. About a quarter of memory is usual`);
  }
  checkParameterValues(scope, merged, target);
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}
