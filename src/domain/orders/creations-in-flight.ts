import { storeKeys } from '../../store/keys.js';
import type { Provider } from '../order.js';
import type { OrderDeps } from './deps.js';

/*
 * A creation whose provider call is done but whose order is not stored yet is an order the
 * provider lists and the gateway does not know. An `orders` query in that moment adopted it under
 * an id of its own, and the creation then stored its order too: two gateway orders for one
 * provider order (a capture or refund through either; only the provider's own state stopped the
 * second). A listing cannot tell such an order from one made at the provider itself (no listing
 * carries the creation's intent), so it defers, for a moment, adopting what the provider made
 * around a creation still under way (listedDuringCreation); the creation then stores its order,
 * and a later listing adopts only what no creation claimed.
 *
 * One store entry per provider: the newest creation under way (its start and order id), set with
 * the intent (the same round trip) and deleted once its order is stored or it failed (not waited
 * for), bounded by the creation's settle time. Creations that overlap share it: one that ends
 * first leaves it to the newer one (deleteIfEquals), and the older one's orders still fall within
 * CLOCK_MARGIN_MS of the newer start, since a creation lasts at most a provider timeout.
 */

/** How far before a creation's start (the gateway's clock) a listed order's time (the provider's) may be its order. */
const CLOCK_MARGIN_MS = 30_000;

type InFlightDeps = Pick<OrderDeps, 'store' | 'creationSettleMs'>;

/** The entry's value: the creation's start (epoch ms) and its order id, so that only it deletes it. */
const valueOf = (startedAt: number, orderId: string): string => `${startedAt}:${orderId}`;

/** Marks a creation under way with `provider` (before its call; with the intent's writes). */
export function creationStarted(deps: InFlightDeps, provider: Provider, orderId: string, startedAt: number): Promise<void> {
  return deps.store.kv.set(storeKeys.creationInFlight(provider), valueOf(startedAt, orderId), deps.creationSettleMs);
}

/** The creation is over (its order stored, or it failed): best effort, else the entry expires. */
export function creationEnded(deps: InFlightDeps, provider: Provider, orderId: string, startedAt: number): void {
  void deps.store.kv.deleteIfEquals(storeKeys.creationInFlight(provider), valueOf(startedAt, orderId)).catch(() => undefined);
}

/**
 * A check for the listed orders of one query: whether one made at `createdAt` (ISO, the
 * provider's clock) may be a creation's still under way, so that adopting it waits. Reads the
 * store once, and only if asked (a listing with nothing new to adopt costs nothing).
 */
export function listedDuringCreation(deps: Pick<OrderDeps, 'store'>, provider: Provider): (createdAt: string) => Promise<boolean> {
  let since: Promise<number | null> | undefined;
  return async (createdAt) => {
    since ??= deps.store.kv
      .get(storeKeys.creationInFlight(provider))
      .then((value) => (value === null ? null : Number(value.split(':')[0])))
      .catch(() => null);
    const started = await since;
    const made = Date.parse(createdAt);
    return started !== null && Number.isFinite(started) && !(made < started - CLOCK_MARGIN_MS);
  };
}
