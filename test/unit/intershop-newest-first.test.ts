import { describe, expect, it } from 'vitest';
import { reachesBefore } from '../../src/providers/intershop/newest-first.js';

describe('Intershop: where a newest-first list may stop being read (round twenty-six)', () => {
  const since = Date.parse('2026-12-07T12:00:00Z');

  it('a page reaches back before `since` when one of its entries is dated before it', () => {
    expect(reachesBefore([{ id: 'a', creationDate: '2026-12-07T13:00:00+01:00' }, { id: 'b', creationDate: '2026-12-07T12:59:59+01:00' }], since)).toBe(true);
    expect(reachesBefore([{ id: 'a', creationDate: '2026-12-07T13:00:00+01:00' }], since)).toBe(false);
    expect(reachesBefore([{ id: 'a', creationDate: since - 1 }], since)).toBe(true);
  });

  it('a date without a zone counts only when it is before `since` in every zone; entries without a readable date say nothing', () => {
    expect(reachesBefore([{ id: 'a', creationDate: '2026-12-07T10:00:00' }], since)).toBe(false);
    expect(reachesBefore([{ id: 'a', creationDate: '2026-12-06T21:00:00' }], since)).toBe(true);
    expect(reachesBefore(['a', { id: 'b' }, { id: 'c', creationDate: 'yesterday' }], since)).toBe(false);
  });
});
