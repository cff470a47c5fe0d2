import type { KeyValueStore } from '../../store/types.js';

/** How long past a session's expiry it is kept: the grace after it (ten minutes) and a Dintero down for hours. */
const KEPT_PAST_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * The expiry each session's read last showed (round twenty-three). The seed shows no session read
 * and nothing of how long Dintero keeps a session; a Checkout that sweeps sessions past their
 * expiry answers their read 404 or 410 Gone, and then nothing the gateway reads says the session
 * ran out: before, the order nobody paid stayed CREATED for good. A session gone whose expiry a
 * read did show (and whose grace has passed) is read as that read would have been (reconcile.ts);
 * one whose expiry no read showed still says nothing (a Dintero without the session read at all).
 */
export interface SessionExpiries {
  /** Epoch ms, or undefined where no read of the session showed one (or the store fails). */
  get(sessionId: string): Promise<number | undefined>;
  /**
   * Kept best effort: a store that fails leaves a gone session saying nothing, as before. Written
   * only where the store does not already hold this expiry (round twenty-five): the poller reads a
   * waiting order's session every turn, and its expiry seldom changes.
   */
  keep(sessionId: string, expiresAtMs: number): Promise<void>;
}

export function createSessionExpiryStore(kv: KeyValueStore, accountId: string, now: () => number): SessionExpiries {
  const keyOf = (sessionId: string): string => `dintero:session-expiry:${accountId}:${sessionId}`;
  return {
    async get(sessionId) {
      const text = await kv.get(keyOf(sessionId)).catch(() => null);
      const ms = text === null ? NaN : Number(text);
      return Number.isFinite(ms) ? ms : undefined;
    },
    async keep(sessionId, expiresAtMs) {
      // Before, every poller turn wrote it again (one store write per waiting order per turn),
      // though its value and its time to live, counted from the expiry, were the same. A read is
      // no cheaper than a write in a round trip, but it leaves the store's writes (replicated,
      // persisted) to changes. A read that fails writes as before.
      const held = await kv.get(keyOf(sessionId)).catch(() => null);
      if (held === String(expiresAtMs)) return;
      const ttl = Math.max(60_000, expiresAtMs + KEPT_PAST_EXPIRY_MS - now());
      await kv.set(keyOf(sessionId), String(expiresAtMs), ttl).catch(() => undefined);
    },
  };
}
