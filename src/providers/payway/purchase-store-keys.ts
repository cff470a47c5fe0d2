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
