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

/*
 * Round twenty-one: a paginator that does not stop. The seed shows no paging, and links in the wild
 * do not all end on the last page: the last page's `rel="next"` leads back to page one (a cursor
 * that wraps), to the last page itself (a page number clamped), or every page names a next one,
 * those past the end answered `[]`. Walked until a link came back to a URL already asked (or
 * twenty pages), such a listing was never whole: a creation whose connection dropped before it
 * reached Intergiro was "maybe on a page not read" on every retry, and the checkout could never be
 * paid under its key. What ends such a walk is read from the pages themselves, not from a guess of
 * the link's query (its page parameter's name is the platform's own).
 */

/** How a listing walk stands after a page: going on, at the end of the range, or stopped short of it. */
export type WalkStep = 'next' | 'whole' | 'stopped';

/** The ids of a page's entries, in order; undefined where an entry has none to tell it by. */
export function pageIds(entries: readonly unknown[]): string[] | undefined {
  const ids = entries.map((entry) => (entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string' ? (entry as { id: string }).id : undefined));
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

const samePage = (one: readonly string[] | undefined, other: readonly string[] | undefined): boolean =>
  !!one && !!other && one.length === other.length && one.every((id, index) => id === other[index]);

/**
 * What a page says of the walk, beside the pages read before it (`read`, their ids, oldest first):
 * - `[]`: the range ends here (nothing follows an empty page): whole;
 * - the first page or the page just read again, in full (the same ids in the same order): the link
 *   led back to the start or stayed on the last page, every page there is to reach was read: whole;
 * - only orders already read otherwise (a shifted page, a link elsewhere back): stopped, not whole;
 * - anything new: read on.
 * A page of a newest-first listing shifted by exactly its size between two page reads looks like the
 * page before it, and is taken for the end: what it pushed on are the oldest orders of the range.
 */
export function walkStep(page: readonly unknown[], read: readonly (readonly string[] | undefined)[]): WalkStep {
  if (page.length === 0) return 'whole';
  const ids = pageIds(page);
  if (!ids) return 'next';
  if (samePage(ids, read[0]) || samePage(ids, read.at(-1))) return 'whole';
  const seen = new Set(read.flatMap((one) => one ?? []));
  return ids.every((id) => seen.has(id)) ? 'stopped' : 'next';
}
