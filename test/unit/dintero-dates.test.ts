import { afterEach, describe, expect, it } from 'vitest';
import { parseDinteroTime, unsetTime } from '../../src/providers/dintero/dates.js';

const AT = Date.UTC(2026, 11, 4, 21, 0, 0, 123);

describe('parseDinteroTime (a session expiry in the forms another Dintero may write)', () => {
  const zone = process.env['TZ'];
  afterEach(() => {
    if (zone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = zone;
  });

  it.each([
    ['2026-12-04T21:00:00.123Z'],
    ['2026-12-04T21:00:00.123'],
    ['2026-12-04 21:00:00.1234567'],
    ['2026-12-04T23:00:00.123+02:00'],
    ['2026-12-04T23:00:00.123+0200'],
    ['2026-12-04T16:00:00.123-05'],
    [' 2026-12-04T21:00:00.123z '],
  ])('%s is 21:00:00.123 UTC, whatever the gateway zone', (text) => {
    process.env['TZ'] = 'Asia/Tokyo';
    expect(parseDinteroTime(text)).toBe(AT);
  });

  it('epoch seconds and milliseconds, as numbers or digits', () => {
    expect(parseDinteroTime(Math.floor(AT / 1000))).toBe(AT - 123);
    expect(parseDinteroTime(AT)).toBe(AT);
    expect(parseDinteroTime(String(Math.floor(AT / 1000)))).toBe(AT - 123);
  });

  it.each([[''], ['soon'], ['2026-02-31T00:00:00Z'], ['2026-12-04T25:00:00Z'], ['2026-12-04T21:00:00+15:00'], [null], [true], [-5], [Number.NaN], [{}]])('%s names no instant', (value) => {
    expect(parseDinteroTime(value)).toBeUndefined();
  });

  it.each([['0001-01-01T00:00:00Z'], ['0001-01-01T00:00:00'], ['1970-01-01T00:00:00Z'], ['1970-01-01T00:00:00.000+00:00'], ['0000-00-00 00:00:00'], ['0000-00-00'], [0], ['0']])(
    '%s is a stack\'s zero value for a time not set: no instant (round nineteen)',
    (value) => {
      expect(unsetTime(value)).toBe(true);
      expect(parseDinteroTime(value)).toBeUndefined();
    },
  );

  it.each([['01/01/0001 00:00:00'], ['01.01.0001 00:00:00'], ['1/1/0001 12:00:00 AM'], ['0001-01-01 00:00:00 +0000 UTC'], ['01/01/0000']])(
    '%s is a stack\'s ToString of its zero time: no instant (round twenty-three)',
    (value) => {
      expect(unsetTime(value)).toBe(true);
      expect(parseDinteroTime(value)).toBeUndefined();
    },
  );

  it('Go\'s time.Time.String() is read by its numeric offset, its zone abbreviation dropped (round twenty-three)', () => {
    expect(parseDinteroTime('2026-12-04 22:00:00.123456789 +0100 CET')).toBe(AT);
    expect(parseDinteroTime('2026-12-04 21:00:00.123 +0000 UTC')).toBe(AT);
    // An abbreviation alone names no offset for sure: none, as before.
    expect(parseDinteroTime('2026-12-04 22:00:00.123 CET')).toBeUndefined();
  });

  it.each([['07.12.2026 13:00:00'], ['12/7/2026 1:00:00 PM'], ['0001 items'], ['01/01/0001 00:00:00 20260101']])('%s is not a zero time: a real date in a culture\'s form, or text that is not a date (round twenty-three)', (value) => {
    expect(unsetTime(value)).toBe(false);
  });

  it.each([['2026-12-04T21:00:00.123Z'], [1796546500], ['1970-01-01T00:00:01Z'], ['yes'], [true], [{}]])('%s is not a zero time (a cancel\'s time, or a value that is one anyway)', (value) => {
    expect(unsetTime(value)).toBe(false);
  });
});

describe('unsetTime: null written as its stack\'s text (round twenty-four)', () => {
  it.each([['None'], ['null'], ['NULL'], ['<nil>'], ['(null)'], ['undefined'], [' none ']])('%j names no time', (text) => {
    expect(unsetTime(text)).toBe(true);
    expect(parseDinteroTime(text)).toBeUndefined();
  });

  it.each([['Nonesuch'], ['2026-12-04T21:00:00Z'], ['nullable']])('%j is not one', (text) => {
    expect(unsetTime(text)).toBe(false);
  });
});

describe('other stacks\' JSON times (round twenty-five)', () => {
  it('.NET\'s JSON date is its milliseconds, an offset after them moving nothing', () => {
    expect(parseDinteroTime(`/Date(${AT})/`)).toBe(AT);
    expect(parseDinteroTime(`/Date(${AT}+0100)/`)).toBe(AT);
    expect(parseDinteroTime(`/Date(${AT}-0500)/`)).toBe(AT);
    expect(unsetTime(`/Date(${AT})/`)).toBe(false);
  });

  it.each([['/Date(-62135596800000)/'], ['/Date(-62135596800000+0000)/'], ['/Date(0)/']])('%s (DateTime.MinValue, the epoch) names no time', (text) => {
    expect(unsetTime(text)).toBe(true);
  });

  it.each([['/Date()/'], ['Date(1796546500123)'], ['/Date(1796546500123)'], ['/Date(1.5)/']])('%s is no .NET JSON date', (text) => {
    expect(parseDinteroTime(text)).toBeUndefined();
  });

  it('epoch seconds with a fraction as text (Python\'s str(time.time())) are read to the millisecond', () => {
    expect(parseDinteroTime(`${AT / 1000}`)).toBe(AT);
    expect(parseDinteroTime(`${AT / 1000}456`)).toBe(AT);
    expect(parseDinteroTime('1.5')).toBeUndefined();
  });
});
