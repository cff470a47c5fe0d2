import { isoInstant } from '../timestamps.js';

/**
 * Pei's DateTime values. The seed writes one as `2018-07-31 13:33:33.337` (no zone, a space) in its
 * schema and as `2018-05-13T12:33:48.008Z` in its example; a .NET service may also write
 * `2018-07-31T13:33:33.3370000` or an offset. A value without a zone is UTC: Pei is Icelandic and
 * Iceland keeps UTC all year (no daylight saving); the reading is every provider's (timestamps.ts).
 */
export function parsePeiDateTime(text: string): Date | undefined {
  const instant = isoInstant(text);
  return instant === undefined ? undefined : new Date(instant.ms);
}

/** Day first, as the seed writes a date in its subscription example (`28.6.2015`) and says (`dd-mm-yyyy`). */
const DAY_FIRST = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?$/;
/** Older ASP.NET's JSON date: milliseconds since the epoch, perhaps with the writer's offset (which does not change the instant). */
const MS_JSON = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

/** .NET's `DateTime.MinValue` (0001-01-01T00:00:00) in epoch milliseconds. */
const MIN_VALUE_MS = -62_135_596_800_000;

/**
 * Whether a DateTime Pei answered is .NET's `DateTime.MinValue`, the "no date" a non-nullable
 * `DateTime` writes when it was given none (round twenty-three): in year one, in any form Pei's
 * answers are read in (`0001-01-01T00:00:00`, the seed table's space, Icelandic day first
 * `1.1.0001`, older ASP.NET's `/Date(-62135596800000)/`), a zone's hours either side of it too (a
 * `ToLocalTime()` of it). No Pei order was made or expires in year one, and read as a date it is
 * long past: an order the buyer could still pay was EXPIRED (final) at its first re-read. So it
 * is no date at all, as one left out is (the expiry the gateway sent stands in for it). Before, it
 * was not even year one: `Date.UTC` reads years 0 to 99 as 1900 to 1999 (timestamps.ts isoInstant).
 */
export function isNoDate(text: string): boolean {
  const trimmed = text.trim();
  if (/^0001-\d{2}-\d{2}(?:[T ]|$)/.test(trimmed) || /^\d{1,2}[.-]\d{1,2}[.-]0001(?:[T ]|$)/.test(trimmed)) return true;
  const ms = MS_JSON.exec(trimmed);
  return ms !== null && Number(ms[1]) < MIN_VALUE_MS + DAY_MS;
}

/**
 * A DateTime in Pei's answers (the seed shows no read output): any form parsePeiDateTime takes,
 * or as a .NET service with Icelandic culture writes one (`31.7.2018 13:33:33`, day first as the
 * seed's `28.6.2015`, UTC like every zone-less Pei date), or older ASP.NET's `/Date(1533044013337)/`.
 * Only what Pei answers is read so: what the gateway sends stays the seed's ISO form. Undefined
 * where it names no date, .NET's MinValue included (isNoDate).
 */
export function parsePeiAnswerDateTime(text: string): Date | undefined {
  if (isNoDate(text)) return undefined;
  const iso = parsePeiDateTime(text);
  if (iso !== undefined) return iso;
  const trimmed = text.trim();
  const ms = MS_JSON.exec(trimmed);
  if (ms) {
    const date = new Date(Number(ms[1]));
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const dayFirst = DAY_FIRST.exec(trimmed);
  if (!dayFirst) return undefined;
  const [, day = '', month = '', year = '', hour = '0', minute = '00', second = '00', fraction = ''] = dayFirst;
  const two = (value: string) => value.padStart(2, '0');
  return parsePeiDateTime(`${year}-${two(month)}-${two(day)}T${two(hour)}:${minute}:${second}${fraction ? `.${fraction}` : ''}`);
}

/** The widest a zone is from UTC (UTC-12 to UTC+14). */
const ZONE_SPREAD_MS = 14 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/**
 * How much later than the instant parsePeiAnswerDateTime reads `text` as the moment it stands for
 * may be (round fourteen): 0 for an instant (a zone or offset written, `/Date(ms)/`); the widest
 * zone for a time without one (read as UTC, but a .NET `DateTime.Now` of another zone, or a SQL
 * `datetime2` column, writes its server's local time so); a whole day more for a date without a
 * time of day (`2026-12-06`, or its midnight `2026-12-06T00:00:00`: a SQL `date` column, which a
 * Pei filing its orders by day, "Get all orders on a specific date", may keep).
 */
export function answerDateTimeSlackMs(text: string): number {
  const trimmed = text.trim();
  if (MS_JSON.test(trimmed) || /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) return 0;
  const dateOnly = /^\d{4}-\d{2}-\d{2}(?:[T ]00:00(?::00(?:\.0+)?)?)?$/.test(trimmed) || /^\d{1,2}[.-]\d{1,2}[.-]\d{4}(?:[T ]0?0:00(?::00)?)?$/.test(trimmed);
  return dateOnly ? DAY_MS + ZONE_SPREAD_MS : ZONE_SPREAD_MS;
}

/** The seed's own DateTime format (`2018-07-31 13:33:33.337`), UTC, no zone. */
export function formatSeedDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
