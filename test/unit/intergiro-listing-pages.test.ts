import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/providers/listing-headers.js';
import { nextPageUrl, pageIds, pagingOf, walkStep } from '../../src/providers/intergiro/listing-pages.js';

/** Round thirteen: what a listing page's headers say of the pages after it (listing-pages.ts). */
describe('Intergiro listing pages', () => {
  const base = 'https://merchant.intergiro.com';
  const page = `${base}/v1/order?start=2026-12-05&end=2026-12-08`;

  it('finds the next page in a Link header, whatever else it names and however rel is written', () => {
    expect(nextLink('</v1/order?page=2>; rel="next"')).toBe('/v1/order?page=2');
    expect(nextLink('<https://x/first>; rel="first", <https://x/p3>; rel=next')).toBe('https://x/p3');
    expect(nextLink('</v1/order?page=9>; rel="last", </v1/order?page=2>; REL="prev next"')).toBe('/v1/order?page=2');
    expect(nextLink('</v1/order?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
  });

  it('follows a next page only on Intergiro\'s own origin and path (the API key goes with it)', () => {
    expect(nextPageUrl('/v1/order?page=2', page, base)).toBe(`${base}/v1/order?page=2`);
    expect(nextPageUrl('https://elsewhere.example/v1/order?page=2', page, base)).toBeUndefined();
    expect(nextPageUrl('/other/v1/order', `https://h.example/api/v1/order`, 'https://h.example/api')).toBeUndefined();
    expect(nextPageUrl('/api/v1/order?page=2', `https://h.example/api/v1/order`, 'https://h.example/api')).toBe('https://h.example/api/v1/order?page=2');
  });

  it('says more where a Link names a next page (followable or not) or X-Total-Count exceeds what was carried', () => {
    expect(pagingOf({ link: '</v1/order?page=2>; rel="next"' }, 3, page, base)).toEqual({ next: `${base}/v1/order?page=2`, more: true });
    expect(pagingOf({ link: '<https://elsewhere.example/p2>; rel="next"' }, 3, page, base)).toEqual({ more: true });
    expect(pagingOf({ 'x-total-count': '7' }, 3, page, base)).toEqual({ more: true });
    expect(pagingOf({ 'x-total-count': '3' }, 3, page, base)).toEqual({ more: false });
    expect(pagingOf({ 'x-total-count': 'many' }, 3, page, base)).toEqual({ more: false });
    expect(pagingOf(undefined, 3, page, base)).toEqual({ more: false });
  });

  it('ends a walk whose link came back (round twenty-one): an empty page, the first page or the one just read again', () => {
    const one = [{ id: 'a' }, { id: 'b' }];
    const two = [{ id: 'c' }];
    const read = [pageIds(one), pageIds(two)];
    expect(walkStep([], read)).toBe('whole');
    expect(walkStep(one, read)).toBe('whole');
    expect(walkStep(two, read)).toBe('whole');
    // Part of what was read, as orders made meanwhile push it on: read on where something is new.
    expect(walkStep([{ id: 'b' }, { id: 'd' }], read)).toBe('next');
    // Only orders read, but no page read before: stopped short, not the whole range.
    expect(walkStep([{ id: 'b' }, { id: 'c' }], read)).toBe('stopped');
    expect(walkStep([{ id: 'b' }, { number: 'x' }], read)).toBe('next');
    expect(pageIds([{ id: 'a' }, { id: 5 }])).toBeUndefined();
  });
});
