import { rfc5322Millis } from '../rfc5322-date.js';

/**
 * A signing time as written (and signed) by the sender, in Unix seconds: whole seconds (up to 12
 * digits), with a fraction (Ruby's Time#to_f, `1796557095.123456`), milliseconds (13 digits, as
 * `Date.now()` gives them), an ISO 8601 time with or without fractions, its zone `Z` or an offset
 * (none: read as UTC, and as Payway's own wall clock when checked for a replay: round nineteen,
 * event-signing-zone.ts), the same with a space for the `T` and a zone `UTC` or a spaced offset
 * (Ruby's Time#to_s, `2026-12-06 11:38:15 UTC`, what a Rails Payway interpolates a Time as), or
 * an HTTP date (`Sun, 06 Dec 2026 11:38:15 GMT`). Anything else is no time. Round twelve: only
 * seconds, milliseconds and ISO 8601 were read, and a timed signature whose time was written
 * another way was never valid: each of Payway's events was 401 on every delivery and its purchase
 * stayed PENDING. The time is part of what is signed, so reading more spellings of it takes no
 * event the secret did not sign, and the replay window applies to each alike.
 *
 * Round twenty-five, more spellings other stacks write (each was no time, so every event so
 * signed was 401 on every delivery and its pending purchase stayed PENDING though Payway had
 * charged or failed it): microseconds (16 digits, Go's `UnixMicro()`) and nanoseconds (19 digits,
 * Go's `UnixNano()`, Python's `time.time_ns()`); RFC 5322's date with a numeric zone (Ruby's
 * `Time#rfc2822`, PHP's `DATE_RFC2822`, Python's `email.utils.formatdate()` with `-0000`), of
 * which the HTTP date is the GMT case; an offset of hours alone (PostgreSQL's `timestamptz` text,
 * `2026-12-07 08:45:12.123456+01`); the zone's name in brackets after the offset (Java's
 * `ZonedDateTime.toString()`; the offset written decides); a comma before the fraction (ISO
 * 8601's own decimal sign, GNU `date --iso-8601=ns`). The digit counts cannot be confused: a time
 * within the replay window has 10 digits in seconds, 13, 16 and 19 in the finer units.
 */
export function signingTime(written: string): number | undefined {
  if (/^\d{1,12}$/.test(written)) return Number(written);
  if (/^\d{1,12}\.\d{1,9}$/.test(written)) return Number(written);
  if (/^\d{13}$/.test(written)) return Number(written) / 1e3;
  if (/^\d{16}$/.test(written)) return Number(written) / 1e6;
  if (/^\d{19}$/.test(written)) return Number(written.slice(0, 16)) / 1e6;
  return dateTimeSeconds(written) ?? rfc5322Seconds(written) ?? asctimeSeconds(written);
}

/*
 * Round twenty-six (round twenty-five's leftovers), each was no time, so every event so signed was
 * 401 on every delivery and its pending purchase stayed PENDING:
 * - C's asctime (`Mon Dec  7 07:45:12 2026`, the day padded with a space): RFC 9110's third HTTP
 *   date form (GMT), and what Ruby's Time#ctime, Python's time.ctime() and Go's time.ANSIC write
 *   of the local clock, with no zone. It names no zone, so it is read as UTC here and, checked
 *   for a replay, as Payway's wall clock too (event-signing-zone.ts writtenWithoutZone), as
 *   round nineteen's zoneless ISO times are.
 * - A leap second (`23:59:60`, in ISO 8601 and RFC 5322 alike): the last second of its minute,
 *   which Unix time cannot name; read as that minute's end (the next minute's first instant),
 *   less than a second from the instant meant, well inside the five minutes' window. Any other
 *   second past 59 is still no time.
 */
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( ?\d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/** An asctime date read as UTC (see above). */
function asctimeSeconds(written: string): number | undefined {
  const parts = ASCTIME.exec(written);
  if (!parts) return undefined;
  const [, month, day, hour, minute, second, year] = parts;
  return civilSeconds(Number(year), MONTHS.indexOf(month!.toLowerCase()) + 1, Number(day!.trim()), Number(hour), Number(minute), Number(second));
}

/** Whether `written` is an asctime date (no zone: event-signing-zone.ts). */
export const isAsctime = (written: string): boolean => ASCTIME.test(written);

/**
 * ISO 8601 (`T` or a space between date and time, either letter case), seconds optional, a
 * fraction after `.` or `,`, a zone `Z` / `UTC` / `GMT` or an offset `+01`, `+0100`, `+01:00`
 * (spaced or not), the zone's name in brackets only after an offset. No zone: UTC.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?: ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)(\[[A-Za-z][\w+-]*(?:\/[\w+-]+)*\])?)?$/i;

function dateTimeSeconds(written: string): number | undefined {
  const parts = DATE_TIME.exec(written);
  if (!parts) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z', bracketed] = parts;
  if (bracketed && !/^[+-]/.test(zone)) return undefined;
  const seconds = civilSeconds(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
  if (seconds === undefined) return undefined;
  const offset = offsetSeconds(zone);
  // A leap second is read as its minute's end (civilSeconds), its fraction not added past it.
  const within = second === '60' ? 0 : fraction === '' ? 0 : Number(`0.${fraction}`);
  return offset === undefined ? undefined : seconds + within - offset;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 5322's date (the HTTP date its GMT case), read by the reader Intershop's dates share (../rfc5322-date.ts). */
function rfc5322Seconds(written: string): number | undefined {
  const millis = rfc5322Millis(written);
  return millis === undefined ? undefined : millis / 1000;
}

/**
 * Seconds since the epoch of a UTC calendar time, or undefined where a field is out of range. A
 * second 60 is a leap second, read as its minute's end (see asctimeSeconds' note).
 */
function civilSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  // A day past its month's end (`02-30`) would roll over: no such time.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  return millis / 1000;
}

/** A zone's offset from UTC in seconds: `Z`, `UT`, `UTC`, `GMT`, `+01`, `+0100`, `+01:00`. */
function offsetSeconds(zone: string): number | undefined {
  if (/^(z|ut|utc|gmt)$/i.test(zone)) return 0;
  const parts = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!parts) return undefined;
  const [, sign, hours, minutes = '0'] = parts;
  if (Number(hours) > 23 || Number(minutes) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
}
