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

/**
 * How far Intergiro's clock is ahead of the gateway's (ms; behind: negative), as one answer's HTTP
 * `Date` header shows it: the call went at `sentAt` and its answer was in at `receivedAt` (the
 * gateway's clock), and the header names the whole second Intergiro wrote it in. Only what that
 * shows for sure: 0 where the two clocks may agree (the header's second overlaps the call), else
 * the least they are apart. Undefined without a readable header. The seed shows no header and no
 * clock; an HTTP server with a clock sends `Date` (RFC 9110 §6.6.1), so an event's `date` (written
 * by Intergiro's clock) can be set beside the gateway's own times (echo-read-back.ts datedSince).
 */
export function clockAheadOf(dateHeader: string | string[] | undefined, sentAt: number, receivedAt: number): number | undefined {
  const text = Array.isArray(dateHeader) ? dateHeader[0] : dateHeader;
  const written = text ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(written)) return undefined;
  // Intergiro's time was in [written, written + 1000) while the gateway's was in [sentAt, receivedAt].
  const least = written - receivedAt;
  const most = written + 1000 - sentAt;
  return least > 0 ? least : most < 0 ? most : 0;
}
