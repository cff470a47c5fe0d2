import { describe, expect, it } from 'vitest';
import { isNoDate, parsePeiAnswerDateTime } from '../../src/providers/pei/dates.js';

describe("Pei's answer dates: .NET's DateTime.MinValue is no date (round twenty-three)", () => {
  it.each(['0001-01-01T00:00:00', '0001-01-01T00:00:00.0000000', '0001-01-01T00:00:00Z', '0001-01-01 00:00:00', '0001-01-01', '0001-01-01T05:00:00+05:00', '1.1.0001 00:00:00', '01.01.0001', '/Date(-62135596800000)/', '/Date(-62135596800000+0000)/', '/Date(-62135578800000)/'])(
    '%s is no date',
    (text) => {
      expect(isNoDate(text)).toBe(true);
      expect(parsePeiAnswerDateTime(text)).toBeUndefined();
    },
  );

  it.each([
    ['2026-12-08T12:00:00', '2026-12-08T12:00:00.000Z'],
    ['2026-12-08 12:00:00.337', '2026-12-08T12:00:00.337Z'],
    ['8.12.2026 12:00:00', '2026-12-08T12:00:00.000Z'],
    ['/Date(1796731200000)/', '2026-12-08T12:00:00.000Z'],
    ['1753-01-01T00:00:00', '1753-01-01T00:00:00.000Z'],
  ])('%s is still the date it names', (text, iso) => {
    expect(isNoDate(text)).toBe(false);
    expect(parsePeiAnswerDateTime(text)?.toISOString()).toBe(iso);
  });
});
