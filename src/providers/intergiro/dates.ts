import { isoInstant } from '../timestamps.js';
import { headerText, type ResponseHeaders } from '../listing-headers.js';
import { platformTimeAsIso } from './platform-times.js';
import { endsInZoneName } from './zone-name-times.js';

/**
 * Intergiro's "<datetime of order>" (the seed shows no value): ISO 8601 as Intergiro's own API
 * writes it (`2026-12-04T21:53:57.417Z`), with an offset, with more fraction digits, or without a
 * zone at all, read as every provider's (timestamps.ts). A value without a zone is UTC:
 * `Date.parse` would read it in the gateway's local zone, so an order made a moment ago on a
 * gateway east of UTC looked made hours before the call, and a lost creation was not recognised
 * as that order (index.ts findCreated). A platform's default form with a zone abbreviation is
 * read as its offset says (platform-times.ts). Another form `Date.parse` knows is read as it reads it.
 */
export function intergiroTime(text: string): number {
  const iso = platformTimeAsIso(text) ?? text;
  return isoInstant(iso)?.ms ?? Date.parse(iso.trim());
}

/** How far apart (ms) the two clocks are taken to be at most: a `Date` further off is a proxy's or a cache's, not Intergiro's clock, and is not read. */
export const MAX_CLOCK_APART_MS = 5 * 60 * 1000;


/**
 * How far Intergiro's clock is ahead of the gateway's (ms; behind: negative), as one answer's HTTP
 * `Date` header shows it: the call went at `sentAt` and its answer was in at `receivedAt` (the
 * gateway's clock), and the header names the whole second Intergiro wrote it in (an answer kept by
 * a cache says how long since in `Age`). Only what that shows for sure: 0 where the two clocks may
 * agree (the header's second overlaps the call), else the least they are apart; undefined without
 * a readable header, or one further off than MAX_CLOCK_APART_MS. The seed shows no header and no
 * clock; an HTTP server with a clock sends `Date` (RFC 9110 §6.6.1), so an event's `date` (written
 * by Intergiro's clock) can be set beside the gateway's own times (echo-read-back.ts datedSince).
 */
export function clockAheadOf(headers: ResponseHeaders, sentAt: number, receivedAt: number): number | undefined {
  const date = headerText(headers, 'date');
  const age = Number(headerText(headers, 'age') || '0');
  const written = (date ? Date.parse(date) : Number.NaN) + (Number.isFinite(age) && age > 0 ? age * 1000 : 0);
  if (!Number.isFinite(written)) return undefined;
  // Intergiro's time was in [written, written + 1000) while the gateway's was in [sentAt, receivedAt].
  const least = written - receivedAt;
  const most = written + 1000 - sentAt;
  const apart = least > 0 ? least : most < 0 ? most : 0;
  return Math.abs(apart) <= MAX_CLOCK_APART_MS ? apart : undefined;
}

/** Whether a time's text names its zone (`Z` or an offset after its time); one that does not is a wall clock (intergiroTime reads it as UTC). */
export function namesZone(text: string): boolean {
  // Round twenty-seven: Go's or strftime's form names its zone by offset or abbreviation (platform-times.ts).
  // Round twenty-eight: an IANA zone's name names it too, also in a change's ambiguous hour (no time there, never a wall clock read as UTC).
  return /T.*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)\s*$/.test(platformTimeAsIso(text) ?? text) || endsInZoneName(text);
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
/** The furthest a zone is from UTC (UTC-12 to UTC+14). */
const FURTHEST_ZONE_MS = 14 * 60 * 60 * 1000;

/**
 * How far ahead of UTC (ms; behind: negative) the wall clock is that Intergiro writes its times in
 * without a zone, as the order's `created` shows it beside when the gateway made the order
 * (`madeAt`, the gateway's clock, moments before Intergiro wrote `created`): their difference to the
 * nearest quarter hour (zones are whole quarter hours from UTC). 0 where `created` names its zone,
 * or the two are further apart than any zone is (an order made days before the gateway knew of it).
 */
export function wallClockOffsetOf(created: string, madeAt: number): number {
  return wallClockOffsetNear(created, madeAt) ?? 0;
}

/**
 * The offset of the wall clock Intergiro writes its zoneless times in, as an answer written at
 * about `madeAt` shows it in `created` (wallClockOffsetOf), or undefined where `created` names its
 * zone, or is further from `madeAt` than any zone is (not written then: no reading of the clock).
 */
export function wallClockOffsetNear(created: string, madeAt: number): number | undefined {
  if (namesZone(created)) return undefined;
  const apart = intergiroTime(created) - madeAt;
  const zone = Math.round(apart / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  return Number.isFinite(zone) && Math.abs(zone) <= FURTHEST_ZONE_MS ? zone : undefined;
}

/** An offset of Intergiro's zoneless wall clock (ms ahead of UTC) and when (the gateway's clock, epoch ms) an answer showed it. */
export interface WallClockReading {
  offsetMs: number;
  at: number;
}

/**
 * The wall clock's offset to read an order's zoneless event dates in now: the latest reading the
 * gateway took (`latest`, from a creation's answer) where it is newer than the order, else what
 * the order's own `created` showed beside the gateway's time of its creation (`madeAt`). A zone's
 * offset changes with its daylight saving (Stockholm: +02:00 in summer, +01:00 in winter): read in
 * the offset of an order made before the change, a refund refused today was dated an hour before
 * its PATCH and answered done (round nineteen). Both are readings of Intergiro's own answers; no
 * zone is guessed, so with no creation answered since the change the order's offset still stands.
 */
export function wallClockOffsetFor(created: string, madeAt: number, latest: WallClockReading | undefined): number {
  return latest !== undefined && latest.at > madeAt ? latest.offsetMs : wallClockOffsetOf(created, madeAt);
}

/**
 * Round twenty-one: the wall clock's offset as a PATCH answer's echo shows it, where the echo dates
 * its changes (round one's dated echo: the seed shows no Event, and "the same changes you
 * requested" may come back with the date Intergiro recorded them). Those dates were written while
 * the PATCH was out (`sentAt` to `receivedAt`, the gateway's clock), as a creation's `created` is:
 * read alike (wallClockOffsetNear), and only where every zoneless date shows one offset at both
 * ends of the call. Round nineteen read the offset from creations only, so with none answered
 * since a daylight-saving change, a refund refused today on an order made before it was dated an
 * hour off and answered done. Undefined where the echo names its zone, carries no date, or its
 * dates do not agree (an echo that carried older events would not).
 */
export function wallClockOffsetOfEcho(dates: readonly string[], sentAt: number, receivedAt: number): number | undefined {
  const zoneless = dates.filter((date) => !namesZone(date));
  if (!zoneless.length) return undefined;
  const readings = zoneless.flatMap((date) => [wallClockOffsetNear(date, sentAt), wallClockOffsetNear(date, receivedAt)]);
  return readings.every((reading) => reading !== undefined && reading === readings[0]) ? readings[0] : undefined;
}
