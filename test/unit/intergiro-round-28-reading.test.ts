import { describe, expect, it } from 'vitest';
import { intergiroTime, namesZone } from '../../src/providers/intergiro/dates.js';
import { decimalTextValue } from '../../src/providers/intergiro/decimal-text.js';
import { platformTimeAsIso } from '../../src/providers/intergiro/platform-times.js';
import { zoneNamedTimeAsIso } from '../../src/providers/intergiro/zone-name-times.js';

describe('Intergiro round twenty-eight: a time with its IANA zone name (zone-name-times.ts)', () => {
  it("reads PHP's Y-m-d H:i:s e by the zone's own offset at that wall time", () => {
    expect(zoneNamedTimeAsIso('2026-12-07 17:36:51 Europe/Oslo')).toBe('2026-12-07T17:36:51+01:00');
    expect(zoneNamedTimeAsIso('2026-07-07 17:36:51 Europe/Stockholm')).toBe('2026-07-07T17:36:51+02:00');
    expect(zoneNamedTimeAsIso('2026-12-07 17:36:51.25 America/St_Johns')).toBe('2026-12-07T17:36:51.25-03:30');
    expect(zoneNamedTimeAsIso('2026-12-07T17:36:51 Asia/Kolkata')).toBe('2026-12-07T17:36:51+05:30');
    expect(intergiroTime('2026-12-07 17:36:51 Europe/Oslo')).toBe(Date.parse('2026-12-07T16:36:51Z'));
  });

  it('is no time in the hour an autumn change repeats or a spring change skips, or for a zone Intl does not know', () => {
    // Europe/Oslo: 2026-10-25 03:00 CEST back to 02:00 CET; 2026-03-29 02:00 CET on to 03:00 CEST.
    expect(zoneNamedTimeAsIso('2026-10-25 02:30:00 Europe/Oslo')).toBeUndefined();
    expect(zoneNamedTimeAsIso('2026-03-29 02:30:00 Europe/Oslo')).toBeUndefined();
    expect(zoneNamedTimeAsIso('2026-10-25 03:30:00 Europe/Oslo')).toBe('2026-10-25T03:30:00+01:00');
    expect(zoneNamedTimeAsIso('2026-10-25 01:30:00 Europe/Oslo')).toBe('2026-10-25T01:30:00+02:00');
    expect(zoneNamedTimeAsIso('2026-12-07 17:36:51 Europe/Atlantis')).toBeUndefined();
    expect(Number.isNaN(intergiroTime('2026-10-25 02:30:00 Europe/Oslo'))).toBe(true);
    // It names its zone all the same: never read as a zoneless wall clock.
    expect(namesZone('2026-10-25 02:30:00 Europe/Oslo')).toBe(true);
  });

  it("reads Java's ZonedDateTime.toString() by its offset, also in the repeated hour", () => {
    expect(platformTimeAsIso('2026-12-07T17:36:51.123+01:00[Europe/Stockholm]')).toBe('2026-12-07T17:36:51.123+01:00');
    expect(platformTimeAsIso('2026-10-25T02:30+01:00[Europe/Oslo]')).toBe('2026-10-25T02:30+01:00');
    expect(intergiroTime('2026-10-25T02:30:00+02:00[Europe/Oslo]')).toBe(Date.parse('2026-10-25T00:30:00Z'));
  });
});

describe('Intergiro round twenty-eight: amounts as text (decimal-text.ts)', () => {
  it('reads a + sign and leading zeros as the one number they write', () => {
    expect(decimalTextValue('+20.00')).toBe(20);
    expect(decimalTextValue('0020.00')).toBe(20);
    expect(decimalTextValue('-5.00')).toBe(-5);
    expect(decimalTextValue(' +0.00 ')).toBe(0);
  });

  it('leaves every other text unreadable, never guessed', () => {
    for (const text of ['1,234.00', '20,00', '2e1', '+-20', '++20', '', '+', '20.', '.5']) expect(decimalTextValue(text)).toBeNaN();
  });
});
