/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the wait before retry n is uniform in [0, min(cap, base * 2^(n-1))). Spreading retries over the
 * whole window, rather than around its end, keeps gateway instances that failed together from
 * retrying together.
 */
export interface BackoffSettings {
  /** The window of the first retry, ms. */
  baseMs: number;
  /** No window grows past this, ms. */
  capMs: number;
}

/** The upper end of retry `retry`'s window (1 for the first retry). */
export function backoffWindowMs(retry: number, settings: BackoffSettings): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be a whole number from 1, not ${retry}`);
  // 2 ** 1024 is Infinity; the cap takes over long before.
  return Math.min(settings.capMs, settings.baseMs * 2 ** Math.min(retry - 1, 1000));
}

/** How long to wait before retry `retry`; `random` yields [0, 1) like Math.random. */
export function backoffDelayMs(retry: number, settings: BackoffSettings, random: () => number = Math.random): number {
  return Math.floor(random() * backoffWindowMs(retry, settings));
}
