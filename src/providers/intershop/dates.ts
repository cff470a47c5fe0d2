import { isoInstant, type Instant } from '../timestamps.js';

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
 *   zone's offset.
 */

/** An instant, and whether the text said its zone (timestamps.ts). */
export type IcmInstant = Instant;

/** Milliseconds since the epoch, as digits (Jackson's default for a java.util.Date). */
const EPOCH_MS = /^-?\d{11,15}$/;

/** The instant an ICM date stands for, or undefined when it is none. */
export function icmInstant(value: string | number | undefined): IcmInstant | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { ms: value, zoned: true } : undefined;
  const text = value.trim();
  if (EPOCH_MS.test(text)) return { ms: Number(text), zoned: true };
  return isoInstant(text);
}
