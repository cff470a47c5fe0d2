import { describe, expect, it } from 'vitest';
import { clockAheadOf, intergiroTime, namesZone, wallClockOffsetFor, wallClockOffsetNear, wallClockOffsetOf, wallClockOffsetOfEcho } from '../../src/providers/intergiro/dates.js';

describe('intergiroTime', () => {
  it('reads a time without a zone as UTC, whatever the gateway\'s own zone', () => {
    const zone = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(intergiroTime('2026-12-04T21:53:57')).toBe(Date.UTC(2026, 11, 4, 21, 53, 57));
      expect(intergiroTime('2026-12-04 21:53:57.5')).toBe(Date.UTC(2026, 11, 4, 21, 53, 57, 500));
      expect(intergiroTime('2026-12-04T21:53')).toBe(Date.UTC(2026, 11, 4, 21, 53));
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('reads a zone or an offset as written, more fraction digits too; anything else is NaN', () => {
    expect(intergiroTime('2026-12-04T21:53:57.417Z')).toBe(Date.UTC(2026, 11, 4, 21, 53, 57, 417));
    expect(intergiroTime('2026-12-04T23:53:57+02:00')).toBe(Date.UTC(2026, 11, 4, 21, 53, 57));
    expect(intergiroTime(' 2026-12-04T21:53:57.417123Z ')).toBe(Date.UTC(2026, 11, 4, 21, 53, 57, 417));
    expect(intergiroTime('yesterday')).toBeNaN();
    expect(intergiroTime('')).toBeNaN();
  });
});

describe('clockAheadOf (round fourteen)', () => {
  const at = Date.UTC(2026, 11, 6, 20, 0, 0, 400);
  const date = (ms: number) => ({ date: new Date(ms).toUTCString() });

  it('is 0 where the header\'s whole second may overlap the call', () => {
    expect(clockAheadOf(date(at), at - 50, at + 50)).toBe(0);
    expect(clockAheadOf(date(at - 300), at - 50, at + 50)).toBe(0);
    expect(clockAheadOf(date(at - 900), at - 50, at + 50)).toBe(-350);
  });

  it('is the least the clocks are apart where the header shows them apart, ahead or behind', () => {
    expect(clockAheadOf(date(at + 5_000), at - 50, at + 50)).toBe(Date.UTC(2026, 11, 6, 20, 0, 5) - (at + 50));
    expect(clockAheadOf(date(at - 5_000), at - 50, at + 50)).toBe(Date.UTC(2026, 11, 6, 19, 59, 56) - (at - 50));
  });

  it('counts a cache\'s Age, and reads nothing from no header, an unreadable one, or one further off than five minutes', () => {
    expect(clockAheadOf({ ...date(at - 60_000), age: '60' }, at - 50, at + 50)).toBe(0);
    expect(clockAheadOf(undefined, at, at)).toBeUndefined();
    expect(clockAheadOf({ date: 'yesterday' }, at, at)).toBeUndefined();
    expect(clockAheadOf(date(at + 3_600_000), at, at)).toBeUndefined();
  });
});

describe('wallClockOffsetOf (round fourteen)', () => {
  const madeAt = Date.UTC(2026, 11, 6, 20, 0, 0, 400);

  it('is the zone, to the quarter hour, of a created written without one', () => {
    expect(wallClockOffsetOf('2026-12-06T15:00:01', madeAt)).toBe(-5 * 3_600_000);
    expect(wallClockOffsetOf('2026-12-06T21:00:02.100', madeAt)).toBe(3_600_000);
    expect(wallClockOffsetOf('2026-12-07T01:45:00', madeAt)).toBe(5.75 * 3_600_000);
    expect(wallClockOffsetOf('2026-12-06T20:00:01', madeAt)).toBe(0);
  });

  it('is 0 where created names its zone, or is further off than any zone', () => {
    expect(namesZone('2026-12-06T15:00:01Z')).toBe(true);
    expect(namesZone('2026-12-06T22:00:01+02:00')).toBe(true);
    expect(namesZone('2026-12-06T15:00:01')).toBe(false);
    expect(wallClockOffsetOf('2026-12-06T15:00:01Z', madeAt)).toBe(0);
    expect(wallClockOffsetOf('2026-12-03T20:00:01', madeAt)).toBe(0);
    expect(wallClockOffsetOf('yesterday', madeAt)).toBe(0);
  });
});

describe('wallClockOffsetNear and wallClockOffsetFor (round nineteen: a zone across its daylight-saving change)', () => {
  const summer = Date.UTC(2026, 9, 20, 10, 0, 0);
  const winter = Date.UTC(2026, 11, 7, 10, 0, 0);

  it('reads the offset a zoneless `created` shows beside the time of its answer; none for a zone named or a time far off', () => {
    expect(wallClockOffsetNear('2026-12-07T11:00:00.2', winter)).toBe(3_600_000);
    expect(wallClockOffsetNear('2026-12-07T10:00:00Z', winter)).toBeUndefined();
    expect(wallClockOffsetNear('2026-10-20T12:00:00', winter)).toBeUndefined();
  });

  it("takes the latest reading where it is newer than the order, else the order's own", () => {
    const latest = { offsetMs: 3_600_000, at: winter };
    expect(wallClockOffsetFor('2026-10-20T12:00:00', summer, latest)).toBe(3_600_000);
    expect(wallClockOffsetFor('2026-10-20T12:00:00', summer, undefined)).toBe(7_200_000);
    expect(wallClockOffsetFor('2026-12-07T11:00:00', winter + 1000, { offsetMs: 7_200_000, at: summer })).toBe(3_600_000);
  });
});

describe('wallClockOffsetOfEcho', () => {
  const sent = Date.parse('2026-12-07T10:00:00.000Z');
  it('reads the offset a dated echo shows where all its zoneless dates agree at both ends of the call (round twenty-one)', () => {
    expect(wallClockOffsetOfEcho(['2026-12-07T11:00:00.2', '2026-12-07T11:00:00.3'], sent, sent + 400)).toBe(3_600_000);
    expect(wallClockOffsetOfEcho(['2026-12-07T10:00:00.200Z'], sent, sent + 400)).toBeUndefined();
    expect(wallClockOffsetOfEcho([], sent, sent + 400)).toBeUndefined();
    // An older event beside one written now: the dates do not agree, nothing is read.
    expect(wallClockOffsetOfEcho(['2026-12-07T11:00:00', '2026-12-07T08:00:00'], sent, sent + 400)).toBeUndefined();
    expect(wallClockOffsetOfEcho(['yesterday'], sent, sent + 400)).toBeUndefined();
  });
});
