import { randomUUID } from 'node:crypto';
import { storeKeys } from './keys.js';
import type { KeyValueStore } from './types.js';

/** How often a caller waiting for another holder's lease looks again, ms. */
const WAIT_STEP_MS = 20;

export interface OrderLeaseOptions {
  /** How long a lease lives if its holder never releases it (a crashed instance), ms. */
  ttlMs: number;
  /** How long to wait for another holder before giving up, ms. */
  waitMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** A held lease; `release` gives it up only if it is still this holder's (else it expired and moved on). */
export interface HeldOrderLease {
  release(): Promise<void>;
}

/**
 * The store half of one order's change lease: mutual exclusion across calls and gateway
 * instances (`setIfAbsent` with a TTL in the shared key-value store). A holder that outlives its
 * TTL may find another holder working beside it; the domain fences that case (see
 * domain/orders/change-lease.ts), the lease alone only makes it rare.
 *
 * Resolves null when another holder kept it for `waitMs`.
 */
export async function acquireOrderLease(kv: KeyValueStore, orderId: string, options: OrderLeaseOptions): Promise<HeldOrderLease | null> {
  const key = storeKeys.changeLease(orderId);
  const holder = randomUUID();
  const deadline = options.now() + options.waitMs;
  while (!(await kv.setIfAbsent(key, holder, options.ttlMs))) {
    if (options.now() >= deadline) return null;
    await options.sleep(WAIT_STEP_MS);
  }
  return {
    release: async () => {
      await kv.deleteIfEquals(key, holder);
    },
  };
}
