/**
 * Dintero's timestamps (a session's `expires_at`). No seed shows one; Dintero's reference writes
 * ISO 8601 in UTC with `Z`, and another Dintero may leave the zone out (its clock is UTC), add an
 * offset, write more fractions than milliseconds, a space for the `T`, or epoch seconds. A time
 * without a zone is UTC here: `Date.parse` would read it in the gateway's own zone (in Tokyo nine
 * hours early, and EXPIRED is final while the buyer could still pay), and epoch numbers not at all.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch numbers below this are seconds, at or above it milliseconds (1e11 s is the year 5138). */
const SECONDS_BELOW = 1e11;

/** The instant (epoch ms) a Dintero timestamp names, or undefined when it names none. */
export function parseDinteroTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? (value < SECONDS_BELOW ? value * 1000 : value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{9,13}$/.test(text)) return parseDinteroTime(Number(text));
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  let epoch = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  // Date.UTC rolls 31 February over into March: such a day is not a date.
  if (new Date(epoch).getUTCDate() !== d) return undefined;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMinutes > 14 * 60) return undefined;
    epoch -= (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60_000;
  }
  return Number.isFinite(epoch) ? epoch : undefined;
}
