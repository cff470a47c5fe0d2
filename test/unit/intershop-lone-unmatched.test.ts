import { describe, expect, it } from 'vitest';
import { loneUnmatched } from '../../src/providers/intershop/lone-unmatched.js';

const byId = (one: { id: string }) => one.id;
const same = (id: string) => id;

describe('loneUnmatched: one payment under two ids (ICM\'s `lgAKAB2_...` and `open-tender`)', () => {
  it('pairs the one id the other side lacks with the one entry this side lacks', () => {
    const entries = [{ id: 'gift-card' }, { id: 'open-tender' }];
    expect(loneUnmatched(['gift-card', 'lgAKAB2_x'], same, entries, byId)).toEqual(['lgAKAB2_x', entries[1]]);
  });

  it('pairs nothing where every id is matched', () => {
    expect(loneUnmatched(['a', 'b'], same, [{ id: 'b' }, { id: 'a' }], byId)).toBeUndefined();
  });

  it('pairs nothing where either side has more than one left over, or none', () => {
    expect(loneUnmatched(['a', 'x', 'y'], same, [{ id: 'a' }, { id: 'open-tender' }], byId)).toBeUndefined();
    expect(loneUnmatched(['a', 'x'], same, [{ id: 'a' }, { id: 'p' }, { id: 'q' }], byId)).toBeUndefined();
    expect(loneUnmatched(['a', 'x'], same, [{ id: 'a' }], byId)).toBeUndefined();
    expect(loneUnmatched(['a'], same, [{ id: 'a' }, { id: 'p' }], byId)).toBeUndefined();
    expect(loneUnmatched([], same, [{ id: 'p' }], byId)).toBeUndefined();
  });

  it('answers the items themselves, not copies (a caller replaces the one it got by identity)', () => {
    const fresh = { id: 'open-tender' };
    const known = { id: 'lgAKAB2_x' };
    const pair = loneUnmatched([{ id: 'a' }, fresh], byId, [known, { id: 'a' }], byId);
    expect(pair?.[0]).toBe(fresh);
    expect(pair?.[1]).toBe(known);
  });
});
