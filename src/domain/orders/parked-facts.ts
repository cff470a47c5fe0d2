import { storeKeys } from '../../store/keys.js';
import type { ProviderObservation } from '../observation.js';
import type { Order, Provider } from '../order.js';
import type { WebhookFact } from '../provider-port.js';
import { recordFact, type RecordDeps } from './record-fact.js';

/*
 * Callback facts that arrived before their order was stored (the callback beat the create call's
 * response) are parked in the store and applied when the order is stored, so none is lost.
 */

/** How long a callback that arrived before its order was stored is kept waiting for it. */
const PARKED_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Parks a fact for an order not stored yet: under the gateway's id when the provider named it
 * (such an order may not learn the provider's id before this very fact, so it could never be
 * found under that), else under the provider's id.
 */
export async function parkFact(deps: Pick<RecordDeps, 'store'>, provider: Provider, fact: WebhookFact & { observation: ProviderObservation }): Promise<void> {
  const handle = fact.orderId ? storeKeys.parkedHandleOfOwnId(fact.orderId) : fact.providerOrderId;
  if (handle === undefined) return;
  await deps.store.kv.append(storeKeys.parkedFacts(provider, handle), JSON.stringify(fact.observation), PARKED_TTL_MS);
}

/** Where callbacks for this order may be parked: under the gateway's id, and under the provider's. */
export function parkedKeysOf(order: Pick<Order, 'id' | 'provider' | 'providerOrderId'>): string[] {
  const handles = [storeKeys.parkedHandleOfOwnId(order.id), ...(order.providerOrderId ? [order.providerOrderId] : [])];
  return handles.map((handle) => storeKeys.parkedFacts(order.provider, handle));
}

/** Applies the facts parked for a just-stored order; true when it applied any. */
export async function drainParked(deps: RecordDeps, order: Order): Promise<boolean> {
  const keys = parkedKeysOf(order);
  // Both taken at once (one round trip with Redis), then applied in the same order as before.
  const batches = await Promise.all(keys.map((key) => deps.store.kv.takeAll(key)));
  return applyParked(deps, order.id, keys, batches);
}

/**
 * Applies facts taken from the parked lists `keys` (one batch per key, oldest first); true when
 * there were any. What cannot be applied is parked again, so none is lost.
 */
export async function applyParked(deps: RecordDeps, orderId: string, keys: readonly string[], batches: readonly string[][]): Promise<boolean> {
  for (const [index, parked] of batches.entries()) {
    for (const [position, raw] of parked.entries()) {
      try {
        await recordFact(deps, orderId, JSON.parse(raw) as ProviderObservation, 'WEBHOOK');
      } catch (error) {
        // Taken but not applied: parked again, so the next drain (or reconciliation) applies
        // them. Those callbacks were acknowledged; dropping them would lose them for good.
        await repark(deps, keys, batches, index, position).catch(() => undefined);
        throw error;
      }
    }
  }
  return batches.some((parked) => parked.length > 0);
}

/** Parks again what `drainParked` took from batch `index`, fact `position` on. */
async function repark(deps: Pick<RecordDeps, 'store'>, keys: readonly string[], batches: readonly string[][], index: number, position: number): Promise<void> {
  for (const [at, parked] of batches.entries()) {
    if (at < index) continue;
    for (const raw of at === index ? parked.slice(position) : parked) await deps.store.kv.append(keys[at]!, raw, PARKED_TTL_MS);
  }
}
