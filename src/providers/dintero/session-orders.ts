import type { KeyValueStore } from '../../store/types.js';

/** Kept as long as a callback for the session may still come (as the line tables). */
const SESSION_ORDER_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Which Dintero order each checkout session the gateway made pays, in the shared store. A callback
 * names "the session_id and its corresponding transaction" (seed) and a transaction need not name
 * its order; the callback URL's own parameter (webhook.ts ORDER_PARAMETER) names it only while
 * Dintero keeps the URL's query, which the seed does not promise.
 */
export interface SessionOrders {
  get(sessionId: string): Promise<string | undefined>;
  /** Kept for a created order; a store that fails leaves such a callback to the poller. */
  save(sessionId: string, dinteroOrderId: string): Promise<void>;
}

export function createSessionOrderStore(kv: KeyValueStore, accountId: string): SessionOrders {
  const keyOf = (sessionId: string): string => `dintero:session-order:${accountId}:${sessionId}`;
  return {
    async get(sessionId) {
      return (await kv.get(keyOf(sessionId)).catch(() => null)) ?? undefined;
    },
    async save(sessionId, dinteroOrderId) {
      await kv.set(keyOf(sessionId), dinteroOrderId, SESSION_ORDER_TTL_MS).catch(() => undefined);
    },
  };
}
