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

/** The seed's own DateTime format (`2018-07-31 13:33:33.337`), UTC, no zone. */
export function formatSeedDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
