/**
 * Validates a TTL the same way in both stores: a positive number of milliseconds, rounded up to a
 * whole one (Redis' PX takes integers; rounding down could turn 0.5 into "no expiry" or an error).
 */
export function ttlMillis(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
