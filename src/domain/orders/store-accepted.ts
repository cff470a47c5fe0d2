import { DuplicateOrderError } from '../../store/types.js';
import { newOrder } from '../observation.js';
import type { Order, Provider } from '../order.js';
import type { CreatedOrder } from '../provider-port.js';
import type { OrderDeps } from './deps.js';
import { drainParked } from './parked-facts.js';
import { scheduleReconciliation, storedOrder, type RecordDeps } from './record-fact.js';

/** Attempts to store an order the provider already accepted, 200 ms apart and growing (~3 s). */
const STORE_ATTEMPTS = 5;
const STORE_RETRY_MS = 200;

/**
 * Stores an order the provider has just accepted (createOrder, placeAdyenOrder), with its first
 * facts and any callbacks parked for it while the provider was still answering. `alsoNow` runs
 * right after the order is stored, with the schedule's write and the drain (one round trip with
 * Redis): a creation clears its intent there.
 */
export async function storeAccepted(
  deps: RecordDeps & Pick<OrderDeps, 'sleep'>,
  owner: string,
  provider: Provider,
  orderId: string,
  created: CreatedOrder,
  alsoNow?: () => void,
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
  const stored = await storeWithRetries(deps, order);
  // Together: with Redis they share one round trip. The schedule's write is sent first (on the
  // same connection), so a parked callback that reschedules the order is still the later write.
  const scheduling = scheduleReconciliation(deps, stored);
  const draining = drainParked(deps, stored);
  alsoNow?.();
  const [, drained] = await Promise.all([scheduling, draining]);
  // The answer is the order as this write stored it (a callback stored after it is the next
  // change, pushed to subscribers); parked callbacks applied just now are part of it: read again.
  return drained ? storedOrder(deps, stored.id) : stored;
}

/**
 * The provider has accepted the order; losing it now would leave it known only upstream. A
 * store that fails for a moment (a Redis failover) is retried for a few seconds before giving up.
 */
async function storeWithRetries(deps: Pick<OrderDeps, 'store' | 'sleep'>, order: Order): Promise<Order> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.store.orders.create(order);
    } catch (error) {
      if (error instanceof DuplicateOrderError || attempt >= STORE_ATTEMPTS) throw error;
      await deps.sleep(STORE_RETRY_MS * attempt);
    }
  }
}
