import { describe, expect, it } from 'vitest';
import { icmInstant } from '../../src/providers/intershop/dates.js';

describe('icmInstant: a creationDate in words (java.util.Date#toString(), RFC 1123; round twenty-seven)', () => {
  const winter = Date.parse('2026-12-04T09:00:00Z');
  const summer = Date.parse('2026-07-03T08:00:00Z');
  it.each<[string, number]>([
    ['Fri Dec 04 10:00:00 CET 2026', winter],
    ['Fri Dec 04 09:00:00 UTC 2026', winter],
    ['Fri Dec 04 09:00:00 GMT 2026', winter],
    ['Fri Dec 04 11:00:00 EET 2026', winter],
    ['Fri Jul 03 10:00:00 CEST 2026', summer],
    ['Fri Jul 03 09:00:00 WEST 2026', summer],
    ['Fri, 4 Dec 2026 09:00:00 GMT', winter],
    ['Fri, 04 Dec 2026 10:00:00 +0100', winter],
    ['4 Dec 2026 09:00:00 GMT', winter],
    ['fri, 4 dec 2026 09:00:00 gmt', winter],
  ])('%s', (text, ms) => {
    expect(icmInstant(text)).toEqual({ ms, zoned: true });
  });

  it.each([
    // Ambiguous short names: Java writes CST for Asia/Shanghai and America/Chicago, IST for three zones.
    'Fri Dec 04 17:00:00 CST 2026',
    'Fri Dec 04 14:30:00 IST 2026',
    'Fri Dec 04 04:00:00 EST 2026',
    // Parts that disagree or are no date: the weekday not the date's, 31 February, hour 24, a leap second.
    'Thu Dec 04 10:00:00 CET 2026',
    'Sat, 31 Feb 2026 09:00:00 GMT',
    'Fri Dec 04 24:00:00 CET 2026',
    'Thu Dec 31 23:59:60 UTC 2026',
    'Fri, 4 Dec 2026 09:00:00 +1500',
  ])('%s is no date', (text) => {
    expect(icmInstant(text)).toBeUndefined();
  });
});
