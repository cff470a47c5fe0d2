import type { KeyValueStore } from '../../store/types.js';

/**
 * How long a callback's transaction id is kept for a later read: the buyer's payment is on its way
 * to a read replica or the transaction is not yet served (seconds), and reconciliation reads a
 * waiting order every interval. A day covers a Dintero down for hours, as the grace after a
 * session's expiry does not need more.
 */
const CALLED_BACK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * At most this many ids are kept per order: a session may take more than one try (round two), and
 * since round twenty-two a callback written unencoded keeps each reading of its id (webhook.ts).
 */
const KEPT_PER_ORDER = 6;

/**
 * Transaction ids that callbacks named for an order when Dintero could not yet read them (round
 * twenty-one). The seed says a callback comes "with the session_id and its corresponding
 * transaction", and shows no session read; a Dintero that calls back before its transaction can be
 * read (a replica behind, a transaction served once its callback was answered) and does not send a
 * refused callback again left nothing else naming the transaction: without the session read, the
 * paid order stayed CREATED for good. The ids are unverified (a callback is unsigned): they only
 * say which transaction reconciliation reads, and a read is believed only where the transaction
 * names the order itself (reconcile.ts calledBackTransaction).
 */
export interface CalledBackTransactions {
  /** The ids kept for the Dintero order, newest first. */
  get(dinteroOrderId: string): Promise<string[]>;
  /** Kept best effort: a store that fails leaves the order as it was before (the poller, the session). */
  add(dinteroOrderId: string, transactionId: string): Promise<void>;
}

export function createCalledBackTransactionStore(kv: KeyValueStore, accountId: string): CalledBackTransactions {
  const keyOf = (dinteroOrderId: string): string => `dintero:called-back:${accountId}:${dinteroOrderId}`;
  const read = async (dinteroOrderId: string): Promise<string[]> => {
    const text = await kv.get(keyOf(dinteroOrderId)).catch(() => null);
    if (!text) return [];
    try {
      const ids: unknown = JSON.parse(text);
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    get: read,
    async add(dinteroOrderId, transactionId) {
      const ids = [transactionId, ...(await read(dinteroOrderId)).filter((id) => id !== transactionId)].slice(0, KEPT_PER_ORDER);
      await kv.set(keyOf(dinteroOrderId), JSON.stringify(ids), CALLED_BACK_TTL_MS).catch(() => undefined);
    },
  };
}
