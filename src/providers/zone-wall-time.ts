/*
 * A wall-clock time of a named IANA zone (`Europe/Stockholm`) as the instants it stands for, by
 * the zone's own rules (Intl's time zone data), never a fixed offset. Two adapters need it: Payway
 * reads a zoneless signing time as its region's wall clock (round nineteen), Intergiro a time
 * written with only its zone's name (round twenty-eight). Pure (Intl's data aside).
 */

const formatters = new Map<string, Intl.DateTimeFormat | undefined>();
/** Zone names come from providers' answers: the cache keeps this many, not one per name ever written. */
const MAX_FORMATTERS = 64;

/** A formatter of `zone`'s wall clock, or undefined where Intl knows no such zone. */
function formatterOf(zone: string): Intl.DateTimeFormat | undefined {
  if (formatters.has(zone)) return formatters.get(zone);
  if (formatters.size >= MAX_FORMATTERS) formatters.delete(formatters.keys().next().value!);
  let made: Intl.DateTimeFormat | undefined;
  try {
    made = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    made = undefined; // RangeError: not a zone Intl knows.
  }
  formatters.set(zone, made);
  return made;
}

/** How far (s) the formatter's zone's wall clock is ahead of UTC at the instant `seconds`. */
function offsetSecondsAt(formatter: Intl.DateTimeFormat, seconds: number): number {
  const whole = Math.floor(seconds);
  const parts = Object.fromEntries(formatter.formatToParts(new Date(whole * 1000)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second'])) / 1000;
  return wall - whole;
}

/**
 * The instants (Unix seconds) at which `zone`'s clocks showed the wall time `wallSeconds` (that
 * wall time read as if it were UTC): two in the hour an autumn change repeats, none in the hour a
 * spring change skips or for a zone Intl does not know, else one.
 */
export function instantsOfWallTime(wallSeconds: number, zone: string): number[] {
  const formatter = formatterOf(zone);
  if (!formatter) return [];
  const instants = new Set<number>();
  // The zone's offsets six hours either side bound any change near it.
  for (const probe of [wallSeconds - 6 * 3600, wallSeconds + 6 * 3600]) {
    const instant = wallSeconds - offsetSecondsAt(formatter, probe);
    if (offsetSecondsAt(formatter, instant) === wallSeconds - instant) instants.add(instant);
  }
  return [...instants];
}
