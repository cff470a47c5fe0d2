import { DuplicateOrderError, ProviderOrderTakenError } from '../../store/types.js';
import { GatewayError } from '../errors.js';
import type { Order } from '../order.js';
import { reconcileDelayMs } from '../reconcile-delay.js';
import { attemptOf, clearCreationIntent, readCreationIntent, type CreationIntent } from './creation-intent.js';
import type { OrderDeps } from './deps.js';
import { storedOrder } from './record-fact.js';
import { storeAccepted } from './store-accepted.js';

/*
 * A creation whose answer never came (creation-intent.ts) is resolved by asking the provider for
 * the order it may have made, by the merchant reference the adapter sent: found, the order is
 * adopted under the id the first attempt gave it (stored exactly as the answer would have been);
 * surely absent, the creation made nothing; otherwise the outcome stays unknown and nothing is
 * created again. A client's retry with the same key (create-order.ts) and the reconciliation
 * sweep (reconcile-order.ts) both come here.
 */

type LostDeps = Pick<OrderDeps, 'store' | 'adapters' | 'now' | 'reconcileIntervalMs' | 'callbackGraceMs' | 'sleep' | 'creationSettleMs'>;

export type LostCreation = { state: 'adopted'; order: Order } | { state: 'absent' } | { state: 'unknown'; error: GatewayError };

/** Asks the intent's provider for the order; see LostCreation. Adopting clears the intent. */
export async function findLostCreation(deps: LostDeps, intent: CreationIntent, raw: string): Promise<LostCreation> {
  const stored = await deps.store.orders.get(intent.orderId);
  if (stored) {
    await clearCreationIntent(deps, intent.orderId, raw);
    return { state: 'adopted', order: stored };
  }
  const adapter = deps.adapters.get(intent.provider);
  if (!adapter?.findCreated) {
    return unknown(
      `${intent.provider} cannot be asked for an order by its reference, so it is not created again`,
      undefined,
      `Check with ${intent.provider}; a new idempotency key creates a new order.`,
    );
  }
  let found;
  try {
    found = await adapter.findCreated(attemptOf(intent));
  } catch (error) {
    if (error instanceof GatewayError && (error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_REJECTED')) {
      return unknown(`${intent.provider} could not be asked for it now`, error);
    }
    throw error;
  }
  if (!found) {
    // The provider may still be recording a call that timed out on our side: "not there" counts
    // only once the call must be over, or when the provider's own answer said it was done.
    const settling = deps.now().getTime() - Date.parse(intent.since) < deps.creationSettleMs;
    if (settling && !intent.answered) return unknown(`${intent.provider} does not show it yet`);
    return { state: 'absent' };
  }
  const known = found.providerOrderId ? await deps.store.orders.findByProviderOrderId(intent.provider, found.providerOrderId) : null;
  if (known) return foundUnderAnotherId(deps, intent, raw, known);
  let order: Order;
  try {
    order = await storeAccepted(deps, intent.owner, intent.provider, intent.orderId, found);
  } catch (error) {
    // Stored under another id between the look above and this write (a listing's adoption).
    if (error instanceof ProviderOrderTakenError) return foundUnderAnotherId(deps, intent, raw, error.holder);
    // The first attempt (its store came back) or another instance's sweep stored it meanwhile.
    if (!(error instanceof DuplicateOrderError)) throw error;
    order = await storedOrder(deps, intent.orderId);
  }
  await clearCreationIntent(deps, intent.orderId, raw);
  return { state: 'adopted', order };
}

/**
 * The provider order found is already stored. Under this creation's own id: another look at the
 * same intent (the sweep, or a retry beside it) adopted it a moment ago, and that is the order.
 * Adopted from a listing (`orders`): that is the order. One the gateway created itself is another
 * creation's that reused the reference: not this one.
 */
async function foundUnderAnotherId(deps: LostDeps, intent: CreationIntent, raw: string, known: Order): Promise<LostCreation> {
  // Before, a client's retry that looked just as the sweep adopted the order was told the provider
  // "shows only an earlier order with the same reference" (PROVIDER_UNAVAILABLE), once.
  if (known.id !== intent.orderId && known.events[0]?.source === 'CLIENT') return unknown(`${intent.provider} shows only an earlier order with the same reference`);
  await clearCreationIntent(deps, intent.orderId, raw);
  return { state: 'adopted', order: known };
}

function unknown(why: string, cause?: unknown, advice = 'Retry later with the same idempotency key.'): LostCreation {
  const message = `The first attempt of this creation may have created the order upstream and its outcome is unknown: ${why}. ${advice}`;
  return { state: 'unknown', error: new GatewayError('PROVIDER_UNAVAILABLE', message, cause === undefined ? {} : { cause }) };
}

/**
 * The sweep's unit of work for an order id on the schedule with no order stored: a creation
 * intent nobody cleared. Before the call must be over it waits; then it asks the provider (less
 * often as the intent ages, at least every five minutes) until the intent is adopted, surely
 * absent (dropped), or expires. A
 * provider that cannot be asked at all leaves the intent to the retries (which refuse to create
 * again) until it expires. False when there is no intent (the id is taken off the schedule).
 */
export async function sweepLostCreation(deps: LostDeps, orderId: string): Promise<boolean> {
  const read = await readCreationIntent(deps, orderId);
  if (!read) return false;
  const { intent, raw } = read;
  const now = deps.now().getTime();
  const settledAt = Date.parse(intent.since) + deps.creationSettleMs;
  if (now < settledAt) {
    await deps.store.schedule.schedule(orderId, settledAt);
    return true;
  }
  const outcome = await findLostCreation(deps, intent, raw);
  if (outcome.state === 'absent') {
    await clearCreationIntent(deps, orderId, raw);
    await deps.store.schedule.unschedule(orderId);
  } else if (outcome.state === 'unknown') {
    // Asked again less often as it ages (as a waiting order is read), until it is found or expires.
    const delay = reconcileDelayMs({ updatedAt: intent.since }, deps.creationSettleMs, now);
    if (deps.adapters.get(intent.provider)?.findCreated) await deps.store.schedule.schedule(orderId, now + delay);
    else await deps.store.schedule.unschedule(orderId);
  }
  return true;
}
