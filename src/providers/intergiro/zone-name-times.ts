import { instantsOfWallTime } from '../zone-wall-time.js';

/*
 * Round twenty-eight: a time written as a wall clock with its IANA zone's name and no offset, as
 * PHP's `Y-m-d H:i:s e` writes it ("2026-12-07 17:36:51 Europe/Stockholm"). The seed writes only
 * "<datetime of order>" and shows no event. Read as before, such a time was no time at all: a
 * refund Intergiro recorded as failed was taken for an older failure and answered done, and every
 * order of `orders(filter)` was left out.
 *
 * The offset is not guessed: Intl knows every IANA zone's rules, so the zone's offset at that wall
 * time is what its clocks showed, except where a daylight-saving change makes the wall time
 * ambiguous: in the hour an autumn change repeats it stands for two instants, in the hour a spring
 * change skips for none. There, and for a name Intl does not know, there is no time. Pure (Intl's
 * time zone data aside).
 */

/** Date, a space or `T`, time with seconds and an optional fraction, then the zone's name (`Area/Location`, `Etc/GMT+1`). */
const WITH_ZONE_NAME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})((?:[.,]\d{1,9})?) ?([A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** The offset (s ahead of UTC) `zone`'s clocks had when they showed `wallSeconds`, where exactly one instant showed it (../zone-wall-time.ts). */
function offsetOfWallTime(wallSeconds: number, zone: string): number | undefined {
  const instants = instantsOfWallTime(wallSeconds, zone);
  return instants.length === 1 ? wallSeconds - instants[0]! : undefined;
}

/** An offset in seconds as ISO 8601 writes it (`+01:00`, `-03:30`). */
function isoOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const minutes = Math.abs(seconds) / 60;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether a time's text ends in an IANA zone's name (whether or not it can be read). */
export function endsInZoneName(text: string): boolean {
  return WITH_ZONE_NAME.test(text.trim());
}

/**
 * The ISO 8601 text of a wall time written with its IANA zone's name, with the offset the zone had
 * then; undefined where the text is not in that form, the zone is unknown to Intl, or the wall time
 * lies in a daylight-saving change's repeated or skipped hour.
 */
export function zoneNamedTimeAsIso(text: string): string | undefined {
  const match = WITH_ZONE_NAME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const wallSeconds = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) / 1000;
  const offset = offsetOfWallTime(wallSeconds, zone!);
  if (offset === undefined) return undefined;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction!.replace(',', '.')}${isoOffset(offset)}`;
}
