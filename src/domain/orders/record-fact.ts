import { notFound } from '../errors.js';
import { applyObservation, rememberKeys, type ProviderObservation } from '../observation.js';
import type { EventSource, Order } from '../order.js';
import { checkFence } from './change-lease.js';
import { noteMandates } from './charge-without-buyer.js';
import { reconcileDelayMs } from '../reconcile-delay.js';
import type { OrderDeps } from './deps.js';
import { reconcilable } from './reconcilable.js';
import { resolvePending, withoutIntents, withUnshownInfos, type ShowsOperation } from './pending-operations.js';

/*
 * How every change of a stored order is written: a provider fact through `applyObservation` in
 * one optimistic store write (which also publishes it to subscribers), then the order's place in
 * the reconciliation schedule.
 */

export type RecordDeps = Pick<OrderDeps, 'store' | 'adapters' | 'now' | 'reconcileIntervalMs' | 'callbackGraceMs'>;

/**
 * Applies a provider fact; `requestKeys` are remembered on the order in the same write. With
 * `fence` (a change lease's token) the write is refused (StaleChangeLeaseError) once a later
 * lease holder has stamped the order. `settled`: ids of pending operations the fact answers
 * (removed in the same write), `done` those of them that took effect (pending-operations.ts
 * withoutIntents); any other pending operation the fact's figures show is resolved as done there
 * too (pending-operations.ts).
 */
export async function recordFact(
  deps: RecordDeps,
  orderId: string,
  fact: ProviderObservation,
  source: EventSource,
  requestKeys: readonly string[] = [],
  fence?: number,
  settled: readonly string[] = [],
  done: readonly string[] = [],
): Promise<Order> {
  const now = deps.now();
  const at = now.toISOString();
  const result = await deps.store.orders.update(orderId, (order) => {
    checkFence(order, fence);
    const applied = rememberKeys(order, applyObservation(order, fact, source, at), requestKeys);
    const answered = withoutIntents(applied ?? order, settled, done) ?? applied;
    const adapter = deps.adapters.get(order.provider);
    const shows: ShowsOperation | undefined = adapter?.showsOperation && ((current, operation) => adapter.showsOperation?.(current, operation) ?? true);
    const resolved = resolvePending(answered ?? order, now, shows) ?? answered;
    // A fact's own infos replace the order's: an unshown operation's Info is put back.
    return withUnshownInfos(resolved ?? order) ?? resolved;
  });
  if (!result) throw notFound();
  await scheduleReconciliation(deps, result.order);
  await noteMandates(deps, result.order);
  return result.order;
}

/**
 * Remembers request keys of changes that took effect without a fact to record, and removes the
 * pending operations (`settled` ids) the answer settled, in one write.
 */
export async function rememberRequestKeys(
  deps: Pick<OrderDeps, 'store'>,
  orderId: string,
  requestKeys: readonly string[],
  fence?: number,
  settled: readonly string[] = [],
  done: readonly string[] = [],
): Promise<Order> {
  const result = await deps.store.orders.update(orderId, (order) => {
    checkFence(order, fence);
    const remembered = rememberKeys(order, null, requestKeys);
    return withoutIntents(remembered ?? order, settled, done) ?? remembered;
  });
  return result?.order ?? storedOrder(deps, orderId);
}

/** Puts the order on the reconciliation schedule while it is `reconcilable`, and takes it off once not. */
export async function scheduleReconciliation(deps: RecordDeps, order: Order): Promise<void> {
  const at = reconcileAt(deps, order);
  if (at === null) await deps.store.schedule.unschedule(order.id);
  else await deps.store.schedule.schedule(order.id, at);
}

/** When the order is to be read again (epoch ms), or null while it is not `reconcilable`. */
export function reconcileAt(deps: Pick<RecordDeps, 'adapters' | 'now' | 'reconcileIntervalMs' | 'callbackGraceMs'>, order: Order): number | null {
  const adapter = deps.adapters.get(order.provider);
  if (!reconcilable(adapter, order)) return null;
  const now = deps.now().getTime();
  // A provider that calls back tells of changes itself; an operation without its answer is read at once all the same.
  const safetyNet = adapter.capabilities.callsBack && !order.pendingOperations?.length;
  const shortest = safetyNet ? Math.max(deps.reconcileIntervalMs, deps.callbackGraceMs) : deps.reconcileIntervalMs;
  return now + reconcileDelayMs(order, shortest, now);
}

/** An order this request has just stored or changed; its absence is a bug, not a client error. */
export async function storedOrder(deps: Pick<OrderDeps, 'store'>, id: string): Promise<Order> {
  const order = await deps.store.orders.get(id);
  if (!order) throw new Error(`order ${id} vanished after it was stored`);
  return order;
}
