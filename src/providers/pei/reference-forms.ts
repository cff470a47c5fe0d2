import { misreadSpellings } from './reference-bytes.js';

/*
 * A Reference as Pei may write it back in another Unicode normalisation form (round twenty-six).
 * The seed types the Reference "String" and names no normalisation. `ö` is one code point composed
 * (NFC, U+00F6) and two decomposed (NFD, `o` and U+0308): canonically the same text (Unicode's
 * canonical equivalence), not the same string. A Pei whose store or search column decomposes
 * (.NET's `Normalize(NormalizationForm.FormD)` before an accent-folding index) writes a client's
 * `Pöntun` back as `Po\u0308ntun`; one composing what it receives writes a client's decomposed
 * `Po\u0308ntun` (typed on a Mac, pasted from a PDF) back as `Pöntun`. Compared as strings, an
 * Orders/Pay or a Recurring charge whose answer was lost was "not there" under such a Pei's
 * spelling once its listing lag bound had passed, and the client's retry charged the buyer, or
 * the mandate, again.
 *
 * Comparing canonically is no guess: two references that differ only by normalisation are the
 * same text to every reader, and Pei itself may store either. An ASCII Reference (the gateway's
 * own, most clients') has one form only.
 */

/** A Reference in the one form references are compared in (NFD: a cut of either form is then a prefix of the whole). */
export const canonicalReference = (text: string): string => text.normalize('NFD');

/**
 * Every spelling in which Pei may write back the Reference `sent`, canonical (canonicalReference):
 * as sent, composed or decomposed, and each of those as a Pei reading its bytes in another charset
 * keeps it, or an answer's single-byte label reads it (reference-bytes.ts misreadSpellings,
 * `answeredIn`). The first is `sent`'s own.
 */
export function referenceSpellings(sent: string, answeredIn?: string): string[] {
  const forms = new Set([sent, sent.normalize('NFC'), sent.normalize('NFD')]);
  return [...new Set([...forms].flatMap((form) => [form, ...misreadSpellings(form, answeredIn)]).map(canonicalReference))];
}
