import { countsMoreThan, headerText, nextLink, type ResponseHeaders } from '../listing-headers.js';

/*
 * The seed's listing (`GET /v1/order?start&end`) answers "an array of orders" and shows no paging.
 * An Intergiro may still keep each answer short with a page size (it "highly recommends" the dates
 * "to optimize behaviour"), the array bare and its paging said in a header, as bare-array APIs do:
 * a `Link` to the next page (`rel="next"`), or only `X-Total-Count`. Read as the whole range, a
 * first page was taken for all of it: a lost creation on a later page was "surely absent" and its
 * retry created (and charged) a second order; a capture's read back did not find an order cancelled
 * at Intergiro, and the echo stood (CAPTURED, nothing charged). Round thirteen.
 */

/** What one listing answer's headers say of the pages after it. */
export interface ListingPaging {
  /** The next page's URL where a `Link` names one this gateway may ask (see nextPageUrl). */
  next?: string;
  /** The headers say the range holds more than the pages read so far carry. */
  more: boolean;
}

/**
 * The next page's URL, resolved against the page it came with, where it is Intergiro's own (the
 * configured URL's origin and path): the API key goes with the request, so a link elsewhere is not
 * followed (the listing then stays one page of more).
 */
export function nextPageUrl(target: string, pageUrl: string, baseUrl: string): string | undefined {
  try {
    const next = new URL(target, pageUrl);
    const base = new URL(baseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    return next.origin === base.origin && (prefix === '' || next.pathname.startsWith(`${prefix}/`)) ? next.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a listing page's headers say: a `Link` with `rel="next"` (followed where nextPageUrl allows),
 * or an `X-Total-Count` above the orders the pages read so far carried (`carried`).
 */
export function pagingOf(headers: ResponseHeaders, carried: number, pageUrl: string, baseUrl: string): ListingPaging {
  const target = nextLink(headerText(headers, 'link'));
  const next = target !== undefined ? nextPageUrl(target, pageUrl, baseUrl) : undefined;
  return { ...(next ? { next } : {}), more: target !== undefined || countsMoreThan(headers, carried) };
}
