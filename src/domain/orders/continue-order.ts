import { requireOwnCreation, requireScope, type Caller } from '../caller.js';
import { compact } from '../compact.js';
import { invalidState, notFound, notSupported, RefusalWithFact } from '../errors.js';
import type { ProviderObservation } from '../observation.js';
import type { Order } from '../order.js';
import type { ContinueCreationInput, RedirectStatus, ReturnUrls } from '../provider-port.js';
import { isFinal } from '../status.js';
import { takeChangeLease } from './change-lease.js';
import { adapterFor, type OrderDeps } from './deps.js';
import { recordFact, type RecordDeps } from './record-fact.js';

/**
 * ContinueOrderCreationInput as GraphQL hands it over (nullable fields arrive as null): the one
 * declaration of its shape; schema/inputs.ts implements the GraphQL input against it.
 */
export interface ContinueOrderCreationInput {
  orderId: string | number;
  returnUrls?: { [K in keyof ReturnUrls]?: string | null } | null;
  redirectResult?: { status: RedirectStatus; parameters?: { name: string; value: string }[] | null } | null;
  /** The provider's own 3-D Secure (or Adyen details) object, passed on as given. */
  threeDS?: NonNullable<unknown> | null;
}

/**
 * CONTRACT continueOrderCreation: the next step of a creation the provider stopped (return URLs,
 * a redirect's result, 3-D Secure). One step at a time per order, under the order's change lease
 * (the one captures and refunds take): two clients continuing at once (a double-clicked 3-D
 * Secure result, a retry while the first is under way) send the step to the provider once; the
 * second waits and is then judged against the order the first left (INVALID_STATE once the
 * creation is over, the next step when the provider asked for another).
 */
export async function continueOrderCreation(deps: RecordDeps & Pick<OrderDeps, 'adapters' | 'sleep' | 'changeLease'>, caller: Caller | null, input: ContinueOrderCreationInput): Promise<Order> {
  const continuer = requireScope(caller, 'orders:create');
  const found = await deps.store.orders.get(String(input.orderId));
  if (!found) throw notFound();
  requireOwnCreation(continuer, found);
  const adapter = adapterFor(deps.adapters, found.provider);
  if (!adapter.continueOrderCreation) throw notSupported(`${found.provider} order creation cannot be continued`);
  requireStopped(found);
  const lease = await takeChangeLease(deps, found.id);
  try {
    const order = lease.order;
    requireStopped(order);
    let fact: ProviderObservation;
    try {
      fact = await adapter.continueOrderCreation(order, stepOf(input));
    } catch (error) {
      // The provider refused the step but said what became of the order (a purchase that ended).
      if (error instanceof RefusalWithFact) await recordFact(deps, order.id, error.fact, 'CLIENT');
      throw error;
    }
    // Not fenced: the provider's answer is a fact about the order, kept whatever else happened.
    return await recordFact(deps, order.id, fact, 'CLIENT');
  } finally {
    await lease.release();
  }
}

function requireStopped(order: Order): void {
  if (order.creation.status !== 'STOPPED' || isFinal(order.status)) {
    throw invalidState(`The order's creation is ${order.creation.status}; there is nothing to continue`);
  }
}

/** The step for the adapter: absent rather than null, a redirect's parameters a list. */
function stepOf(input: ContinueOrderCreationInput): ContinueCreationInput {
  return {
    ...(input.returnUrls ? { returnUrls: compact(input.returnUrls) } : {}),
    ...(input.redirectResult ? { redirectResult: { status: input.redirectResult.status, parameters: input.redirectResult.parameters ?? [] } } : {}),
    ...(input.threeDS !== undefined && input.threeDS !== null ? { threeDS: input.threeDS } : {}),
  };
}
