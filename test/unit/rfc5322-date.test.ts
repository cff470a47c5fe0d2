import { describe, expect, it } from 'vitest';
import { rfc5322Millis } from '../../src/providers/rfc5322-date.js';

/** 2026-12-07T07:45:12Z, the instant every spelling below names. */
const AT = Date.UTC(2026, 11, 7, 7, 45, 12);

// The one RFC 5322 reader Payway's signing times and Intershop's creation dates share.
describe('rfc5322Millis', () => {
  it.each([
    ['an HTTP date', 'Mon, 07 Dec 2026 07:45:12 GMT', AT],
    ["a numeric zone (Ruby's Time#rfc2822)", 'Mon, 07 Dec 2026 08:45:12 +0100', AT],
    ["-0000 (Python's formatdate())", 'Mon, 07 Dec 2026 07:45:12 -0000', AT],
    ['no weekday, a one-digit day', '7 Dec 2026 07:45:12 +0000', AT],
    ["Java's RFC_1123_DATE_TIME with a zone that names one offset", 'Mon, 7 Dec 2026 08:45:12 CET', AT],
    ['no seconds', 'Mon, 07 Dec 2026 07:45 UT', AT - 12_000],
    ['lower case, spaces round it', '  mon, 07 dec 2026 07:45:12 gmt ', AT],
    ["a leap second: its minute's end", 'Thu, 31 Dec 2026 23:59:60 GMT', Date.UTC(2027, 0, 1)],
  ])('%s: %s', (_what, text, millis) => {
    expect(rfc5322Millis(text)).toBe(millis);
  });

  it.each([
    ['a weekday that is not the date\'s', 'Tue, 07 Dec 2026 07:45:12 GMT'],
    ['a day past its month\'s end', 'Mon, 31 Feb 2026 07:45:12 GMT'],
    ['an ambiguous zone name (CST: Chicago or Shanghai)', 'Mon, 07 Dec 2026 07:45:12 CST'],
    ['an offset wider than any zone', 'Mon, 07 Dec 2026 07:45:12 +1500'],
    ['a second past 60', 'Mon, 07 Dec 2026 07:45:61 GMT'],
    ['no zone', 'Mon, 07 Dec 2026 07:45:12'],
    ['ISO 8601 (another reader\'s form)', '2026-12-07T07:45:12Z'],
  ])('%s is no date: %s', (_what, text) => {
    expect(rfc5322Millis(text)).toBeUndefined();
  });
});
