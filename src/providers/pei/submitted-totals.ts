import { createHash } from 'node:crypto';
import type { KeyValueStore } from '../../store/types.js';
import { CLAIM_TTL_MS } from '../answered-orders.js';

/**
 * The total the gateway submitted each Pei order with, by Pei's order id, for the reads that do not
 * start from the stored order (round twenty-four): the postback's own re-read (the webhook sees the
 * postback and Pei's answer only) and the day's listing in `orders(filter)`. Round nineteen reads
 * an Amount written `5.000` (is-IS "N0": 5 kr. or 5000 kr., both whole krónur) as the total the
 * order was submitted with where that is one of its two readings (order-shape.ts peiOrderAt); the
 * gateway's own reads pass the stored order's total, these two had none. So at a Pei writing "N0"
 * the signed postback of a paid order of 5000 kr. was answered 503 (its re-read unreadable; Pei
 * does not post again, and the order waited for reconciliation's read), and `orders(filter)`
 * skipped such an order's entry as unreadable, so a paid order whose postback was lost was not
 * brought up to date by the listing.
 *
 * A total only tells the two readings apart; it never stands in for a figure Pei did not write
 * (numeric.ts marksByTotal: a `d.000` neither of whose readings is it stays unread). Kept as long
 * as the claims of answered-orders.ts. Noting and looking up are best effort: the store failing
 * here leaves such a figure unread, as before, and never fails the create whose money has moved.
 */
export interface SubmittedTotals {
  /** Notes `total` (whole krónur) as what the Pei order was submitted with. */
  note(peiOrderId: string, total: number): Promise<void>;
  /** The total noted for the Pei order, if any. */
  of(peiOrderId: string): Promise<number | undefined>;
  /**
   * Round twenty-five: notes `total` as what the gateway order is being submitted with, before Pei
   * has answered (its id unknown yet). A charge without the buyer (a Recurring order, Orders/Pay)
   * may be posted back before Pei answers the submit (round two's `beforeAnswer`), to the URL the
   * gateway signed for this gateway order: its re-read had no total (`of` knows Pei's ids only
   * once answered), so at a Pei writing `5.000` that postback was answered 503, and Pei does not
   * post again. The signed URL names the gateway order, which `ofOrder` reads the total by.
   */
  noteForOrder(orderId: string, total: number): Promise<void>;
  /** The total noted for the gateway order, if any. */
  ofOrder(orderId: string): Promise<number | undefined>;
}

export function peiSubmittedTotals(kv: KeyValueStore): SubmittedTotals {
  // Pei's order ids compared without letter case or padding, as reads compare them (client.ts getOrder).
  const keyOf = (peiOrderId: string) => `pei:total:${createHash('sha256').update(peiOrderId.trim().toLowerCase()).digest('base64url')}`;
  // The gateway's own order ids, apart from Pei's (their alphabets overlap).
  const orderKeyOf = (orderId: string) => `pei:total:order:${createHash('sha256').update(orderId).digest('base64url')}`;
  const note = async (key: string, total: number) => {
    if (!Number.isSafeInteger(total) || total <= 0) return;
    await kv.set(key, String(total), CLAIM_TTL_MS).catch(() => undefined);
  };
  const read = async (key: string) => {
    const noted = await kv.get(key).catch(() => null);
    const total = noted === null ? NaN : Number(noted);
    return Number.isSafeInteger(total) && total > 0 ? total : undefined;
  };
  return {
    note: (peiOrderId, total) => note(keyOf(peiOrderId), total),
    of: (peiOrderId) => read(keyOf(peiOrderId)),
    noteForOrder: (orderId, total) => note(orderKeyOf(orderId), total),
    ofOrder: (orderId) => read(orderKeyOf(orderId)),
  };
}
