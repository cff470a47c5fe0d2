/*
 * Time zone abbreviations that name one offset wherever they are used (rounds twenty-seven of
 * Intergiro and Intershop: Go's `time.Time.String()`, strftime's `%Z`, Java's `Date#toString()`
 * write a time with its zone's abbreviation). Others (`IST`: India, Ireland or Israel; `CST`: China
 * or Central America; `BST`: Britain or Bangladesh) are not read: a time in one of them stays
 * unreadable rather than read in a guessed offset. Pure.
 */

/** Minutes east of UTC of each abbreviation read. */
const MINUTES = new Map<string, number>([
  ['UTC', 0], ['GMT', 0], ['UT', 0], ['Z', 0],
  ['WET', 0], ['WEST', 60], ['CET', 60], ['CEST', 120], ['MET', 60], ['MEST', 120], ['EET', 120], ['EEST', 180],
]);

/** The offset (minutes east of UTC) an abbreviation names, any letter case; undefined where it names none or several. */
export function minutesOfAbbreviation(name: string): number | undefined {
  return MINUTES.get(name.trim().toUpperCase());
}

/** The same offset as ISO 8601 writes it (`Z`, `+01:00`), or undefined. */
export function isoOffsetOfAbbreviation(name: string): string | undefined {
  const minutes = minutesOfAbbreviation(name);
  if (minutes === undefined) return undefined;
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const whole = Math.abs(minutes);
  return `${sign}${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}
