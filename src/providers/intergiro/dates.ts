import { isoInstant } from '../timestamps.js';

/**
 * Intergiro's "<datetime of order>" (the seed shows no value): ISO 8601 as Intergiro's own API
 * writes it (`2026-12-04T21:53:57.417Z`), with an offset, with more fraction digits, or without a
 * zone at all, read as every provider's (timestamps.ts). A value without a zone is UTC:
 * `Date.parse` would read it in the gateway's local zone, so an order made a moment ago on a
 * gateway east of UTC looked made hours before the call, and a lost creation was not recognised
 * as that order (index.ts findCreated). Another form `Date.parse` knows is read as it reads it.
 */
export function intergiroTime(text: string): number {
  return isoInstant(text)?.ms ?? Date.parse(text.trim());
}
