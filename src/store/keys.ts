import type { Provider } from '../domain/order.js';

/**
 * The names of everything the gateway keeps in the shared key-value store (`Store.kv`), in one
 * place: the domain and the poller ask for a key by what it is for, never spell one themselves.
 * Provider adapters name their own (tokens, Dintero's journal, Payway's purchases) in their folder.
 */
export const storeKeys = {
  /**
   * Callback facts kept for an order the gateway has not stored yet. `handle` is the provider's
   * order id, or `parkedHandleOfOwnId(orderId)` when the provider echoed the gateway's own id.
   */
  parkedFacts: (provider: Provider, handle: string): string => `parked:${provider}:${handle}`,
  /** Where facts that named the gateway's own order id are parked (see WebhookFact.orderId). */
  parkedHandleOfOwnId: (orderId: string): string => `order:${orderId}`,
  /** The read-through refresh of one order: at most one per reconciliation interval. */
  refreshLease: (orderId: string): string => `refresh:${orderId}`,
  /** The reconciliation poller's lease on one order: one instance reads it per interval. */
  reconcileLease: (orderId: string): string => `lease:reconcile:${orderId}`,
  /** The lease under which one order's captures, refunds and cancels run one at a time (store/order-lease.ts). */
  changeLease: (orderId: string): string => `lease:change:${orderId}`,
  /** One idempotency key of one caller for one operation. */
  idempotency: (caller: string, operation: string, key: string): string => `idem:${caller}:${operation}:${key}`,
};
