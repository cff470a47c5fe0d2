import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/providers/listing-headers.js';
import { copyWrittenBy, firstPageStill, madeNoEarlierThan, nextPageUrl, pageIds, pagingOf, walkStep } from '../../src/providers/intergiro/listing-pages.js';

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
    // Round twenty-two: a page read before, again (any of them), came back: a wrap or a shift, told
    // apart by the first page asked again (firstPageStill).
    expect(walkStep(one, read)).toBe('came-back');
    expect(walkStep(two, read)).toBe('came-back');
    expect(walkStep(two, [pageIds(one), pageIds(two), pageIds([{ id: 'd' }])])).toBe('came-back');
    // Part of what was read, as orders made meanwhile push it on: read on where something is new.
    expect(walkStep([{ id: 'b' }, { id: 'd' }], read)).toBe('next');
    // Only orders read, but no page read before: stopped short, not the whole range.
    expect(walkStep([{ id: 'b' }, { id: 'c' }], read)).toBe('stopped');
    expect(walkStep([{ id: 'b' }, { number: 'x' }], read)).toBe('next');
    // Round twenty-five: an id written as a JSON number is its digits (ids.ts); one it cannot hold exactly, or a fraction, tells nothing.
    expect(pageIds([{ id: 'a' }, { id: 5 }])).toEqual(['a', '5']);
    expect(pageIds([{ id: 'a' }, { id: 5.5 }])).toBeUndefined();
    expect(pageIds([{ id: 'a' }, { id: 2 ** 60 }])).toBeUndefined();
  });

  it('tells a wrap from a shift by the first page asked again (round twenty-two)', () => {
    expect(firstPageStill([{ id: 'a' }, { id: 'b' }], ['a', 'b'])).toBe(true);
    // Newest first, orders landed at the head while the walk went on: the repeat may be a shift.
    expect(firstPageStill([{ id: 'x' }, { id: 'a' }], ['a', 'b'])).toBe(false);
    expect(firstPageStill([], ['a', 'b'])).toBe(false);
    expect(firstPageStill([{ id: 'a' }, { number: 'b' }], ['a', 'b'])).toBe(false);
    expect(firstPageStill([{ id: 'a' }], undefined)).toBe(false);
  });

  it('reads how old a cached listing may be from its Age (round twenty-two)', () => {
    const sentAt = 1_000_000;
    expect(madeNoEarlierThan(undefined, sentAt)).toBe(sentAt);
    expect(madeNoEarlierThan({}, sentAt)).toBe(sentAt);
    expect(madeNoEarlierThan({ age: '0' }, sentAt)).toBe(sentAt - 1000);
    expect(madeNoEarlierThan({ age: '12' }, sentAt)).toBe(sentAt - 13_000);
    // Held by a cache, for how long not said: no instant.
    expect(madeNoEarlierThan({ age: 'soon' }, sentAt)).toBe(Number.NEGATIVE_INFINITY);
    expect(madeNoEarlierThan({ age: '-3' }, sentAt)).toBe(Number.NEGATIVE_INFINITY);
  });
});

/** Round twenty-three: a copy without `Age`, told by its `Date` against Intergiro's clock as read before. */
describe('Intergiro copyWrittenBy', () => {
  const sentAt = Date.parse('2026-12-07T12:00:10.200Z');
  const date = (iso: string) => ({ date: new Date(iso).toUTCString() });

  it('a Date more than the margin older than the request is a copy, made by the end of its second', () => {
    expect(copyWrittenBy(date('2026-12-07T12:00:05Z'), sentAt, 0)).toBe(Date.parse('2026-12-07T12:00:06Z'));
    // Intergiro's clock 4 s behind, as its earlier answers showed: the same header is fresh.
    expect(copyWrittenBy(date('2026-12-07T12:00:06Z'), sentAt, -4000)).toBeUndefined();
  });

  it('a Date within the margin, or none, is not read as a copy', () => {
    expect(copyWrittenBy(date('2026-12-07T12:00:10Z'), sentAt, 0)).toBeUndefined();
    expect(copyWrittenBy(date('2026-12-07T12:00:07Z'), sentAt, 0)).toBeUndefined();
    expect(copyWrittenBy({}, sentAt, 0)).toBeUndefined();
  });
});
