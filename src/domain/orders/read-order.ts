import { storeKeys } from '../../store/keys.js';
import { canSee, requireOrderReader, requireOwnOrder, type Caller } from '../caller.js';
import { GatewayError, notFound } from '../errors.js';
import type { Order } from '../order.js';
import { takeRefreshLease } from '../refresh-lease.js';
import { isFinal } from '../status.js';
import { reconcilable } from './reconcilable.js';
import { recordFact, type RecordDeps } from './record-fact.js';

/** CONTRACT `order(id)`: null when unknown or not visible to the caller. */
export async function readOrder(deps: RecordDeps, caller: Caller | null, id: string): Promise<Order | null> {
  const reader = requireOrderReader(caller);
  const order = await deps.store.orders.get(id);
  if (!order || !canSee(reader, order)) return null;
  return refreshed(deps, order);
}

/** For subscriptions: the order if the caller may watch it; NOT_FOUND otherwise, whether unknown or another's. */
export async function requireWatchable(deps: Pick<RecordDeps, 'store'>, caller: Caller | null, id: string): Promise<Order> {
  const reader = requireOrderReader(caller);
  const order = await deps.store.orders.get(id);
  if (!order) throw notFound();
  requireOwnOrder(reader, order);
  return order;
}

/**
 * Whether `readOrder` answers this order from the store as it is, without asking its provider:
 * only such an answer may be kept by a cache checked against the order's version
 * (server/read-cache.ts). Only an order still open reads through: a final one is answered as
 * stored, whatever the adapter reconciles.
 */
export function answersFromStore(deps: Pick<RecordDeps, 'adapters'>, order: Order): boolean {
  const adapter = deps.adapters.get(order.provider);
  return !adapter?.capabilities.refreshOnRead || isFinal(order.status) || !reconcilable(adapter, order);
}

/**
 * For a provider that reads through (`capabilities.refreshOnRead`), an order still waiting on it is re-read
 * before it is answered, at most once per reconciliation interval however many clients ask
 * (a lease in the store, shared by every instance): reads must not turn into upstream polling.
 * A provider that cannot be reached does not fail the read: the stored state is answered, and
 * the poller keeps trying.
 */
async function refreshed(deps: RecordDeps, order: Order): Promise<Order> {
  const adapter = deps.adapters.get(order.provider);
  if (answersFromStore(deps, order) || !reconcilable(adapter, order)) return order;
  // The same lease bounds the re-reads unsigned webhook hints cause (refresh-lease.ts).
  if (!(await takeRefreshLease(deps.store, storeKeys.refreshLease(order.id), deps.reconcileIntervalMs, deps.now().getTime()))) return order;
  try {
    const fact = await adapter.fetchOrder(order);
    return fact ? await recordFact(deps, order.id, fact, 'RECONCILIATION') : order;
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'PROVIDER_UNAVAILABLE') return order;
    throw error;
  }
}
