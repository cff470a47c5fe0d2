import { describe, expect, it } from 'vitest';
import { signingTime } from '../../src/providers/payway/event-signing-time.js';

/** 2026-12-07T07:45:12Z, the instant every spelling below names. */
const AT = Date.UTC(2026, 11, 7, 7, 45, 12) / 1000;

describe('signingTime: a timed event signature\'s time as a sender writes it (round twenty-five)', () => {
  it.each([
    ['Unix seconds', String(AT), AT],
    ['milliseconds', `${AT}123`, AT + 0.123],
    ["microseconds (Go's UnixMicro)", `${AT}123456`, AT + 0.123456],
    ["nanoseconds (Go's UnixNano)", `${AT}123456789`, AT + 0.123456],
    ['ISO 8601 in UTC', '2026-12-07T07:45:12Z', AT],
    ['ISO 8601, lower-case t and z', '2026-12-07t07:45:12z', AT],
    ['ISO 8601, an offset without its colon', '2026-12-07T08:45:12+0100', AT],
    ["PostgreSQL's timestamptz (an offset of hours alone)", '2026-12-07 08:45:12.5+01', AT + 0.5],
    ["Java's ZonedDateTime.toString()", '2026-12-07T08:45:12.250+01:00[Europe/Stockholm]', AT + 0.25],
    ['ISO 8601 with a comma before the fraction', '2026-12-07T08:45:12,5+01:00', AT + 0.5],
    ["Ruby's Time#to_s", '2026-12-07 07:45:12 UTC', AT],
    ["Ruby's Time#to_s with its offset", '2026-12-07 08:45:12 +0100', AT],
    ['an HTTP date', 'Mon, 07 Dec 2026 07:45:12 GMT', AT],
    ["RFC 5322 with a numeric zone (Ruby's Time#rfc2822)", 'Mon, 07 Dec 2026 08:45:12 +0100', AT],
    ["RFC 5322 with -0000 (Python's formatdate())", 'Mon, 07 Dec 2026 07:45:12 -0000', AT],
    ['RFC 5322 without the day name', '7 Dec 2026 07:45:12 +0000', AT],
    ['no zone: read as UTC (event-signing-zone.ts reads the wall clocks)', '2026-12-07T07:45:12', AT],
    // Round twenty-six (round twenty-five's leftovers).
    ["C's asctime, the day padded with a space (RFC 9110's third HTTP date form)", 'Mon Dec  7 07:45:12 2026', AT],
    ["C's asctime, a two-digit day", 'Thu Dec 17 07:45:12 2026', AT + 10 * 86_400],
  ])('%s: %s', (_what, written, seconds) => {
    expect(signingTime(written)).toBeCloseTo(seconds, 5);
  });

  it.each([
    ['14 digits (no unit has them)', `${AT}1234`],
    ['a zone name in brackets without an offset', '2026-12-07T07:45:12[Europe/Stockholm]'],
    ['a day past its month', '2026-02-30T07:45:12Z'],
    ['an hour 24', '2026-12-07T24:00:00Z'],
    ['an offset of 25 hours', '2026-12-07T07:45:12+25:00'],
    ['a second 61', '2026-12-31T23:59:61Z'],
    ['a second 60 in an asctime date past the month', 'Thu Feb 30 23:59:60 2026'],
    ['a date alone', '2026-12-07'],
    ['an asctime date with its day unpadded and doubled space lost', 'Mon Dec 7  07:45:12 2026'],
  ])('no time: %s (%s)', (_what, written) => {
    expect(signingTime(written)).toBeUndefined();
  });
});

describe('signingTime: a leap second is the last second of its minute, read as its end (round twenty-six)', () => {
  /** 2017-01-01T00:00:00Z, the instant after the leap second 2016-12-31T23:59:60Z. */
  const NEW_YEAR = Date.UTC(2017, 0, 1) / 1000;

  it.each([
    ['ISO 8601 in UTC', '2016-12-31T23:59:60Z'],
    ['ISO 8601 with a fraction (not added past the minute)', '2016-12-31T23:59:60.750Z'],
    ["ISO 8601 at Stockholm's offset", '2017-01-01T00:59:60+01:00'],
    ['RFC 5322', 'Sat, 31 Dec 2016 23:59:60 +0000'],
    ['an HTTP date', 'Sat, 31 Dec 2016 23:59:60 GMT'],
    ['asctime', 'Sat Dec 31 23:59:60 2016'],
  ])('%s: %s', (_what, written) => {
    expect(signingTime(written)).toBe(NEW_YEAR);
  });
});
