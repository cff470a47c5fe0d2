import { providerUnavailable } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import { intentsOf, showsExpected, withPending } from '../../domain/orders/pending-operations.js';
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
 * - a capture or cancel not shown by a read that lists the order's events: not carried out,
 *   answered with the refusal;
 * - a refund not shown: unknown (PROVIDER_UNAVAILABLE) all the same, its intent pending for
 *   reconciliation's later read: a read may lag the write it follows by a moment;
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
    // What each change leaves the order at, as its intent expects it (pending-operations.ts).
    const expected = intentsOf(before, changes, new Date()).map(({ expect }) => expect);
    after.set(order.id, changes.reduce((projected, change) => projectOrderChange(projected, change), before));
    const readBack = reads[index];
    if (!readBack) return { ok: false, error: unknownOutcome(), observations: [], applied: changes.map(() => false) };
    const { fact } = readBack;
    const applied = expected.map((expect) => showsExpected({ status: fact.status, total: order.total, payments: fact.payments ?? [] }, expect));
    const observations = applied.some(Boolean) ? [fact] : [];
    if (applied.every(Boolean)) return { ok: true, observations };
    // A refund the read does not show may be one it has not caught up with (a read that lags the
    // write): unknown, never refused, as echo-read-back.ts leaves refunds unread. Refused, its key
    // was released and the retry refunded twice. A capture or cancel sent again is refused by the
    // order's state (one charge, one cancel), so the read's word stands for those.
    const refundUnshown = changes.some((change, position) => change.type === 'REFUND' && !applied[position]);
    return { ok: false, error: Array.isArray(readBack.order.event) && !refundUnshown ? refusal : unknownOutcome(), observations, applied };
  });
}

function unknownOutcome(): Error {
  return providerUnavailable('Intergiro', new Error('a PATCH refused as a whole may have carried out part of it, and the order could not be read to tell'));
}
