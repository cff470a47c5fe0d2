import { acquireOrderLease } from '../../store/order-lease.js';
import { GatewayError, notFound } from '../errors.js';
import type { Order } from '../order.js';
import type { OrderDeps } from './deps.js';

/** One order's change lease as the domain holds it: the order as of taking it, and its fencing token. */
export interface ChangeLease {
  /** The order read after the lease was stamped on it: every earlier holder's write is in it. */
  order: Order;
  /** This holder's fencing token (the order's `changeFence` once stamped). */
  fence: number;
  release(): Promise<void>;
}

/**
 * Thrown by a fenced write (`recordFact` with a fence) when a later holder has taken the order's
 * change lease: this holder outlived its lease (a pause, a slow provider) and the order has moved
 * on without it. Its provider answer is not written over the newer holder's work; the order's
 * reconciliation reads the provider and finds what really happened.
 */
export class StaleChangeLeaseError extends GatewayError {
  constructor(orderId: string) {
    super('PROVIDER_UNAVAILABLE', `The change to order ${orderId} outlived its lease; its outcome is read from the provider by reconciliation`);
    this.name = 'StaleChangeLeaseError';
  }
}

/**
 * Takes the lease under which one order's captures, refunds and cancels run one at a time, across
 * calls and gateway instances, and stamps a new fencing token on the order in one atomic write.
 * Two concurrent full captures thus never both reach the provider: the second waits, then is
 * checked against the order the first left (INVALID_STATE). Every write the holder makes is
 * fenced with the token, so a holder whose lease expired cannot overwrite a later holder's
 * order. Another holder keeping it past `changeLeaseWaitMs` answers PROVIDER_UNAVAILABLE.
 */
export async function takeChangeLease(deps: Pick<OrderDeps, 'store' | 'now' | 'sleep' | 'changeLease'>, orderId: string): Promise<ChangeLease> {
  const held = await acquireOrderLease(deps.store.kv, orderId, {
    ttlMs: deps.changeLease.ttlMs,
    waitMs: deps.changeLease.waitMs,
    now: () => deps.now().getTime(),
    sleep: deps.sleep,
  });
  if (!held) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Another change to this order is still in progress; retry with the same idempotency key');
  try {
    const stamped = await deps.store.orders.update(orderId, (order) => ({ ...order, changeFence: (order.changeFence ?? 0) + 1 }));
    if (!stamped) throw notFound();
    return { order: stamped.order, fence: stamped.order.changeFence ?? 0, release: () => held.release().catch(() => undefined) };
  } catch (error) {
    await held.release().catch(() => undefined); // else it expires with its TTL
    throw error;
  }
}

/** The fence check of a write made under a change lease: refuses it once a later holder stamped the order. */
export function checkFence(order: Order, fence: number | undefined): void {
  if (fence !== undefined && (order.changeFence ?? 0) !== fence) throw new StaleChangeLeaseError(order.id);
}
