import { minutesOfAbbreviation } from './zone-abbreviations.js';

/*
 * A date written as RFC 5322 §3.3 has it (`Mon, 07 Dec 2026 08:45:12 +0100`), of which RFC 9110's
 * HTTP date (`Sun, 06 Dec 2026 11:38:15 GMT`) and Java's `RFC_1123_DATE_TIME` are cases, as Unix
 * milliseconds. Pure. Two adapters read it where their seeds show ISO 8601 and their providers'
 * stacks may write this instead: Payway's signing times (Ruby's `Time#rfc2822`, PHP's
 * `DATE_RFC2822`, Python's `email.utils.formatdate()`) and Intershop's `creationDate` (JAX-RS
 * writing a date as its header form). One reader, so that both read the same texts alike.
 *
 * - The weekday is optional, as RFC 5322 has it; written, it must be the date's own (a text whose
 *   parts disagree is no date, not one of the two read as the other).
 * - Seconds are optional. A leap second (`23:59:60`) is read as its minute's end, the next
 *   minute's first instant (Unix time cannot name it; less than a second off); past 60, no date.
 * - The zone is an offset `+hhmm` (at most ±14:00, the widest in use) or a short name that names one
 *   offset (zone-abbreviations.ts: `GMT`, `UT`, `CET`...; an ambiguous `CST` or `IST` is no date,
 *   never a guessed zone).
 */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RFC5322 = /^(?:([a-z]{3}), *)?(\d{1,2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? +([a-z]{1,5}|[+-]\d{4})$/i;

/** The instant `text` names in RFC 5322's form, in Unix milliseconds, or undefined where it is not one (see above). */
export function rfc5322Millis(text: string): number | undefined {
  const parts = RFC5322.exec(text.trim());
  if (!parts) return undefined;
  const [, weekday, dayText, monthText, yearText, hourText, minuteText, secondText = '0', zone] = parts as unknown as string[];
  const month = MONTHS.indexOf(monthText!.toLowerCase());
  const [day, year, hour, minute, second] = [dayText, yearText, hourText, minuteText, secondText].map(Number) as [number, number, number, number, number];
  const offset = offsetMinutes(zone!);
  if (month < 0 || offset === undefined || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(Date.UTC(year, month, day));
  // Date.UTC rolls 31 February over into March: such a day is no date; nor is a weekday not the date's.
  if (date.getUTCDate() !== day) return undefined;
  if (weekday !== undefined && WEEKDAYS[date.getUTCDay()] !== weekday.toLowerCase()) return undefined;
  return Date.UTC(year, month, day, hour, minute, second) - offset * 60_000;
}

/** Minutes east of UTC of `+0100` (at most 14 hours), or of a short name that names one offset. */
function offsetMinutes(zone: string): number | undefined {
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (!numeric) return minutesOfAbbreviation(zone);
  const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
  return minutes > 14 * 60 || Number(numeric[3]) > 59 ? undefined : (numeric[1] === '-' ? -1 : 1) * minutes;
}
