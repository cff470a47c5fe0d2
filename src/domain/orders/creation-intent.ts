import { storeKeys } from '../../store/keys.js';
import type { Money } from '../money.js';
import type { LineItem, Provider } from '../order.js';
import type { CreationAttempt, CreationLookup } from '../provider-port.js';
import type { OrderDeps } from './deps.js';

/*
 * Intent before call for order creations (createOrder, placeAdyenOrder): what is about to be
 * created is stored before the provider is asked, so that a creation whose answer never came (a
 * timeout, a crash, the store down after the call) is found out later by asking the provider
 * (lost-creation.ts), never by creating again blindly. Three writes, together, before the call:
 *   - the intent itself (`intent:create:<orderId>`), read by a retry and by the sweep;
 *   - with an idempotency key, which order id that key's creation was given: a retry finds the
 *     first attempt's intent (or its order) through it, also after the key's claim was released
 *     or ran out;
 *   - the order id on the reconciliation schedule, due once the call must be over: the sweep
 *     (reconcile-order.ts) looks at an intent nobody cleared. A creation that ends normally moves
 *     that entry like any order's (storeAccepted) or takes it off.
 * Each is one key (Redis Cluster: every kv key lands on its own slot, the schedule on its bucket).
 */

/** How long a creation's intent outlives an answer that never came: as long as idempotency keys are kept. */
export const CREATION_INTENT_TTL_MS = 24 * 60 * 60 * 1000;

export interface CreationIntent {
  orderId: string;
  provider: Provider;
  /** The creator's `sub`: the owner of the order if it is adopted. */
  owner: string;
  /** The client's reference (Order.reference), if any. */
  reference: string | null;
  /** The request's fingerprint (idempotency.ts): a retry with the same key but another input is refused. */
  fingerprint: string | null;
  total: Money | null;
  items: LineItem[];
  /** When the call was about to be sent (ISO). */
  since: string;
  /** What the adapter asked to keep for finding the order (ProviderAdapter.creationLookup). */
  lookup: CreationLookup;
  /**
   * Set when the call failed with the provider's own answer (a 500, a body that is no good): it
   * had finished with the request, so an order it does not show now was never made.
   */
  answered?: true;
}

/** A creation's idempotency key, when it has one. */
export interface CreationKey {
  caller: string;
  operation: string;
  key: string;
}

type IntentDeps = Pick<OrderDeps, 'store' | 'creationSettleMs'>;

/** The store entry holding the intent of `orderId`. */
export function intentEntryOf(orderId: string): string {
  return storeKeys.creationIntent(orderId);
}

/** Writes the intent (and its key's pointer and the sweep's schedule entry); a store that fails fails the creation with nothing sent. */
export async function recordCreationIntent(deps: IntentDeps, intent: CreationIntent, key?: CreationKey): Promise<void> {
  await Promise.all([
    deps.store.kv.set(storeKeys.creationIntent(intent.orderId), JSON.stringify(intent), CREATION_INTENT_TTL_MS),
    key ? deps.store.kv.set(keyPointer(key), intent.orderId, CREATION_INTENT_TTL_MS) : undefined,
    deps.store.schedule.schedule(intent.orderId, Date.parse(intent.since) + deps.creationSettleMs),
  ]);
}

/** The intent of `orderId` with its stored text (for a delete that must not remove a newer one), or null. */
export async function readCreationIntent(deps: Pick<OrderDeps, 'store'>, orderId: string): Promise<{ intent: CreationIntent; raw: string } | null> {
  const raw = await deps.store.kv.get(storeKeys.creationIntent(orderId));
  return raw === null ? null : { intent: JSON.parse(raw) as CreationIntent, raw };
}

/** The order id the first creation with this key was given, if it left one. */
export function orderIdOfKey(deps: Pick<OrderDeps, 'store'>, key: CreationKey): Promise<string | null> {
  return deps.store.kv.get(keyPointer(key));
}

/** The call failed with the provider's own answer (see CreationIntent.answered). Best effort: else the bound applies. */
export async function markCreationAnswered(deps: Pick<OrderDeps, 'store'>, intent: CreationIntent): Promise<void> {
  const answered: CreationIntent = { ...intent, answered: true };
  await deps.store.kv.set(storeKeys.creationIntent(intent.orderId), JSON.stringify(answered), CREATION_INTENT_TTL_MS).catch(() => undefined);
}

/** The order is stored (or the creation surely made nothing): the intent has nothing left to say. Best effort: else it expires. */
export async function clearCreationIntent(deps: Pick<OrderDeps, 'store'>, orderId: string, raw?: string): Promise<void> {
  const key = storeKeys.creationIntent(orderId);
  await (raw === undefined ? deps.store.kv.delete(key) : deps.store.kv.deleteIfEquals(key, raw).then(() => undefined)).catch(() => undefined);
}

/** The creation surely made nothing upstream: nothing to look for, by the sweep or by a retry. */
export async function dropCreationIntent(deps: Pick<OrderDeps, 'store'>, orderId: string, key?: CreationKey): Promise<void> {
  await Promise.all([
    clearCreationIntent(deps, orderId),
    key ? deps.store.kv.delete(keyPointer(key)).catch(() => undefined) : undefined,
    deps.store.schedule.unschedule(orderId).catch(() => undefined),
  ]);
}

/** The key's first result is stored for good (its idempotency entry is done): the pointer is no longer needed. */
export async function forgetCreationKey(deps: Pick<OrderDeps, 'store'>, key: CreationKey): Promise<void> {
  await deps.store.kv.delete(keyPointer(key)).catch(() => undefined);
}

/** The intent as the adapter's `findCreated` sees it. */
export function attemptOf(intent: CreationIntent): CreationAttempt {
  return {
    orderId: intent.orderId,
    ...(intent.reference !== null ? { reference: intent.reference } : {}),
    ...(intent.total ? { total: intent.total } : {}),
    items: intent.items,
    since: new Date(intent.since),
    lookup: intent.lookup,
  };
}

function keyPointer({ caller, operation, key }: CreationKey): string {
  return storeKeys.creationOfKey(caller, operation, key);
}
