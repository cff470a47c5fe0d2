/**
 * Pei's DateTime values. The seed writes one as `2018-07-31 13:33:33.337` (no zone, a space) in its
 * schema and as `2018-05-13T12:33:48.008Z` in its example; a .NET service may also write
 * `2018-07-31T13:33:33.3370000` or an offset. A value without a zone is UTC: Pei is Icelandic and
 * Iceland keeps UTC all year (no daylight saving). `Date.parse` would read a zone-less value in the
 * gateway's local zone, and anything else it does not know as NaN, so it is not used.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The instant a Pei DateTime names, or undefined when it is not one. */
export function parsePeiDateTime(text: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const fields = [Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)] as const;
  const [y, mo, d, h, mi, s] = fields;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  let epoch = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 31 February over into March: such a day is not a date.
  if (new Date(epoch).getUTCDate() !== d) return undefined;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMinutes > 14 * 60) return undefined;
    epoch -= sign * offsetMinutes * 60_000;
  }
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Day first, as the seed writes a date in its subscription example (`28.6.2015`) and says (`dd-mm-yyyy`). */
const DAY_FIRST = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?$/;
/** Older ASP.NET's JSON date: milliseconds since the epoch, perhaps with the writer's offset (which does not change the instant). */
const MS_JSON = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/;

/**
 * A DateTime in Pei's answers (the seed shows no read output): any form parsePeiDateTime takes,
 * or as a .NET service with Icelandic culture writes one (`31.7.2018 13:33:33`, day first as the
 * seed's `28.6.2015`, UTC like every zone-less Pei date), or older ASP.NET's `/Date(1533044013337)/`.
 * Only what Pei answers is read so: what the gateway sends stays the seed's ISO form.
 */
export function parsePeiAnswerDateTime(text: string): Date | undefined {
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

/** The seed's own DateTime format (`2018-07-31 13:33:33.337`), UTC, no zone. */
export function formatSeedDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
