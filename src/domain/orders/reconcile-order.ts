import type { OrderDeps } from './deps.js';
import { sweepLostCreation } from './lost-creation.js';
import { reconcilable } from './reconcilable.js';
import { recordFact, scheduleReconciliation } from './record-fact.js';

/**
 * Re-reads one order upstream (the reconciliation poller's unit of work). An id on the schedule
 * with no order stored is a creation whose answer may have been lost (creation-intent.ts).
 */
export async function reconcileOrder(deps: OrderDeps, orderId: string): Promise<void> {
  const order = await deps.store.orders.get(orderId);
  if (!order) {
    if (!(await sweepLostCreation(deps, orderId))) await deps.store.schedule.unschedule(orderId);
    return;
  }
  const adapter = deps.adapters.get(order.provider);
  if (!reconcilable(adapter, order)) return deps.store.schedule.unschedule(orderId);
  // This read answers every re-read asked for until now; one asked for while it is under way
  // keeps the order due after it (ReconcileSchedule.ask).
  await deps.store.schedule.takeAsk(orderId);
  const fact = await adapter.fetchOrder(order);
  if (fact) await recordFact(deps, order.id, fact, 'RECONCILIATION');
  else await scheduleReconciliation(deps, order);
}
