/**
 * Intergiro's "<datetime of order>" (the seed shows no value): ISO 8601 as Intergiro's own API
 * writes it (`2026-12-04T21:53:57.417Z`), with an offset, with more fraction digits, or without a
 * zone at all. A value without a zone is UTC: `Date.parse` would read it in the gateway's local
 * zone, so an order made a moment ago on a gateway east of UTC looked made hours before the call,
 * and a lost creation was not recognised as that order (index.ts findCreated).
 */
const WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** Epoch ms of an Intergiro time; NaN when it is not one. */
export function intergiroTime(text: string): number {
  const trimmed = text.trim();
  return Date.parse(WITHOUT_ZONE.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
}
