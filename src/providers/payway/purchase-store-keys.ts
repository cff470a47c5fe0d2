import { createHash } from 'node:crypto';

/* Where the purchase index keeps its records in the shared store: by reference, lock, Payway order, receipt, early event, Adyen's cut. */

const hashOf = (reference: string): string => createHash('sha256').update(reference).digest('base64url');
/**
 * A merchant reference as Payway may echo it: without its surrounding spaces. The seed gives
 * merchant_reference as a String of "..1024" and says nothing of its spaces, and a Payway that
 * strips its string parameters names " code " as "code" in the purchase's events. Round eight:
 * before, such an event found no purchase under its reference (acknowledged and dropped, the
 * purchase Payway charged PENDING for good). Sent as given; kept, and looked up, stripped.
 *
 * Round twenty-six: and in Unicode's composed form (NFC). The seed's merchant_reference is any
 * String of "..1024" (a campaign "vårkampanj", a city "Ångermanland": Payway's addresses are SE,
 * FI or AX) and no document shows an event's text; a reference typed on macOS, or normalised by
 * Payway's stack (a Java Normalizer, a database collation, Adyen), comes back with `å` as `a` +
 * U+030A, or the other way round. Before, such an event found no purchase under its reference
 * (acknowledged and dropped: the purchase Payway charged or failed PENDING for good). The two
 * forms are one text by Unicode's canonical equivalence (the same letters, not a guess at
 * another reference); NFC, not NFKC, so that `ﬁ` and `fi`, or full-width digits, stay apart.
 */
export const sameReference = (reference: string): string => reference.trim().normalize('NFC');
export const keyOf = (reference: string): string => `payway:purchase:${hashOf(sameReference(reference))}`;
export const lockOf = (reference: string): string => `payway:purchase-lock:${hashOf(sameReference(reference))}`;
export const orderKeyOf = (paywayOrderId: string): string => `payway:purchase-order:${hashOf(paywayOrderId)}`;
export const receiptKeyOf = (reference: string, receiptId: string): string => `payway:purchase-receipt:${hashOf(`${sameReference(reference)}\n${receiptId}`)}`;
export const earlyKeyOf = (paywayOrderId: string): string => `payway:purchase-early:${hashOf(paywayOrderId)}`;
export const cutKeyOf = (cut: string): string => `payway:purchase-cut:${hashOf(cut)}`;

/**
 * The keys a purchase index before round twenty-six kept `reference`'s attempts under, where they
 * are not keyOf's: it keyed a reference stripped only (round eight), so a reference placed
 * decomposed then is under its decomposed form, and keyOf (NFC) misses it after an upgrade (its
 * event, or the retry of its lost answer, found no purchase: PENDING for good though Payway
 * charged it). The reference as the event writes it (a Payway echoing it as it was placed), and
 * its decomposed form (an event echoing composed what was placed decomposed, as macOS types
 * it). Empty for a reference that reads the same in every form (plain ASCII): no extra read.
 */
export const earlierKeysOf = (reference: string): string[] => {
  const now = keyOf(reference);
  const written = [reference.trim(), reference.trim().normalize('NFD')].map((form) => `payway:purchase:${hashOf(form)}`);
  return [...new Set(written)].filter((key) => key !== now);
};
/** receiptKeyOf's keys before round twenty-six, as earlierKeysOf. */
export const earlierReceiptKeysOf = (reference: string, receiptId: string): string[] => {
  const now = receiptKeyOf(reference, receiptId);
  const written = [reference.trim(), reference.trim().normalize('NFD')].map((form) => `payway:purchase-receipt:${hashOf(`${form}\n${receiptId}`)}`);
  return [...new Set(written)].filter((key) => key !== now);
};
