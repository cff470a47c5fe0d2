import { countsMoreThan, headerText, nextLink, type ResponseHeaders } from '../listing-headers.js';
import { idText } from './ids.js';

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

/** How a listing walk stands after a page: going on, at the end of the range, stopped short of it, or come back to a page read (see walkStep). */
export type WalkStep = 'next' | 'whole' | 'stopped' | 'came-back';

/** The ids of a page's entries, in order; undefined where an entry has none to tell it by. */
export function pageIds(entries: readonly unknown[]): string[] | undefined {
  const ids = entries.map((entry) => (entry && typeof entry === 'object' ? idText((entry as { id?: unknown }).id) : undefined));
  return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

/** Two pages of the same orders in the same order (ids both can be told by). */
export const samePage = (one: readonly string[] | undefined, other: readonly string[] | undefined): boolean =>
  !!one && !!other && one.length === other.length && one.every((id, index) => id === other[index]);

/**
 * What a page says of the walk, beside the pages read before it (`read`, their ids, oldest first):
 * - `[]`: the range ends here (nothing follows an empty page): whole;
 * - a page read before again, in full (the same ids in the same order): came back. A link that
 *   wraps (to the first page, to any other) answers it, and so does a newest-first listing shifted
 *   by exactly a page's worth of orders made between two page reads (the page after the first then
 *   holds what the first held). The walk tells them apart by its first page asked again
 *   (firstPageStill);
 * - only orders already read otherwise (a shifted page, a link elsewhere back): stopped, not whole;
 * - anything new: read on.
 * Round twenty-two: a repeat of the first page or the page just read was taken for the end (round
 * twenty-one), so a shift by a page's worth passed for a wrap and the orders it pushed on were "not
 * listed" (a capture of an order cancelled at Intergiro answered CAPTURED); one of another page was
 * "stopped", so a link back to page two left every listing unfinished.
 */
export function walkStep(page: readonly unknown[], read: readonly (readonly string[] | undefined)[]): WalkStep {
  if (page.length === 0) return 'whole';
  const ids = pageIds(page);
  if (!ids) return 'next';
  if (read.some((earlier) => samePage(ids, earlier))) return 'came-back';
  const seen = new Set(read.flatMap((one) => one ?? []));
  return ids.every((id) => seen.has(id)) ? 'stopped' : 'next';
}

/**
 * A walk that came back, by its first page asked again (`again`): the same orders there as when
 * the walk began mean none was made at the head of the listing while it was walked (newest first,
 * every order made lands there; oldest first, none moves an earlier one), so no page shifted and
 * the page that came back is the paginator's wrap: every page was read (whole). Other orders there
 * mean the pages shifted, and the repeat may be one: not whole (what it pushed on was not read).
 */
export function firstPageStill(again: readonly unknown[], first: readonly string[] | undefined): boolean {
  return samePage(pageIds(again), first);
}

/*
 * Round twenty-two: a cache in front of the listing. The seed shows no caching header; a platform
 * that "optimizes" its listing may answer it through a CDN or an API gateway's response cache, which
 * answers a copy for its max-age with `Age`, the whole seconds it has held it (RFC 9111 5.1). A copy
 * made before a creation cannot show it: read as fresh, a lost creation's order (made, charged, its
 * answer a 500) was "surely absent" to the gateway's sweep, the intent dropped, and the retry made,
 * and charged, a second order.
 */

/**
 * The earliest instant (gateway clock, epoch ms) a listing answer asked at `sentAt` may have been
 * made: `sentAt` where no cache says it held it (no `Age`), else `sentAt` less its `Age` and the
 * second its whole seconds may hide (Age is a duration, so no clock is compared). An `Age` that
 * cannot be read says a cache held it without saying how long: no instant (-Infinity).
 */
export function madeNoEarlierThan(headers: ResponseHeaders, sentAt: number): number {
  const age = headerText(headers, 'age').trim();
  if (age === '') return sentAt;
  if (!/^\d+$/.test(age)) return Number.NEGATIVE_INFINITY;
  return sentAt - (Number(age) + 1) * 1000;
}

/**
 * How far (ms) a listing answer's `Date` must lie behind the moment it was asked, on Intergiro's
 * clock as its earlier answers set it, before it is read as a copy: the header's whole second (1 s),
 * the clock reading's own width (dates.ts clockAheadOf: least apart, up to a second and a call's
 * length off) and echo-read-back.ts's 2 s margin for dating.
 */
const COPY_MARGIN_MS = 3000;

/**
 * Round twenty-three: a cache that adds no `Age` (nginx's proxy_cache does not; against RFC 9111
 * 5.1) still answers the stored `Date`, the original's (RFC 9110 6.6.1: when the origin wrote it).
 * Read against Intergiro's clock as its answers before this one showed it (`clockAheadMs`, gateway
 * clock to Intergiro's), a `Date` more than COPY_MARGIN_MS older than the request is a copy made
 * no later than that `Date`'s second: that instant on the gateway's clock; undefined where the
 * `Date` is unreadable or within the margin (read as before, madeNoEarlierThan). Read as fresh, a
 * lost creation's retry searched a copy from before the creation, took the order as surely
 * absent, and created and charged it again; and the copy's `Date` set Intergiro's clock that many
 * seconds behind (client.ts keeps it out of that reading).
 */
export function copyWrittenBy(headers: ResponseHeaders, sentAt: number, clockAheadMs: number): number | undefined {
  const written = Date.parse(headerText(headers, 'date'));
  if (!Number.isFinite(written)) return undefined;
  const writtenBy = written + 1000 - clockAheadMs;
  return writtenBy + COPY_MARGIN_MS < sentAt ? writtenBy : undefined;
}
