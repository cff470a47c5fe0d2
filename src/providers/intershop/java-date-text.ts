import { rfc5322Millis } from '../rfc5322-date.js';
import { minutesOfAbbreviation } from '../zone-abbreviations.js';
import type { Instant } from '../timestamps.js';

/*
 * An ICM `creationDate` written as Java prints a date in words, as an instant. Pure.
 *
 * The seed writes `2019-11-13T14:27:06+01:00` and names no serializer. A JSON writer that does not
 * know a java.util.Date stringifies it (`Date#toString()`: `Wed Nov 13 14:27:06 CET 2019`, in the
 * JVM's zone, named by its short name), and one configured with DateTimeFormatter.RFC_1123_DATE_TIME
 * (the HTTP date form JAX-RS uses for headers) writes `Wed, 13 Nov 2019 13:27:06 GMT` (or an offset,
 * `+0100`). Before (round twenty-seven) either was no date: every order so dated was left out of
 * listings (`orders` for INTERSHOP showed none of them), and a listing from a day read the whole
 * list, never reaching an order it could place before that day.
 *
 * A zone's short name is read only when it names one offset: UTC / GMT / UT, and Europe's
 * WET / WEST, CET / CEST, MET / MEST, EET / EEST (Java's names for Lisbon, Berlin, Helsinki...).
 * Others are ambiguous (Java writes `CST` for both America/Chicago and Asia/Shanghai, `IST` for
 * India, Ireland and Israel) or unknown: such a date stays none, never a guessed zone. The weekday
 * must be the date's own (a text whose parts disagree is no date). The RFC 1123 form is read by the
 * shared RFC 5322 reader (../rfc5322-date.ts), as Payway's signing times are.
 */

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `Date#toString()`: `EEE MMM dd HH:mm:ss zzz yyyy`. */
const JAVA_DATE = /^([a-z]{3}) ([a-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([a-z]{1,5}) (\d{4})$/i;

/** The instant such a text names, or undefined when it is none of these forms (or its zone is not one offset). */
export function javaDateTextInstant(text: string): Instant | undefined {
  const java = JAVA_DATE.exec(text);
  if (java) return javaDateInstant(java as unknown as string[]);
  const rfc1123 = rfc5322Millis(text);
  return rfc1123 === undefined ? undefined : { ms: rfc1123, zoned: true };
}

function javaDateInstant([, weekday, monthText, ...numbers]: string[]): Instant | undefined {
  const [dayText, hourText, minuteText, secondText, zone, yearText] = numbers as [string, string, string, string, string, string];
  const month = MONTHS.indexOf(monthText!.toUpperCase());
  const offset = minutesOfAbbreviation(zone);
  const [day, hour, minute, second, year] = [dayText, hourText, minuteText, secondText, yearText].map(Number) as [number, number, number, number, number];
  if (month < 0 || offset === undefined || hour > 23 || minute > 59 || second > 59 || day < 1) return undefined;
  const wall = Date.UTC(year, month, day, hour, minute, second);
  const date = new Date(wall);
  // Date.UTC rolls 31 February over into March: such a day is no date; nor is a weekday not the date's.
  if (date.getUTCDate() !== day) return undefined;
  if (WEEKDAYS[date.getUTCDay()] !== weekday!.toUpperCase()) return undefined;
  return { ms: wall - offset * 60_000, zoned: true };
}
