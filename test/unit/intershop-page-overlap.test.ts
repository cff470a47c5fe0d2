import { describe, expect, it } from 'vitest';
import { MAX_MOVED_DOWN, nextPageOffset, readPastWithoutTotal, readToTotal, steppedBack, stillToRead, totalShrunk } from '../../src/providers/intershop/page-overlap.js';

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

describe('the pages of ICM\'s list while it changes (round twenty-two)', () => {
  it('steps a page back by as many entries as the total went down since the page before, never before the start', () => {
    expect(totalShrunk(6, 4)).toBe(2);
    expect(totalShrunk(6, 7)).toBe(0);
    expect(totalShrunk(undefined, 4)).toBe(0);
    expect(totalShrunk(6, undefined)).toBe(0);
    expect(steppedBack(2, 2)).toBe(0);
    expect(steppedBack(4, 1)).toBe(3);
    expect(steppedBack(1, 5)).toBe(0);
  });

  it('reads past a page of entries read already once, without a total, only when it is as long as the longest page ICM answered', () => {
    expect(readPastWithoutTotal(undefined, 3, 3, 0)).toBe(true);
    expect(readPastWithoutTotal(undefined, 3, 3, 1)).toBe(false);
    expect(readPastWithoutTotal(undefined, 2, 3, 0)).toBe(false);
    expect(readPastWithoutTotal(undefined, 0, 0, 0)).toBe(false);
    // With a total, stillToRead decides.
    expect(readPastWithoutTotal(9, 3, 3, 0)).toBe(false);
  });
});
