import { setTimeout as sleep } from 'node:timers/promises';
import type { Order, Provider } from '../domain/order.js';
import { ProviderOrderTakenError, type AlongWithCreate, type CreatedAlong, type KeyValueStore, type OrderStore, type ReconcileSchedule } from './types.js';

/**
 * `createAlong` where `along` cannot share the order's atomic step (memory, a Redis Cluster): the
 * provider order claimed (claimProviderOrder), the order, then the rest of it together. Once the
 * order is stored nothing is thrown: a failed part is told in `alongFailed`, beside what was
 * taken, so taken callbacks are never dropped.
 */
export async function createThenAlong(
  parts: {
    /** claimProviderOrder with the store's own entry and reads. */
    claim: (order: Order) => Promise<void>;
    /** Writes the order (its index entry is the claim's). */
    create: (order: Order) => Promise<Order>;
    kv: Pick<KeyValueStore, 'takeAll' | 'delete'>;
    schedule: Pick<ReconcileSchedule, 'schedule' | 'unschedule'>;
  },
  order: Order,
  along: AlongWithCreate,
): Promise<CreatedAlong> {
  await parts.claim(order);
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

/**
 * How long an index entry naming an order that is not stored (yet) is taken for a creation between
 * its claim and its write, which are one round trip apart, before it is taken for one that died
 * there. A writer stalled longer than this (a failover mid-create) can still meet a creation that
 * took its entry over: then both orders are stored, and the entry names the later one.
 */
export const IN_FLIGHT_GRACE_MS = 2_000;

/**
 * Makes the provider-order index entry name `order` before the order is written, where the two
 * cannot be one atomic step (memory, a Redis Cluster, whose entry is on another slot). The entry
 * is set only when free, already the order's, or naming the holder given as replaceable (one
 * step: `claim`). An entry naming another order that carries the provider order refuses
 * (ProviderOrderTakenError, nothing written); one naming an order that no longer carries it is
 * stale and taken over; one naming an order not stored is waited for (IN_FLIGHT_GRACE_MS) and
 * taken over when it never appears. So two creations answered one provider order at once store
 * one of them.
 */
export async function claimProviderOrder(
  parts: {
    /** Sets the entry as above; answers the id it names afterwards. */
    claim: (order: Order, replaceable: string) => Promise<string>;
    get: OrderStore['get'];
  },
  order: Order,
  graceMs = IN_FLIGHT_GRACE_MS,
): Promise<void> {
  if (order.providerOrderId === undefined) return;
  let replaceable = '';
  for (let attempt = 1; ; attempt++) {
    const named = await parts.claim(order, replaceable);
    if (named === order.id) return;
    const holder = await holdingOrder(parts.get, named, order, graceMs);
    if (holder !== null) throw new ProviderOrderTakenError(holder);
    // Another stale holder each time would be entries changing under us: give up, as a store error.
    if (attempt >= 3) throw new Error(`the provider-order index entry of order ${order.id} kept changing`);
    replaceable = named;
  }
}

/**
 * Whether `order` is the one an index entry for this provider order may name. The index is not
 * cleaned when an order's providerOrderId changes, so an entry is only ever believed after the
 * order it names says so too.
 */
export function carriesProviderOrder(order: Order | null | undefined, provider: Provider, providerOrderId: string | undefined): order is Order {
  return order != null && providerOrderId !== undefined && order.provider === provider && order.providerOrderId === providerOrderId;
}

/**
 * The order `id` an index entry names, when it carries `order`'s provider order: read until it is
 * stored or `graceMs` have passed. Null when it is stored without that provider order, or never
 * appears: the entry is stale.
 */
export async function holdingOrder(get: OrderStore['get'], id: string, order: Order, graceMs = IN_FLIGHT_GRACE_MS): Promise<Order | null> {
  const deadline = Date.now() + graceMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const holder = await get(id);
    if (holder !== null) return carriesProviderOrder(holder, order.provider, order.providerOrderId) ? holder : null;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await sleep(Math.min(pause, left));
  }
}
