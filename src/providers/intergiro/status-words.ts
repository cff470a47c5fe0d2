import { statusSpelling } from '../status-spelling.js';
import type { IntergiroStatus } from './wire.js';

/**
 * Words an Intergiro written from the seed may use for a status of CONTRACT §8's list, and the
 * word they stand for. The seed shows no order status word (only the payment's `created`):
 * - `captured`: its verbs are "capture, refund or cancel"; an Intergiro that takes `capture` as the
 *   event (order-changes.ts) may call the order `captured` after it, as `charge` leads to `charged`
 *   (an event `capture` / `captured` is already read as a charge, amounts.ts);
 * - `authorized` / `authorised`: it speaks of "the authorization creation" for a card order; §8's
 *   word for an authorized order is `ordered`.
 * Read as words the gateway does not know, a paid link with charge "auto" stayed CREATED for good,
 * and an authorized card order stayed CREATED and could never be captured through the gateway.
 */
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['captured', 'charged'],
  ['authorized', 'ordered'],
  ['authorised', 'ordered'],
]);

/** A status word in the spelling of CONTRACT §8's list: any letter case, `canceled` (the seed's) as `cancelled`, and SYNONYMS. */
export function intergiroSpelling(word: string): string {
  const spelled = statusSpelling(word);
  return SYNONYMS.get(spelled) ?? spelled;
}

/**
 * How far along the life of an order (CONTRACT §8) each word is: a cancel or a denial only
 * follows created / pending / ordered, a refund follows a charge, so the later of two words is
 * the order's state now. Paid, settled and synchronized are bookkeeping after a charge (a settled
 * order may have been refunded before): they rank with `charged`, never above a refund.
 */
export const LIFE_STAGE: Record<IntergiroStatus, number> = {
  created: 0,
  deferred: 0,
  pending: 1,
  ordered: 2,
  charged: 3,
  paid: 3,
  settled: 3,
  synchronized: 3,
  refunded: 4,
  denied: 5,
  cancelled: 5,
};

/** An amount in a status list that says something stands in its word: not 0, "0", "", false or null. */
function holdsSomething(amount: unknown): boolean {
  if (amount === null || amount === undefined || amount === false) return false;
  if (typeof amount === 'number') return amount !== 0 && !Number.isNaN(amount);
  if (typeof amount === 'string') return amount.trim() !== '' && Number(amount.trim()) !== 0;
  if (typeof amount === 'object') return Object.keys(amount).length > 0;
  return true;
}

/**
 * An order's `status` written as a status list, each word the order reached with the amount that
 * stands in it (`{"ordered": 0, "charged": 15, "refunded": 5}`), read as one word: the furthest
 * along (LIFE_STAGE) of the words of CONTRACT §8's list (any spelling intergiroSpelling reads)
 * that hold something; with none, no word (the order's events and payment then say it,
 * amounts.ts statusWordOf). The word is returned as written, so it is shown as said. Anything
 * that is not an object is returned as it came. The seed writes `"status": "<Status of order>"`,
 * a placeholder in quotes as `"payment": "<Card payment>"` is, and the payment is an object: read
 * as a word only, such an order was unreadable, so every creation Intergiro made (and may have
 * charged) was PROVIDER_UNAVAILABLE, every callback refused and every listing left it out (round ten).
 * The amounts are not read as figures: the seed names no unit for them, and the events give them.
 */
export function statusOfList(status: unknown): unknown {
  if (!status || typeof status !== 'object' || Array.isArray(status)) return status;
  let furthest: { word: string; stage: number } | undefined;
  for (const [word, amount] of Object.entries(status)) {
    const stage = (LIFE_STAGE as Partial<Record<string, number>>)[intergiroSpelling(word)];
    if (stage === undefined || !holdsSomething(amount)) continue;
    if (!furthest || stage > furthest.stage) furthest = { word, stage };
  }
  return furthest?.word;
}
