import { describe, expect, it } from 'vitest';
import { nextPageUrl } from '../../src/providers/pei/listing-pages.js';

// Round twenty-nine: the next pages a plain JSON listing or a Link header names (listing-pages.ts).
describe('Pei nextPageUrl, plain wrappers and Link headers', () => {
  const from = 'https://api.pei.is/api/orders?merchantId=4&date=2026-12-07';

  it.each([
    [{ data: [], nextPage: '/api/orders?merchantId=4&date=2026-12-07&page=2' }, 'https://api.pei.is/api/orders?merchantId=4&date=2026-12-07&page=2'],
    [{ results: [], next: 'https://api.pei.is/api/orders?page=2' }, 'https://api.pei.is/api/orders?page=2'],
    [{ value: [], '@odata.nextLink': '?merchantId=4&date=2026-12-07&$skip=3' }, 'https://api.pei.is/api/orders?merchantId=4&date=2026-12-07&$skip=3'],
    [{ Data: [], NextPageUrl: '//api.pei.is/api/orders?page=2' }, 'https://api.pei.is/api/orders?page=2'],
  ])('reads a wrapper naming its next page as a link: %j', (json, expected) => {
    expect(nextPageUrl(json, from)?.href).toBe(expected);
  });

  it.each([
    [{ data: [], nextPage: 2 }],
    [{ data: [], nextPage: '2' }],
    [{ data: [], nextPageToken: 'abc' }],
    [{ data: [], next: 'eyJwYWdlIjoyfQ' }],
    [{ data: [], next: null }],
    [{ data: [], next: 'javascript:alert(1)' }],
  ])('names no page where the wrapper gives a number, a token or nothing: %j', (json) => {
    expect(nextPageUrl(json, from)).toBeUndefined();
  });

  it('reads an RFC 8288 Link header, rel="next" among others, against the page it came from', () => {
    const headers = { link: '</api/orders?page=1>; rel="first", </api/orders?page=2>; rel="next"' };
    expect(nextPageUrl([], from, headers)?.href).toBe('https://api.pei.is/api/orders?page=2');
    expect(nextPageUrl([], from, { link: '</api/orders?page=1>; rel="first"' })).toBeUndefined();
  });
});
