import { EPOCH_SECONDS_BELOW, isoInstant, type Instant } from '../timestamps.js';
import { javaDateTextInstant } from './java-date-text.js';

/*
 * ICM's dates (an order's `creationDate`) as instants. Pure.
 *
 * The seed writes `2019-11-13T14:27:06+01:00` (an offset, §2.2). ICM is a Java server, and the
 * seed does not say which serializer writes the field, so other faithful forms are read too:
 * - a ZonedDateTime as Java prints it: the offset followed by the zone's name in brackets
 *   (`2026-12-04T10:00:00+01:00[Europe/Berlin]`), which Date.parse refuses (NaN);
 * - a java.util.Date as Jackson writes it by default: milliseconds since the epoch (a JSON number,
 *   or those digits as a string);
 * - an offset without its colon (`+0100`), a space for the `T`;
 * - no zone at all: ICM's own wall clock, whose zone the gateway does not know. It is read as if
 *   it were UTC, never in the gateway's own local zone (Date.parse's reading), so every gateway
 *   instance reads it alike whatever its TZ; `zoned: false` tells the caller it may be off by a
 *   zone's offset;
 * - a java.time value as Jackson's JavaTimeModule writes it by default (WRITE_DATES_AS_TIMESTAMPS,
 *   round eight): an OffsetDateTime, ZonedDateTime or Instant as epoch *seconds*, with their
 *   nanoseconds as a fraction (`1733450000.123000000`) or without; a LocalDateTime as the array of
 *   its fields `[year, month, day, hour, minute, second, nanos]` (no zone: as above). Before, whole
 *   seconds were taken for milliseconds (an order made in January 1970: never found for a lost
 *   creation, listed outside every date range), a fraction made the date none, and an array made
 *   every answer carrying it unreadable.
 * - a date in words: java.util.Date#toString() (`Wed Nov 13 14:27:06 CET 2019`) or RFC 1123
 *   (`Wed, 13 Nov 2019 13:27:06 GMT`), read by java-date-text.ts when its zone names one offset.
 */

/** An instant, and whether the text said its zone (timestamps.ts). */
export type IcmInstant = Instant;

/** How an ICM answer may write a date (see above). */
export type IcmDateValue = string | number | readonly number[];

/** Milliseconds since the epoch, as digits (Jackson's default for a java.util.Date). */
const EPOCH_MS = /^-?\d{11,15}$/;
/** Seconds since the epoch, as digits with or without their fraction (a java.time value, written as a string). */
const EPOCH_SECONDS = /^\d{9,10}(\.\d{1,9})?$/;
/** An epoch number below this (1e8 seconds, March 1973) is no order's date; seconds from milliseconds: EPOCH_SECONDS_BELOW. */
const SECONDS_FROM = 1e8;

/** The instant an ICM date stands for, or undefined when it is none. */
export function icmInstant(value: IcmDateValue | undefined): IcmInstant | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return epochInstant(value);
  if (typeof value !== 'string') return fieldsInstant(value);
  const text = value.trim();
  if (EPOCH_MS.test(text)) return { ms: Number(text), zoned: true };
  if (EPOCH_SECONDS.test(text)) return epochInstant(Number(text));
  // A date in words, as java.util.Date#toString() or RFC 1123 writes it (java-date-text.ts; round twenty-seven).
  return isoInstant(text) ?? javaDateTextInstant(text);
}

/** Epoch milliseconds (a java.util.Date), or seconds with a fraction (a java.time value): see EPOCH_SECONDS_BELOW. */
function epochInstant(value: number): IcmInstant | undefined {
  if (!Number.isFinite(value) || value < SECONDS_FROM) return undefined;
  if (value < EPOCH_SECONDS_BELOW) return { ms: Math.round(value * 1000), zoned: true };
  return Number.isSafeInteger(value) ? { ms: value, zoned: true } : undefined;
}

/** A LocalDateTime as Jackson's array of fields: ICM's wall clock, read as UTC (`zoned: false`, see above). */
function fieldsInstant(fields: readonly number[]): IcmInstant | undefined {
  if (fields.length < 3 || fields.length > 7 || !fields.every((field) => Number.isSafeInteger(field) && field >= 0)) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, nanos = 0] = fields;
  const pad = (field: number, width = 2) => String(field).padStart(width, '0');
  if (year > 9999 || nanos > 999_999_999) return undefined;
  // Through the ISO reading, which refuses what is no date (a 13th month, 31 February).
  return isoInstant(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(nanos, 9)}`);
}
