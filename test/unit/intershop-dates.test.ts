import { describe, expect, it } from 'vitest';
import { icmInstant } from '../../src/providers/intershop/dates.js';

describe('icmInstant: an ICM creationDate as an instant', () => {
  const at = Date.parse('2026-12-04T09:00:00Z');
  it.each<[string | number, number, boolean]>([
    ['2026-12-04T10:00:00+01:00', at, true],
    ['2026-12-04T10:00:00+01:00[Europe/Berlin]', at, true],
    ['2026-12-04T09:00:00Z[UTC]', at, true],
    ['2026-12-04T10:00:00+0100', at, true],
    ['2026-12-04T10:00:00+01', at, true],
    ['2026-12-04T10:00:00.000000000+01:00', at, true],
    ['2026-12-04T10:00:00,000+01:00', at, true],
    ['2026-12-04 10:00:00+01:00', at, true],
    [at, at, true],
    [String(at), at, true],
    // Without a zone: read as UTC whatever the gateway's own TZ, and said to be zone-less.
    ['2026-12-04T09:00:00', at, false],
    ['2026-12-04T09:00', at, false],
    // Jackson's JavaTimeModule defaults (round eight): epoch seconds, with or without their
    // nanoseconds, for an OffsetDateTime; the array of a LocalDateTime's fields (no zone).
    [at / 1000, at, true],
    [at / 1000 + 0.123, at + 123, true],
    [String(at / 1000), at, true],
    [`${at / 1000}.123000000`, at + 123, true],
  ])('%s', (value, ms, zoned) => {
    expect(icmInstant(value)).toEqual({ ms, zoned });
  });

  it.each<[number[], number]>([
    [[2026, 12, 4, 9, 0, 0], at],
    [[2026, 12, 4, 9, 0, 0, 123_000_000], at + 123],
    [[2026, 12, 4, 9, 0], at],
    [[2026, 12, 4], Date.parse('2026-12-04T00:00:00Z')],
  ])('the fields %j, read as UTC and zone-less', (fields, ms) => {
    expect(icmInstant(fields)).toEqual({ ms, zoned: false });
  });

  it.each<number[]>([[], [2026, 12], [2026, 2, 31, 0, 0, 0], [2026, 13, 1], [2026, 12, 4, 9, 0, 0, 0, 1], [2026, 12, 4.5], [2026, 12, -1]])('none: the fields %j', (fields) => {
    expect(icmInstant(fields)).toBeUndefined();
  });

  it.each<string | number | undefined>([undefined, '', 'yesterday', '2026-13-40T10:00:00Z', '04.12.2026 10:00', 1.5, '2026-12-04T10:00:00+01:00[' + 'x'.repeat(100) + ']'])(
    'none: %s',
    (value) => {
      expect(icmInstant(value)).toBeUndefined();
    },
  );
});
