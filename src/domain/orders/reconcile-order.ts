import { reconcilable } from './reconcilable.js';
import { recordFact, scheduleReconciliation, type RecordDeps } from './record-fact.js';

/** Re-reads one order upstream (the reconciliation poller's unit of work). */
export async function reconcileOrder(deps: RecordDeps, orderId: string): Promise<void> {
  const order = await deps.store.orders.get(orderId);
  if (!order) return deps.store.schedule.unschedule(orderId);
  const adapter = deps.adapters.get(order.provider);
  if (!reconcilable(adapter, order)) return deps.store.schedule.unschedule(orderId);
  const fact = await adapter.fetchOrder(order);
  if (fact) await recordFact(deps, order.id, fact, 'RECONCILIATION');
  else await scheduleReconciliation(deps, order);
}
