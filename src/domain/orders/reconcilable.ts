import type { Order } from '../order.js';
import type { ProviderAdapter } from '../provider-port.js';
import { isFinal } from '../status.js';

/**
 * The one rule for "should the gateway re-read this order upstream": its provider can be read
 * back, the order is still open (or the adapter keeps work for final orders too, see
 * `capabilities.reconcilesFinalOrders`), and the adapter says it is still waiting on the provider,
 * or a capture, refund or cancel of it is still pending (its answer never came). The
 * scheduler, the poller and the read-through refresh all ask this.
 */
export function reconcilable(adapter: ProviderAdapter | undefined, order: Order): adapter is ProviderAdapter & Required<Pick<ProviderAdapter, 'fetchOrder'>> {
  if (!adapter?.fetchOrder) return false;
  // An operation sent whose answer never came is resolved by reading the provider, final or not.
  if (order.pendingOperations?.length) return true;
  if (isFinal(order.status) && !adapter.capabilities.reconcilesFinalOrders) return false;
  return adapter.needsReconciliation(order);
}
