/**
 * The longest reference Adyen keeps (its payment `reference`: "Maximum length: 80 characters").
 * The table lets merchant_reference be "..1024" ("a code or an url"), so a Payway passing it on
 * to Adyen can pass on only its first 80 characters, and Adyen's notification names those
 * (round fifteen).
 */
export const ADYEN_REFERENCE_MAX = 80;

/** A high (leading) surrogate: the first UTF-16 unit of a code point outside the Basic Multilingual Plane. */
const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

/**
 * Every way "the first 80 characters" of `reference` (kept stripped and in NFC) may be written
 * by the time Adyen's notification names them; empty when the reference is no longer than 80 in
 * any count. Round twenty-eight: no document says which unit "characters" counts, and the
 * reference may hold characters outside the Basic Multilingual Plane (an emoji in a campaign
 * code, `𝔘`: one code point, two UTF-16 units). Round fifteen cut 80 UTF-16 units (JavaScript's
 * `slice`) and took only a cut of exactly 80 units, so the item of a Payway cutting by code
 * points (Ruby's `reference[0, 80]`, Python's `reference[:80]`) named more units than that, and
 * one of a Java Payway or Adyen cutting 80 UTF-16 units in the middle of a pair was written with
 * its lone half replaced as each encoder does (U+FFFD by Node's and .NET's, `?` by Java's
 * `String.getBytes`) or left out: each found no purchase, was acknowledged and dropped, and the
 * purchase Adyen authorised (or refused) stayed PENDING for good. Each writing is the same cut
 * of the same reference, not a guess at another: the index takes one only when no other
 * reference shares it (purchases.ts: a shared cut is nobody's).
 */
export function adyenCutsOf(reference: string): string[] {
  const cuts = new Set<string>();
  if (reference.length > ADYEN_REFERENCE_MAX) {
    const units = reference.slice(0, ADYEN_REFERENCE_MAX);
    cuts.add(units);
    if (isHighSurrogate(units.charCodeAt(ADYEN_REFERENCE_MAX - 1))) {
      const whole = units.slice(0, -1);
      for (const lone of ['\uFFFD', '?', '']) cuts.add(whole + lone);
    }
  }
  const points = Array.from(reference);
  if (points.length > ADYEN_REFERENCE_MAX) cuts.add(points.slice(0, ADYEN_REFERENCE_MAX).join(''));
  return [...cuts];
}

/**
 * Whether `text` (stripped, NFC) is as long as one of adyenCutsOf's writings can be: 80 code
 * points, or 80 UTF-16 units, or 79 (a lone half left out). Anything else is no cut and is never
 * looked up as one.
 */
export function mayBeAdyenCut(text: string): boolean {
  return text.length === ADYEN_REFERENCE_MAX || text.length === ADYEN_REFERENCE_MAX - 1 || Array.from(text).length === ADYEN_REFERENCE_MAX;
}
