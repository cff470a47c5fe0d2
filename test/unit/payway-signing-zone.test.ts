import { describe, expect, it } from 'vitest';
import { signingInstants, writtenWithoutZone } from '../../src/providers/payway/event-signing-zone.js';
import { instantsOfWallTime } from '../../src/providers/zone-wall-time.js';
import { signingTime } from '../../src/providers/payway/event-signing-time.js';

/** Unix seconds of an ISO instant. */
const at = (iso: string) => Date.parse(iso) / 1000;
/** A wall time read as if it were UTC (what signingTime gives for a zoneless time). */
const wall = (written: string) => signingTime(written)!;

describe("Payway's zoneless signing times read as its region's wall clock (round nineteen)", () => {
  it('winter: Stockholm is UTC+1, Helsinki UTC+2', () => {
    expect(instantsOfWallTime(wall('2026-12-07T07:45:12'), 'Europe/Stockholm')).toEqual([at('2026-12-07T06:45:12Z')]);
    expect(instantsOfWallTime(wall('2026-12-07 08:45:12.0'), 'Europe/Helsinki')).toEqual([at('2026-12-07T06:45:12Z')]);
  });

  it('summer: Stockholm is UTC+2 (CEST), Helsinki UTC+3 (EEST)', () => {
    expect(instantsOfWallTime(wall('2026-07-01T14:00:00'), 'Europe/Stockholm')).toEqual([at('2026-07-01T12:00:00Z')]);
    expect(instantsOfWallTime(wall('2026-07-01T15:00:00'), 'Europe/Helsinki')).toEqual([at('2026-07-01T12:00:00Z')]);
  });

  it("the autumn change: Stockholm's 02:30 on 25 October 2026 happens twice, both instants are read", () => {
    expect(instantsOfWallTime(wall('2026-10-25T02:30:00'), 'Europe/Stockholm').sort()).toEqual([at('2026-10-25T00:30:00Z'), at('2026-10-25T01:30:00Z')]);
  });

  it("the spring change: Stockholm's 02:30 on 29 March 2026 never happens, no instant", () => {
    expect(instantsOfWallTime(wall('2026-03-29T02:30:00'), 'Europe/Stockholm')).toEqual([]);
    // Just after the change: CEST.
    expect(instantsOfWallTime(wall('2026-03-29T03:30:00'), 'Europe/Stockholm')).toEqual([at('2026-03-29T01:30:00Z')]);
  });

  it('a zone Intl does not know: no instant (the shared reader Intergiro uses too)', () => {
    expect(instantsOfWallTime(wall('2026-12-07T07:45:12'), 'Europe/Atlantis')).toEqual([]);
  });

  it('only a time without a zone has other readings than its own', () => {
    expect(writtenWithoutZone('2026-12-07T07:45:12.123')).toBe(true);
    expect(writtenWithoutZone('2026-12-07 07:45:12.0')).toBe(true);
    expect(writtenWithoutZone('2026-12-07T07:45:12Z')).toBe(false);
    expect(writtenWithoutZone('2026-12-07 07:45:12 +0100')).toBe(false);
    expect(writtenWithoutZone('1796557095')).toBe(false);
    expect(signingInstants('2026-12-07T07:45:12Z', at('2026-12-07T07:45:12Z'))).toEqual([at('2026-12-07T07:45:12Z')]);
    expect(signingInstants('2026-12-07T07:45:12', wall('2026-12-07T07:45:12')).sort()).toEqual(
      [at('2026-12-07T05:45:12Z'), at('2026-12-07T06:45:12Z'), at('2026-12-07T07:45:12Z')],
    );
  });
});

describe("round twenty-six: C's asctime names no zone; a leap second in Payway's wall clock", () => {
  it("an asctime date is written without a zone: its UTC reading and Stockholm's and Helsinki's wall clocks", () => {
    const written = 'Mon Dec  7 07:45:12 2026';
    expect(writtenWithoutZone(written)).toBe(true);
    expect(signingInstants(written, wall(written)).sort()).toEqual([at('2026-12-07T05:45:12Z'), at('2026-12-07T06:45:12Z'), at('2026-12-07T07:45:12Z')]);
  });

  it("the leap second 2016-12-31T23:59:60Z as Stockholm's zoneless wall clock (00:59:60) is read as the new year's first instant", () => {
    const written = '2017-01-01T00:59:60';
    expect(signingInstants(written, wall(written))).toContain(at('2017-01-01T00:00:00Z'));
  });

  it('an asctime date with a zone after it is not zoneless (and no time)', () => {
    expect(writtenWithoutZone('Mon Dec  7 07:45:12 CET 2026')).toBe(false);
    expect(signingTime('Mon Dec  7 07:45:12 CET 2026')).toBeUndefined();
  });
});
