import { unauthenticated } from '../errors.js';
import type { Order, Provider } from '../order.js';
import type { WebhookFact } from '../provider-port.js';
import { drainParked, parkFact } from './parked-facts.js';
import { recordFact, type RecordDeps } from './record-fact.js';

/**
 * Applies verified callback facts. A fact for an order the gateway has not stored yet (the
 * callback beat the create call's response) is parked and applied when the order is stored,
 * so it is never lost. Resolves once every fact is stored: only then may the route answer 2xx.
 */
export async function acceptWebhookFacts(deps: RecordDeps, provider: Provider, facts: WebhookFact[]): Promise<void> {
  for (const fact of facts) {
    const order = await orderOfFact(deps, provider, fact);
    if (order && fact.onlyForOrderId !== undefined && order.id !== fact.onlyForOrderId) {
      throw unauthenticated('The callback was vouched for another order');
    }
    if (order) {
      // A fact without an observation only says "look again": the poller re-reads the order now
      // (an ask: a read already under way, or a fact recorded meanwhile, does not put it off).
      if (fact.observation) await recordFact(deps, order.id, fact.observationFor?.(order) ?? fact.observation, 'WEBHOOK');
      else await deps.store.schedule.ask(order.id, deps.now().getTime());
      continue;
    }
    if (!fact.observation) continue;
    // Parked facts are drained by the provider's id: one vouched for a gateway order is only kept
    // for that order (it names it as `orderId`), never for whoever later takes the provider's id.
    if (fact.onlyForOrderId !== undefined && fact.orderId !== fact.onlyForOrderId) continue;
    // Nothing to park it under (no id of either side): no order can ever claim it.
    if (fact.orderId === undefined && fact.providerOrderId === undefined) continue;
    await parkFact(deps, provider, { ...fact, observation: fact.observation });
    // The order may have been stored between our look and the append; its creator drains
    // after storing, we drain after appending: whichever runs second sees both.
    const late = await orderOfFact(deps, provider, fact);
    if (late) await drainParked(deps, late);
  }
}

/** The order a callback fact is about: by the provider's id, else by the gateway id it echoed. */
async function orderOfFact(deps: Pick<RecordDeps, 'store'>, provider: Provider, fact: WebhookFact): Promise<Order | null> {
  const known = fact.providerOrderId === undefined ? null : await deps.store.orders.findByProviderOrderId(provider, fact.providerOrderId);
  if (known || !fact.orderId) return known;
  const own = await deps.store.orders.get(fact.orderId);
  // Only an order of this provider that the provider has not named otherwise can be meant (a
  // fact naming no provider id names nothing otherwise).
  const matches =
    own?.provider === provider && (own.providerOrderId === undefined || fact.providerOrderId === undefined || own.providerOrderId === fact.providerOrderId);
  return matches ? own : null;
}
