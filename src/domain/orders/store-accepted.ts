import { DuplicateOrderError, ProviderOrderTakenError, type AlongWithCreate, type CreatedAlong } from '../../store/types.js';
import { newOrder } from '../observation.js';
import type { Order, Provider } from '../order.js';
import type { CreatedOrder } from '../provider-port.js';
import { noteMandates } from './charge-without-buyer.js';
import type { OrderDeps } from './deps.js';
import { applyParked, parkedKeysOf } from './parked-facts.js';
import { reconcileAt, storedOrder, type RecordDeps } from './record-fact.js';

/** Attempts to store an order the provider already accepted, 200 ms apart and growing (~3 s). */
const STORE_ATTEMPTS = 5;
const STORE_RETRY_MS = 200;

/**
 * Stores an order the provider has just accepted (createOrder, placeAdyenOrder), with its first
 * facts and any callbacks parked for it while the provider was still answering. In the same step
 * as the order (one Redis round trip; AlongWithCreate): its reconciliation schedule entry, the
 * parked callbacks taken, and the store entries in `forget` deleted (a creation's intent).
 */
export async function storeAccepted(
  deps: RecordDeps & Pick<OrderDeps, 'sleep'>,
  owner: string,
  provider: Provider,
  orderId: string,
  created: CreatedOrder,
  forget: readonly string[] = [],
): Promise<Order> {
  const at = deps.now().toISOString();
  const order = newOrder(
    {
      id: orderId,
      provider,
      owner,
      total: created.total,
      items: created.items,
      creation: { status: 'STOPPED', infos: [] },
      createdAt: at,
      ...(created.providerOrderId ? { providerOrderId: created.providerOrderId } : {}),
      ...(created.reference ? { reference: created.reference } : {}),
    },
    created.observation,
    'CLIENT',
    at,
    created.observation.type,
  );
  return createWithParked(deps, order, forget, (along) => storeWithRetries(deps, order, along));
}

/**
 * A new order stored in one step (one Redis round trip; AlongWithCreate) with its reconciliation
 * schedule entry and the callbacks parked for it while the gateway did not know it taken, and
 * the store entries in `forget` deleted; then those callbacks applied. Shared by every way an
 * order comes to be stored: a creation the provider accepted (here) and an order adopted from a
 * provider's listing (list-orders.ts). `create` writes it (default: the store's createAlong).
 */
export async function createWithParked(
  deps: RecordDeps,
  order: Order,
  forget: readonly string[] = [],
  create: (along: AlongWithCreate) => Promise<CreatedAlong> = (along) => deps.store.orders.createAlong(order, along),
): Promise<Order> {
  const along: AlongWithCreate = { scheduleAt: reconcileAt(deps, order), take: parkedKeysOf(order), forget };
  const { order: stored, taken, alongFailed } = await create(along);
  // Parked callbacks are applied after the order's write (a change of their own, rescheduling it).
  const applied = await applyParked(deps, stored.id, along.take, taken);
  if (alongFailed !== undefined) throw alongFailed;
  await noteMandates(deps, stored);
  // The answer is the order as its write stored it (a callback stored after it is the next change,
  // pushed to subscribers); with parked callbacks applied just now, as they left it.
  return applied ? storedOrder(deps, stored.id) : stored;
}

/**
 * The provider has accepted the order; losing it now would leave it known only upstream. A
 * store that fails for a moment (a Redis failover) is retried for a few seconds before giving up.
 */
async function storeWithRetries(deps: Pick<OrderDeps, 'store' | 'sleep'>, order: Order, along: AlongWithCreate): Promise<CreatedAlong> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.store.orders.createAlong(order, along);
    } catch (error) {
      // A refusal is an answer, not a failure of the store: not retried.
      if (error instanceof DuplicateOrderError || error instanceof ProviderOrderTakenError || attempt >= STORE_ATTEMPTS) throw error;
      await deps.sleep(STORE_RETRY_MS * attempt);
    }
  }
}
