import { providerUnavailable } from '../../domain/errors.js';
import { paymentTotals, type ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange, type OrderChange } from '../../domain/order-events.js';
import { withPending } from '../../domain/orders/pending-operations.js';
import type { OrderChangeRequest, OrderChangeResult } from '../../domain/provider-port.js';
import type { IntergiroOrder } from './wire.js';

/** An order as Intergiro has it now: as read, and as a fact for the gateway. */
export interface ReadBack {
  order: IntergiroOrder;
  fact: ProviderObservation;
}

/**
 * A PATCH refused as a whole (a 4xx Error) that held more than one event. The seed shows no
 * refusal of a change: an Intergiro that applies the events one by one answers 400 at the first it
 * cannot carry out, with those before it applied. Answered as refused, a refund it had carried out
 * lost its idempotency key, and the retry refunded twice. So each order of the request is read back
 * at once, and each of its events answered by what the read shows (Intergiro carries a change out
 * before it answers, as its 200 echo says):
 *
 * - shown by the read's figures (captured, refunded, cancelled): applied, the read its fact;
 * - not shown by a read that lists the order's events: not carried out, answered with the refusal;
 * - not shown by a read without events (only a status word, which may have said so before), or the
 *   order not read: unknown (PROVIDER_UNAVAILABLE), so its intent stays pending for reconciliation.
 */
export async function answerRefusedBatch(
  requests: OrderChangeRequest[],
  refusal: Error,
  read: (order: Order) => Promise<ReadBack | null>,
): Promise<OrderChangeResult[]> {
  const reads = await Promise.all(requests.map(({ order }) => read(order).catch(() => null)));
  // Two elements for one order (two inputs of one call): the second is checked after the first.
  const after = new Map<string, Order>();
  return requests.map(({ order, changes }, index): OrderChangeResult => {
    const before = after.get(order.id) ?? withPending(order);
    const expected = expectations(before, changes);
    after.set(order.id, expected.projected);
    const readBack = reads[index];
    if (!readBack) return { ok: false, error: unknownOutcome(), observations: [], applied: changes.map(() => false) };
    const applied = expected.shown.map((isShown) => isShown(readBack.fact));
    const observations = applied.some(Boolean) ? [readBack.fact] : [];
    if (applied.every(Boolean)) return { ok: true, observations };
    return { ok: false, error: Array.isArray(readBack.order.event) ? refusal : unknownOutcome(), observations, applied };
  });
}

/** For each change, in turn from `before`, whether a read shows it carried out; and the order after them all. */
function expectations(before: Order, changes: OrderChange[]): { shown: ((fact: ProviderObservation) => boolean)[]; projected: Order } {
  let projected = before;
  const shown = changes.map((change) => {
    projected = projectOrderChange(projected, change);
    const totals = paymentTotals(projected);
    if (change.type === 'CANCEL') return (fact: ProviderObservation) => fact.status === 'CANCELLED';
    const wanted = change.type === 'CAPTURE' ? totals.captured.minor : totals.refunded.minor;
    return (fact: ProviderObservation) => {
      const read = paymentTotals({ total: projected.total, payments: fact.payments ?? [] });
      return (change.type === 'CAPTURE' ? read.captured.minor : read.refunded.minor) >= wanted;
    };
  });
  return { shown, projected };
}

function unknownOutcome(): Error {
  return providerUnavailable('Intergiro', new Error('a PATCH refused as a whole may have carried out part of it, and the order could not be read to tell'));
}
