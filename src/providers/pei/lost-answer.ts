import { GatewayError } from '../../domain/errors.js';
import type { PeiClient } from './client.js';
import type { PeiOrder } from './wire.js';

/**
 * How far before the call an order found after a lost answer may have been created at Pei (its
 * clock against ours): older ones with the same reference are another purchase, not this one.
 */
const LOST_ANSWER_WINDOW_MS = 5 * 60 * 1000;

/** Where and how a lost answer is looked for: the merchant's orders at Pei, by Pei's day. */
export interface LostAnswerSearch {
  client: PeiClient;
  merchantId: number;
  now: () => Date;
}

/**
 * Pay and a Recurring submit move money without the buyer: when their answer is lost (timeout,
 * 5xx, a dropped connection) Pei may have charged the buyer anyway, and a retry would charge
 * twice. Before failing, the day's orders are searched for this very request: same reference
 * (always sent for these two, the gateway's order id when the client gave none), amount,
 * sequence type and mandate, created since shortly before the call. Exactly one match is the
 * order; none or several (ambiguous) and the original error stands.
 */
export async function sendOrFind<T>(
  search: LostAnswerSearch,
  send: () => Promise<T>,
  wanted: { reference: string; amount: number; sequenceType: PeiOrder['sequenceType']; mandateId: string | null },
): Promise<{ answer: T } | { found: PeiOrder }> {
  const { client, merchantId, now } = search;
  const startedAt = now();
  try {
    return { answer: await send() };
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_UNAVAILABLE') throw error;
    const earliest = startedAt.getTime() - LOST_ANSWER_WINDOW_MS;
    const days = [...new Set([new Date(earliest), startedAt, now()].map((date) => date.toISOString().slice(0, 10)))];
    let candidates: PeiOrder[];
    try {
      candidates = (await Promise.all(days.map((day) => client.ordersOn(merchantId, day)))).flat();
    } catch {
      throw error;
    }
    const matches = candidates.filter(
      (order) =>
        order.reference === wanted.reference &&
        order.amount === wanted.amount &&
        (order.sequenceType ?? 'OneOff') === wanted.sequenceType &&
        (order.mandateId ?? null) === wanted.mandateId &&
        // An order read without `created` cannot be placed in time: the other fields decide.
        (order.created == null || order.created.getTime() >= earliest),
    );
    const unique = new Map(matches.map((order) => [order.orderId, order]));
    const [only, ...others] = [...unique.values()];
    if (only === undefined || others.length > 0) throw error;
    return { found: only };
  }
}
