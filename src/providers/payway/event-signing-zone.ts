import { isAsctime } from './event-signing-time.js';

/*
 * A signing time written without a zone, as a wall-clock time of Payway's own region (round
 * nineteen). No document names how a timed event signature writes its time (round twelve read
 * Unix seconds, ISO 8601 with a zone, Ruby's Time#to_s and an HTTP date). A Java Payway writing
 * `LocalDateTime.now()` (`2026-12-07T07:45:12.123`) or a SQL `Timestamp` (`2026-12-07
 * 07:45:12.0`) writes the wall clock of the JVM's zone and no offset. The seed's Payway is
 * Swedish (adeprimo.se, worldoftulo.com, browser languages sv-SE and sv-FI, addresses in SE, FI
 * or AX), so that zone is Stockholm's (CET/CEST) or Helsinki's (EET/EEST, Åland's too), or UTC
 * (a server kept in UTC). Read as UTC alone, such a time was an hour off in winter and two in
 * summer: every event was stale (401) on every delivery, and each pending purchase stayed PENDING
 * though Payway had charged or failed it.
 *
 * The time is part of what is signed, so nothing the secret did not sign is believed; what widens
 * is only which instants the signed time may stand for: at most three (four across an autumn
 * change, where a wall-clock hour happens twice), each held to the same five minutes.
 */

/** The zones a zoneless signing time of Payway's may be written in, besides UTC. */
export const PAYWAY_ZONES: readonly string[] = ['Europe/Stockholm', 'Europe/Helsinki'];

/** An ISO 8601 or SQL date-time with no zone (`2026-12-07T07:45:12.123`, `2026-12-07 07:45:12.0`). */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?$/i;

/** Also C's asctime (round twenty-six: Ruby's Time#ctime, Python's time.ctime() write the local clock so). */
export function writtenWithoutZone(written: string): boolean {
  return ZONELESS.test(written) || isAsctime(written);
}

/**
 * The instants (Unix seconds) at which `zone`'s clocks showed the wall time `wallSeconds` (that
 * wall time read as if it were UTC). Two in the hour an autumn change repeats, none in the hour a
 * spring change skips, else one. DST is the zone's own (Intl's time zone data), never a fixed
 * offset.
 */
export function instantsOfWallTime(wallSeconds: number, zone: string): number[] {
  const instants = new Set<number>();
  // The zone's offsets just before and after: a change lies between them, if any.
  for (const probe of [wallSeconds - 6 * 3600, wallSeconds + 6 * 3600]) {
    const instant = wallSeconds - offsetSeconds(probe, zone);
    if (offsetSeconds(instant, zone) === wallSeconds - instant) instants.add(instant);
  }
  return [...instants];
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `seconds`. */
function offsetSeconds(seconds: number, zone: string): number {
  const whole = Math.floor(seconds);
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(whole * 1000)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second'])) / 1000;
  return wall - whole;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let made = formatters.get(zone);
  if (!made) {
    made = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, made);
  }
  return made;
}

/**
 * Every instant a signing time may stand for: `utcReading` (the time as signingTime reads it) for
 * a time that names its zone; for one that does not, that reading as UTC and as the wall clock of
 * each of PAYWAY_ZONES.
 */
export function signingInstants(written: string, utcReading: number): number[] {
  if (!writtenWithoutZone(written)) return [utcReading];
  return [...new Set([utcReading, ...PAYWAY_ZONES.flatMap((zone) => instantsOfWallTime(utcReading, zone))])];
}
