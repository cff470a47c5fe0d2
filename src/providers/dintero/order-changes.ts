import { GatewayError, invalidState } from '../../domain/errors.js';
import { applyObservation, type ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { DinteroDeps } from './deps.js';
import { applyMoneyChange, type ChangeOutcome } from './money-change.js';
import { dataOf } from './provider-data.js';
import { fetchDinteroOrder } from './reconcile.js';

/**
 * applyOrderChanges: elements for different orders run side by side; elements for the same order
 * one after another, each seeing what the one before did (its recordings count against the lines).
 */
export async function applyDinteroOrderChanges(deps: DinteroDeps, requests: OrderChangeRequest[]): Promise<OrderChangeResult[]> {
  const results: OrderChangeResult[] = new Array<OrderChangeResult>(requests.length);
  const byOrder = new Map<string, number[]>();
  requests.forEach((request, index) => byOrder.set(request.order.id, [...(byOrder.get(request.order.id) ?? []), index]));
  await Promise.all(
    [...byOrder.values()].map(async (indexes) => {
      let carried: Order | undefined;
      for (const index of indexes) {
        const request = requests[index];
        if (!request) continue;
        const order = carried ?? request.order;
        const result = await applyChanges(deps, { order, changes: request.changes });
        results[index] = result;
        const at = new Date(deps.now()).toISOString();
        carried = result.observations.reduce((next, fact) => applyObservation(next, fact, 'CLIENT', at) ?? next, order);
      }
    }),
  );
  return results;
}

/** One applyOrderEvents element: its changes in order (under the domain's change lease of the order). */
async function applyChanges(deps: DinteroDeps, { order, changes }: OrderChangeRequest): Promise<OrderChangeResult> {
  const observations: ProviderObservation[] = [];
  let done = 0;
  // Changes before `done` took effect; the one at `done` too when its outcome is unknown (the
  // service then keeps its idempotency key, so a retry does not send it again).
  const fail = (error: unknown, unknownOutcome: boolean): OrderChangeResult => ({
    ok: false,
    error: error instanceof Error ? error : new Error(String(error)),
    observations,
    applied: changes.map((_, index) => index < done || (unknownOutcome && index === done)),
  });
  const transactionId = dataOf(order).transactionId;
  if (!transactionId || !order.providerOrderId) return fail(invalidState('The order has no Dintero transaction yet'), false);
  // The domain runs this order's changes one at a time (its change lease), so the journal read
  // here holds every earlier change's movements.
  try {
    const journal = deps.journalOf(order.id);
    const journaled = await journal.read();
    let current = order;
    for (const change of changes) {
      let outcome: ChangeOutcome;
      try {
        outcome = await applyMoneyChange(deps, current, transactionId, change, journal, journaled);
      } catch (error) {
        // Refused before or by Dintero: this change and the rest did not happen.
        const fact = await afterRefusal(deps, current, error);
        if (fact) observations.push(fact);
        return fail(error, false);
      }
      observations.push(outcome.observation);
      if (outcome.unknown) return fail(outcome.unknown, true);
      done += 1;
      current = applyObservation(current, outcome.observation, 'CLIENT', new Date(deps.now()).toISOString()) ?? current;
    }
    return { ok: true as const, observations };
  } catch (error) {
    return fail(error, false); // the store failed before any money moved (reading the journal)
  }
}

/**
 * What Dintero's refusal of a capture, refund or void may mean: the transaction moved without the
 * gateway (an authorization voided when it expired, a capture or refund in Dintero's back office;
 * the seed names a callback for the payment only). The order is then re-read as reconciliation
 * reads it, and the fact goes with the refusal where it shows the transaction elsewhere than the
 * order does. Before, the order kept its status (AUTHORIZED) for good: a settled order is not
 * polled, so every capture was refused with nothing saying why. A re-read that fails changes nothing.
 */
async function afterRefusal(deps: DinteroDeps, order: Order, error: unknown): Promise<ProviderObservation | undefined> {
  if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_REJECTED') return undefined;
  const fact = await fetchDinteroOrder(deps, order).catch(() => null);
  if (!fact || (fact.status === order.status && fact.providerStatus === order.providerStatus)) return undefined;
  return fact;
}
