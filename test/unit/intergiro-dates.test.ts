import { describe, expect, it } from 'vitest';
import { intergiroTime } from '../../src/providers/intergiro/dates.js';

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
