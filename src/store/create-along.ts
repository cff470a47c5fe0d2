import type { Order } from '../domain/order.js';
import { ProviderOrderTakenError, type AlongWithCreate, type CreatedAlong, type KeyValueStore, type OrderStore, type ReconcileSchedule } from './types.js';

/**
 * `createAlong` where `along` cannot share the order's atomic step (memory, a Redis Cluster): the
 * provider order's holder looked up, the order, then the rest of it together. Once the order is
 * stored nothing is thrown: a failed part is told in `alongFailed`, beside what was taken, so
 * taken callbacks are never dropped.
 */
export async function createThenAlong(
  parts: {
    create: (order: Order) => Promise<Order>;
    findByProviderOrderId: OrderStore['findByProviderOrderId'];
    kv: Pick<KeyValueStore, 'takeAll' | 'delete'>;
    schedule: Pick<ReconcileSchedule, 'schedule' | 'unschedule'>;
  },
  order: Order,
  along: AlongWithCreate,
): Promise<CreatedAlong> {
  const holder = order.providerOrderId === undefined ? null : await parts.findByProviderOrderId(order.provider, order.providerOrderId);
  if (holder !== null && holder.id !== order.id) throw new ProviderOrderTakenError(holder);
  const stored = await parts.create(order);
  const [scheduled, ...settled] = await Promise.allSettled([
    along.scheduleAt === null ? parts.schedule.unschedule(stored.id) : parts.schedule.schedule(stored.id, along.scheduleAt),
    ...along.take.map((key) => parts.kv.takeAll(key)),
  ]);
  // Forgetting is best effort (the entry expires); nothing waits for it.
  for (const key of along.forget) void parts.kv.delete(key).catch(() => undefined);
  // A take that failed took nothing (it is one step): its callbacks stay parked for the next drain.
  const taken = settled.map((result) => (result.status === 'fulfilled' ? result.value : []));
  const failure = [scheduled, ...settled].find((result) => result.status === 'rejected');
  return { order: stored, taken, ...(failure ? { alongFailed: failure.reason } : {}) };
}
