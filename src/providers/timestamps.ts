/*
 * ISO 8601 date-times as providers write them, read the same way for every provider. Pure.
 *
 * No seed shows every form a provider's serializer may write, so one reading takes them all: a
 * `T` or a space, seconds and a fraction optional (up to nanoseconds, after `.` or `,`), a zone as
 * `Z`, `+01`, `+0100` or `+01:00`, perhaps followed by its name in brackets as Java prints a
 * ZonedDateTime (`+01:00[Europe/Berlin]`), or a date alone. A value without a zone is UTC:
 * `Date.parse` would read it in the gateway's own local zone (nine hours early in Tokyo), so it
 * is not used; nor would it refuse 31 February (it rolls over into March).
 */

/**
 * Epoch numbers below this are seconds, at or above it milliseconds: 1e11 seconds is the year
 * 5138, 1e11 milliseconds March 1973 (no provider's order or event is older), so the two readings
 * never overlap.
 */
export const EPOCH_SECONDS_BELOW = 1e11;

/** Epoch milliseconds of an epoch number written in seconds or in milliseconds (EPOCH_SECONDS_BELOW); undefined when it is no finite number. */
export function epochMs(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  return Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value;
}

/** An instant (epoch ms), and whether the text said its zone. */
export interface Instant {
  ms: number;
  zoned: boolean;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?:\s*\[[^\]]{1,64}\])?$/i;

/** The farthest a zone is from UTC (UTC+14). */
const MAX_OFFSET_MINUTES = 14 * 60;

/** The instant an ISO 8601 date-time names, or undefined when the text is not one. */
export function isoInstant(text: string): Instant | undefined {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Date.UTC rolls 31 February over into March: such a day is not a date.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMinutes > MAX_OFFSET_MINUTES) return undefined;
    ms -= (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60_000;
  }
  return Number.isFinite(ms) ? { ms, zoned: zone !== undefined } : undefined;
}
