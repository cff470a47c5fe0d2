import { DuplicateOrderError, ProviderOrderTakenError } from '../../store/types.js';
import { badInput, GatewayError, mayHaveReachedProvider, providerFinished } from '../errors.js';
import type { Order, Provider } from '../order.js';
import type { CreatedOrder } from '../provider-port.js';
import {
  clearCreationIntent,
  dropCreationIntent,
  forgetCreationKey,
  intentEntryOf,
  markCreationAnswered,
  orderIdOfKey,
  readCreationIntent,
  recordCreationIntent,
  type CreationIntent,
  type CreationKey,
} from './creation-intent.js';
import type { OrderDeps } from './deps.js';
import { findLostCreation } from './lost-creation.js';
import { storedOrder } from './record-fact.js';
import { storeAccepted } from './store-accepted.js';
import { creationEnded, creationStarted } from './creations-in-flight.js';

/** What a creation is, as its intent records it (the id and `since` are added here). */
export type Creation = Omit<CreationIntent, 'fingerprint' | 'since'>;

/** The creation's idempotency key and the request's fingerprint. */
export interface Keyed {
  key: CreationKey;
  fingerprint: string;
  /** The input path of the key, for BAD_USER_INPUT. */
  field: string;
}

/**
 * Creates an order at most once (createOrder, placeAdyenOrder): intent first, then the provider
 * call (`call`, given the order id to use), then the order stored. With a key, at most once per
 * key: a repeat answers the first result (idempotency.ts), and a retry after an unknown outcome
 * finds the first attempt's order upstream before anything is created again (lost-creation.ts).
 */
export async function createOnce(deps: OrderDeps, creation: Creation, keyed: Keyed | null, call: (orderId: string) => Promise<CreatedOrder>): Promise<Order> {
  if (!keyed) return createNow(deps, creation, null, call);
  const { key, fingerprint, field } = keyed;
  // The key's claim lasts as long as a creation may take (its call and the store's retries), not
  // the usual two minutes: a retry after a holder that died takes over then, and is still safe,
  // because it first looks for what the dead holder's intent may have created (earlierAttempt).
  const orderId = await deps.idempotency.runOnce(
    { ...key, field },
    fingerprint,
    async () => {
      const earlier = await earlierAttempt(deps, keyed);
      if (earlier && 'order' in earlier) return earlier.order.id;
      // The first attempt surely made nothing: created now, under the same id (and so the same reference sent).
      const orderIdNow = earlier?.orderId ?? creation.orderId;
      return (await createNow(deps, { ...creation, orderId: orderIdNow }, keyed, call)).id;
    },
    deps.creationSettleMs,
  );
  void forgetCreationKey(deps, key); // the key's entry answers repeats from now on (not waited for: best effort)
  return storedOrder(deps, orderId);
}

/**
 * The first attempt with this key, if it left something: its order (stored, or found upstream and
 * adopted now), or the id it was given when the provider surely has no order from it. Null: no
 * earlier attempt left anything. Throws PROVIDER_UNAVAILABLE while its outcome is unknown.
 */
async function earlierAttempt(deps: OrderDeps, { key, fingerprint, field }: Keyed): Promise<{ order: Order } | { orderId: string } | null> {
  const orderId = await orderIdOfKey(deps, key);
  if (!orderId) return null;
  const read = await readCreationIntent(deps, orderId);
  if (!read) {
    const stored = await deps.store.orders.get(orderId);
    return stored ? { order: stored } : null;
  }
  if (read.intent.fingerprint !== fingerprint) throw badInput(field, 'This idempotency key was already used with a different input');
  const outcome = await findLostCreation(deps, read.intent, read.raw);
  if (outcome.state === 'unknown') throw outcome.error;
  return outcome.state === 'adopted' ? { order: outcome.order } : { orderId };
}

async function createNow(deps: OrderDeps, creation: Creation, keyed: Keyed | null, call: (orderId: string) => Promise<CreatedOrder>): Promise<Order> {
  const { orderId, provider, owner } = creation;
  // Intent first: a store that cannot be reached fails here (SERVICE_UNAVAILABLE) with nothing
  // sent upstream, and a creation whose answer never got stored stays on record.
  const startedAt = deps.now();
  const intent: CreationIntent = { ...creation, fingerprint: keyed?.fingerprint ?? null, since: startedAt.toISOString() };
  // Issued together: one round trip (ioredis pipelines what one tick sends).
  await Promise.all([recordCreationIntent(deps, intent, keyed?.key), creationStarted(deps, provider, orderId, startedAt.getTime())]);
  try {
    let created: CreatedOrder;
    try {
      created = await call(orderId);
    } catch (error) {
      if (madeNothing(error)) await dropCreationIntent(deps, orderId, keyed?.key);
      else if (providerFinished(error)) await markCreationAnswered(deps, intent);
      throw error;
    }
    try {
      // The intent goes in the same step as the order is stored.
      return await storeAccepted(deps, owner, provider, orderId, created, [intentEntryOf(orderId)]);
    } catch (error) {
      if (error instanceof ProviderOrderTakenError) {
        await dropCreationIntent(deps, orderId, keyed?.key);
        throw anotherOrdersAnswer(provider);
      }
      // The reconciliation sweep found and adopted it first (a slow answer): the same order.
      if (!(error instanceof DuplicateOrderError)) throw error;
      const order = await storedOrder(deps, orderId);
      void clearCreationIntent(deps, orderId); // not waited for: else it expires, and the order is stored
      return order;
    }
  } finally {
    creationEnded(deps, provider, orderId, startedAt.getTime());
  }
}

/**
 * A provider answer naming an order that another of the gateway's orders already holds is no new
 * order: it is refused (PROVIDER_REJECTED, nothing stored, the intent dropped as "made nothing").
 * A provider idempotent by the merchant's reference (an Intergiro keeping one order per `number`)
 * answers a second creation under a reference with the order it already has, as it stands. Before,
 * that answer was stored as the new order: any `orders:create` caller naming another shop's (or
 * buyer's) reference got a second gateway order showing the first one's status (CAPTURED, with no
 * money moved) and items, and the provider-id index then pointed at it, so the provider's
 * callbacks for the first order (its charge, refund, cancel) went to the newcomer's and the first
 * order stopped moving. Only the store knows which provider orders are taken, so the store's write
 * refuses it (ProviderOrderTakenError; on one Redis in the write's own step, so two creations
 * answered the same provider order at once store one), for every provider (Pei's and Intershop's
 * adapters keep a claim of their own too, src/providers/answered-orders.ts). The order's own id
 * (a retry of this very creation) is no other order.
 */
function anotherOrdersAnswer(provider: Provider): GatewayError {
  return new GatewayError(
    'PROVIDER_REJECTED',
    `${provider} answered with an order it had already made for another order (under the same reference?): it made no new one; use a reference of this order's own`,
    { providerCode: 'existing_order', providerField: 'reference' },
  );
}

/**
 * A failure after which the provider surely holds no order from the call: its refusal (or the
 * adapter's own check), or a call never sent (an open breaker, a refused connection). Anything
 * else (a timeout, a reset, a 5xx, a store that failed after the call, a refusal relaying a third
 * party's unknown outcome) may have created it.
 */
function madeNothing(error: unknown): boolean {
  if (error instanceof GatewayError && (error.code === 'SERVICE_UNAVAILABLE' || error.details.outcomeUnknown)) return false;
  return !mayHaveReachedProvider(error);
}
