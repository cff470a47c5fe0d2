import { describe, expect, it } from 'vitest';
import { MAX_MOVED_DOWN, nextPageOffset, readToTotal, stillToRead } from '../../src/providers/intershop/page-overlap.js';

describe('the pages of ICM\'s list while it changes (round twenty-one)', () => {
  it('asks each next page from the last entry of the one before, never in place', () => {
    expect(nextPageOffset(0, 3)).toBe(2);
    expect(nextPageOffset(2, 50)).toBe(51);
    expect(nextPageOffset(7, 1)).toBe(8);
  });

  it('is at the end once as many different entries as the total were read and a page reached that position', () => {
    expect(readToTotal(5, 6, 2, 3)).toBe(true);
    // One gone before the boundary: counted, yet the last entry not read.
    expect(readToTotal(6, 6, 2, 3)).toBe(false);
    // An ICM ignoring `offset` answers its first page again: the count says more are left.
    expect(readToTotal(60, 50, 49, 50)).toBe(false);
    expect(readToTotal(undefined, 10, 0, 10)).toBe(false);
  });

  it('reads on past pages of entries read already only while the total says more are left, a bounded number of times', () => {
    expect(stillToRead(9, 7)).toBe(true);
    expect(stillToRead(7, 7)).toBe(false);
    expect(stillToRead(undefined, 7)).toBe(false);
    expect(MAX_MOVED_DOWN).toBeGreaterThan(0);
  });
});
