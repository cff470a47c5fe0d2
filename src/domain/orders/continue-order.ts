import { requireOwnOrder, requireScope, type Caller } from '../caller.js';
import { invalidState, notFound, notSupported, RefusalWithFact } from '../errors.js';
import type { ProviderObservation } from '../observation.js';
import type { Order } from '../order.js';
import type { ContinueCreationInput } from '../provider-port.js';
import { isFinal } from '../status.js';
import { adapterFor, type OrderDeps } from './deps.js';
import { recordFact, type RecordDeps } from './record-fact.js';

export interface ContinueOrderCreationInput extends ContinueCreationInput {
  orderId: string;
}

/** CONTRACT continueOrderCreation: the next step of a creation the provider stopped (return URLs, a redirect's result, 3-D Secure). */
export async function continueOrderCreation(deps: RecordDeps & Pick<OrderDeps, 'adapters'>, caller: Caller | null, input: ContinueOrderCreationInput): Promise<Order> {
  const continuer = requireScope(caller, 'orders:create');
  const order = await deps.store.orders.get(input.orderId);
  if (!order) throw notFound();
  requireOwnOrder(continuer, order);
  const adapter = adapterFor(deps.adapters, order.provider);
  if (!adapter.continueOrderCreation) throw notSupported(`${order.provider} order creation cannot be continued`);
  if (order.creation.status !== 'STOPPED' || isFinal(order.status)) {
    throw invalidState(`The order's creation is ${order.creation.status}; there is nothing to continue`);
  }
  let fact: ProviderObservation;
  try {
    fact = await adapter.continueOrderCreation(order, input);
  } catch (error) {
    // The provider refused the step but said what became of the order (a purchase that ended).
    if (error instanceof RefusalWithFact) await recordFact(deps, order.id, error.fact, 'CLIENT');
    throw error;
  }
  return recordFact(deps, order.id, fact, 'CLIENT');
}
