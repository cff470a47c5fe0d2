import { describe, expect, it } from 'vitest';
import { currencyCodeOf } from '../../src/providers/intergiro/currency-codes.js';
import { intergiroTime, namesZone } from '../../src/providers/intergiro/dates.js';
import { platformTimeAsIso } from '../../src/providers/intergiro/platform-times.js';

describe('platformTimeAsIso (round twenty-seven)', () => {
  it("reads Go's time.Time.String() by its numeric offset, its monotonic reading dropped", () => {
    expect(platformTimeAsIso('2026-12-07 17:36:51.123 +0100 CET')).toBe('2026-12-07T17:36:51.123+0100');
    expect(platformTimeAsIso('2026-07-07 17:36:51 +0200 CEST m=+12.345678901')).toBe('2026-07-07T17:36:51+0200');
    expect(platformTimeAsIso('2026-12-07 17:36:51.123456789 +0300 +03')).toBe('2026-12-07T17:36:51.123456789+0300');
    // The offset decides, whatever the abbreviation beside it.
    expect(platformTimeAsIso('2026-12-07 17:36:51 +0530 IST')).toBe('2026-12-07T17:36:51+0530');
  });

  it("reads strftime's %Z only where the abbreviation names one offset", () => {
    expect(platformTimeAsIso('2026-12-07 17:36:51 CET')).toBe('2026-12-07T17:36:51+01:00');
    expect(platformTimeAsIso('2026-07-07 17:36:51 CEST')).toBe('2026-07-07T17:36:51+02:00');
    expect(platformTimeAsIso('2026-07-07 17:36:51 UTC')).toBe('2026-07-07T17:36:51Z');
    expect(platformTimeAsIso('2026-12-07 17:36:51 IST')).toBeUndefined();
    expect(platformTimeAsIso('2026-12-07 17:36:51 CST')).toBeUndefined();
    // Round twenty-seven's leftover, read since round twenty-eight by the zone's own offset (zone-name-times.ts).
    expect(platformTimeAsIso('2026-12-07 17:36:51 Europe/Stockholm')).toBe('2026-12-07T17:36:51+01:00');
    expect(platformTimeAsIso('2026-12-07T17:36:51Z')).toBe('2026-12-07T17:36:51Z');
    expect(platformTimeAsIso('2026-12-07T17:36:51')).toBeUndefined();
  });

  it('makes intergiroTime read them and namesZone say they name their zone', () => {
    expect(intergiroTime('2026-12-07 17:36:51.123 +0100 CET')).toBe(Date.UTC(2026, 11, 7, 16, 36, 51, 123));
    expect(intergiroTime('2026-07-07 17:36:51 CEST')).toBe(Date.UTC(2026, 6, 7, 15, 36, 51));
    expect(intergiroTime('2026-12-07 17:36:51 IST')).toBeNaN();
    expect(namesZone('2026-12-07 17:36:51 +0100 CET m=+0.5')).toBe(true);
    expect(namesZone('2026-12-07 17:36:51 CET')).toBe(true);
    expect(namesZone('2026-12-07 17:36:51')).toBe(false);
  });
});

describe('currencyCodeOf (round twenty-seven)', () => {
  it('reads letters in any case and numeric codes of its table, as text or a number', () => {
    expect(currencyCodeOf('eur')).toBe('EUR');
    expect(currencyCodeOf(' SEK ')).toBe('SEK');
    expect(currencyCodeOf('978')).toBe('EUR');
    expect(currencyCodeOf(752)).toBe('SEK');
    expect(currencyCodeOf('036')).toBe('AUD');
    expect(currencyCodeOf(36)).toBe('AUD');
    expect(currencyCodeOf('392')).toBe('JPY');
  });

  it('reads nothing else: an unlisted code, a fraction, another type', () => {
    expect(currencyCodeOf('999')).toBeUndefined();
    expect(currencyCodeOf(978.5)).toBeUndefined();
    expect(currencyCodeOf('97')).toBeUndefined();
    expect(currencyCodeOf('EURO')).toBeUndefined();
    expect(currencyCodeOf(null)).toBeUndefined();
    expect(currencyCodeOf(undefined)).toBeUndefined();
  });
});
