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
 * facts and any callbacks parked for it while the provider was still answering.
 */
export async function storeAccepted(
  deps: RecordDeps & Pick<OrderDeps, 'sleep'>,
  owner: string,
  provider: Provider,
  orderId: string,
  created: CreatedOrder,
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
  // same connection), so a parked callback that reschedules the order is still the later write;
  // the read is sent last, so it sees the order as of then (a concurrent callback included).
  const [, drained, current] = await Promise.all([
    scheduleReconciliation(deps, stored),
    drainParked(deps, stored),
    deps.store.orders.get(stored.id),
  ]);
  // Parked callbacks were applied after that read: read again.
  return drained || !current ? storedOrder(deps, stored.id) : current;
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
