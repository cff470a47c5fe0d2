import { intergiroTime, MAX_CLOCK_APART_MS, namesZone } from './dates.js';

/**
 * How far Intergiro's clock is ahead of the gateway's (ms; behind: negative), as a creation answer's
 * `created` shows it: Intergiro wrote it by its own clock while the call was out (`sentAt` to
 * `receivedAt`, the gateway's clock). Round twenty-nine: an Intergiro whose answers carry no `Date`
 * header (the seed shows no header; a front may strip it) gave round fourteen's reading
 * (dates.ts clockAheadOf) nothing to read, so with its clock a minute behind, a refund the acquirer
 * refused was dated before the PATCH went, and one a minute ahead after now: either way not this
 * PATCH's failure, and the refund was answered done where Intergiro refunded nothing.
 *
 * Only what `created` shows for sure, as clockAheadOf reads `Date`: 0 where the two clocks may agree
 * (the time, to its own precision, falls in the call's span), else the least they are apart.
 * Undefined for a `created` without a zone (a wall clock: its offset is read to the quarter hour
 * instead, dates.ts wallClockOffsetNear), one unreadable, or one further off than two clocks are
 * taken to be apart (MAX_CLOCK_APART_MS: an order made before this call, not a clock).
 */
export function clockAheadByCreated(created: string, sentAt: number, receivedAt: number): number | undefined {
  if (!namesZone(created)) return undefined;
  const written = intergiroTime(created);
  if (!Number.isFinite(written)) return undefined;
  // Written to the whole second where it shows no fraction: Intergiro's time was then in [written, written + 1000).
  const width = /\d{2}:\d{2}:\d{2}[.,]\d/.test(created) ? 1 : 1000;
  const least = written - receivedAt;
  const most = written + width - sentAt;
  const apart = least > 0 ? least : most < 0 ? most : 0;
  return Math.abs(apart) <= MAX_CLOCK_APART_MS ? apart : undefined;
}
