import { instantsOfWallTime } from '../zone-wall-time.js';
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
 * change, where a wall-clock hour happens twice), each held to the same five minutes. The wall
 * clock's instants come from the shared reader (../zone-wall-time.ts).
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
 * Every instant a signing time may stand for: `utcReading` (the time as signingTime reads it) for
 * a time that names its zone; for one that does not, that reading as UTC and as the wall clock of
 * each of PAYWAY_ZONES.
 */
export function signingInstants(written: string, utcReading: number): number[] {
  if (!writtenWithoutZone(written)) return [utcReading];
  return [...new Set([utcReading, ...PAYWAY_ZONES.flatMap((zone) => instantsOfWallTime(utcReading, zone))])];
}
