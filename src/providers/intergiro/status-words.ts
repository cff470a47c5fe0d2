import { statusSpelling } from '../status-spelling.js';

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
