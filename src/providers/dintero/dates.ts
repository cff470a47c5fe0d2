import { epochMs, isoInstant } from '../timestamps.js';
import { isNoValueText } from '../no-value-text.js';

/**
 * Dintero's timestamps (a session's `expires_at`). No seed shows one; Dintero's reference writes
 * ISO 8601 in UTC with `Z`, and another Dintero may leave the zone out (its clock is UTC), add an
 * offset, write more fractions than milliseconds, a space for the `T`, or epoch seconds. A time
 * without a zone is UTC here: `Date.parse` would read it in the gateway's own zone (in Tokyo nine
 * hours early, and EXPIRED is final while the buyer could still pay), and epoch numbers not at all
 * (the ISO reading is every provider's, timestamps.ts).
 */

/** The instant (epoch ms) a Dintero timestamp names, or undefined when it names none (unsetTime). */
export function parseDinteroTime(value: unknown): number | undefined {
  if (unsetTime(value)) return undefined;
  if (typeof value === 'number') {
    // A fraction of a millisecond (seconds written with six decimals) is dropped, as an ISO reading drops it.
    const ms = epochMs(value);
    return ms === undefined ? undefined : Math.floor(ms);
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH_TEXT.test(text)) return parseDinteroTime(Number(text));
  return dotnetJsonDate(text) ?? isoInstant(goTimeString(text))?.ms;
}

/**
 * Epoch seconds or milliseconds written as text, perhaps with a fraction: Python's
 * `str(time.time())` (`1765112400.123456`; the seed's own client code is Python) writes one, and a
 * DTO of strings writes any epoch number so. Round twenty-five: before, only whole digits were
 * read, so such an `expires_at` was none and a session that ran out never made its order EXPIRED.
 */
const EPOCH_TEXT = /^\d{9,13}(?:\.\d{1,9})?$/;

/**
 * The instant of a time as .NET's JSON serialisers write it (DataContractJsonSerializer, ASP.NET
 * AJAX's JavaScriptSerializer, WCF): `/Date(<epoch ms>)/`, perhaps with the writer's own offset
 * after the milliseconds (`/Date(1765112400000+0100)/`), which says only in what zone the value
 * was local: the milliseconds are UTC's either way. Round twenty-five: before, no reading took it,
 * so such an `expires_at` was none (the session never EXPIRED), and `DateTime.MinValue` so written
 * (`/Date(-62135596800000)/`, an unset `cancelled_at`) was a value, a cancel: the waiting order
 * CANCELLED, final, on the poller's first read. Undefined for any other text.
 */
function dotnetJsonDate(text: string): number | undefined {
  const match = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/**
 * A time as Go's `time.Time.String()` writes it (`2026-12-07 13:00:00.123456789 +0100 CET`: a
 * template or a DTO of strings, not encoding/json), as the ISO reading takes it: the zone's
 * abbreviation after the numeric offset is dropped, the offset deciding (an abbreviation names no
 * offset for sure: `IST` is three zones). Round twenty-three: before, the abbreviation made the
 * whole time unreadable, so such an `expires_at` was none and a session that ran out never made
 * its order EXPIRED. A text without a numeric offset before the letters is left as it is (none).
 */
function goTimeString(text: string): string {
  return text.replace(/(\s[+-]\d{4})\s+[A-Za-z]{1,6}$/, '$1');
}

/**
 * Whether a session's time is a stack's zero value for a time it has not set, not a time: Go's
 * `time.Time{}` (`0001-01-01T00:00:00Z`, which encoding/json writes even under omitempty), .NET's
 * `DateTime.MinValue` (`0001-01-01T00:00:00`), a 0 kept for unset read back as the Unix epoch
 * (`1970-01-01T00:00:00Z`, or 0), MySQL's zero date (`0000-00-00 00:00:00`). No session the
 * gateway made can have been cancelled or run out at or before 1970, so an instant there names
 * nothing. Round nineteen: before, such a `cancelled_at` on a session nobody cancelled was a
 * cancel (only whether it was there counted) and such an `expires_at` a session long expired: the
 * first read of a waiting order's session made it CANCELLED or EXPIRED, final, while the buyer
 * was still on the page (a payment then was voided as a late one).
 */
export function unsetTime(value: unknown): boolean {
  if (typeof value === 'number') return !(value > 0);
  if (typeof value !== 'string') return false;
  // A stack's text for null (no-value-text.ts: Python's "None", "null", Go's "<nil>"), round twenty-four.
  if (isNoValueText(value)) return true;
  const text = value.trim();
  // MySQL's zero date, or any date-time whose digits are all zero: no calendar has a day 0.
  if (/^[0\-:.T Z]+$/i.test(text) && /0/.test(text)) return true;
  if (yearZeroOrOne(text)) return true;
  const ms = /^\d{1,13}(?:\.\d{1,9})?$/.test(text) ? epochMs(Number(text)) : (dotnetJsonDate(text) ?? isoInstant(goTimeString(text))?.ms);
  return ms !== undefined && ms <= 0;
}

/**
 * Whether a date-time text written in a form no ISO reading takes is dated in year 0001 or 0000:
 * its one group of four digits is that year. .NET's `DateTime.MinValue.ToString()` writes
 * `01/01/0001 00:00:00` (invariant culture), `01.01.0001 00:00:00` (nb-NO, de-DE), `1/1/0001
 * 12:00:00 AM` (en-US); Go's `time.Time{}.String()` `0001-01-01 00:00:00 +0000 UTC`. No session
 * the gateway made was cancelled or ran out in year one, so such a text names no time, whatever
 * the culture's order of day and month (round twenty-three: before, it was a value, so an unset
 * `cancelled_at` so written was a cancel: the waiting order CANCELLED, final, on the poller's first
 * read). Only the year is read: a text with another group of four or more digits (a real year, an
 * epoch) is not one.
 */
function yearZeroOrOne(text: string): boolean {
  const groups = text.match(/\d{4,}/g) ?? [];
  return groups.length === 1 && (groups[0] === '0001' || groups[0] === '0000') && /^[\d\s/.:,\-+TZAPMUCtzapmuc]+$/.test(text);
}
