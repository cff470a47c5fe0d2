import { describe, expect, it } from 'vitest';
import { inNewestFirstOrder, reachesBefore } from '../../src/providers/intershop/newest-first.js';

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

  it('the early stop is trusted only while the entries read are newest first (undated ones say nothing)', () => {
    expect(inNewestFirstOrder([{ id: 'a', creationDate: '2026-12-07T13:00:00Z' }, 'b', { id: 'c', creationDate: '2026-12-07T13:00:00Z' }, { id: 'd', creationDate: '2026-12-07T11:00:00Z' }])).toBe(true);
    // Oldest first (against seed §2.3): read on, so a lost creation's search never ends before its order.
    expect(inNewestFirstOrder([{ id: 'a', creationDate: '2026-12-07T11:00:00Z' }, { id: 'b', creationDate: '2026-12-07T13:00:00Z' }])).toBe(false);
    expect(inNewestFirstOrder([])).toBe(true);
  });
});
