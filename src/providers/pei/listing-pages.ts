import { headerText, nextLink, type ResponseHeaders } from '../listing-headers.js';
import { fieldKey } from '../field-names.js';
import { isObject } from './wire-reading.js';

/*
 * Round twenty-eight: the pages after the first of a HAL or JSON:API listing. The seed shows no
 * listing output and no way to ask for another page, so round six read only the page it was given.
 * But a HAL or JSON:API document names its next page itself (`_links.next.href`, `links.next`):
 * following that link is reading what the format defines, not guessing a page parameter. Before,
 * a lost Orders/Pay or Recurring charge on a later page stayed unknown (PROVIDER_UNAVAILABLE) until
 * the gateway gave the creation up, and `orders(filter)` adopted only the first page's orders.
 */

/** How many pages of one day's listing are read at most: past it, the rest of the day is unknown (never absent). */
export const MAX_LISTING_PAGES = 20;

/** A link as HAL (`{href}`) or JSON:API (a URL, or a link object `{href}`) writes it. */
function hrefOf(link: unknown): string | undefined {
  if (typeof link === 'string' && link.trim() !== '') return link.trim();
  if (isObject(link) && typeof link['href'] === 'string' && link['href'].trim() !== '') return link['href'].trim();
  return undefined;
}

/**
 * Round twenty-nine: a plain JSON wrapper's names for its next page (an ASP.NET paged result's
 * `nextPage`, Django REST framework's `next`, OData's `@odata.nextLink`), in any letter case and
 * punctuation. A page number or an opaque token under such a name (`nextPage: 2`, `cursor`) is
 * not followed: asking for it needs a parameter the seed does not name (plainNextHref).
 */
const PLAIN_NEXT_KEYS = new Set(['next', 'nextpage', 'nextpageurl', 'nextlink', 'odatanextlink']);

/**
 * A plain wrapper's next page, only where it is written as a link: an absolute http(s) URL, or a
 * reference starting `/` or `?` (host-relative, protocol-relative, query-only). Anything else (a
 * number, `"2"`, a token) would be resolved into a path that was never named: not a link.
 */
function plainNextHref(json: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(json)) {
    if (!PLAIN_NEXT_KEYS.has(fieldKey(key).replace(/[^a-z0-9]/g, ''))) continue;
    const href = hrefOf(value);
    if (href !== undefined && /^(?:https?:\/\/|\/|\?)/i.test(href)) return href;
  }
  return undefined;
}

/**
 * The next page a HAL resource (`_links.next`) or a JSON:API document (`links.next`, beside a
 * `data` list) names, or (round twenty-nine) a plain wrapper (plainNextHref) or a `Link` header, resolved against the URL its answer came from (a link may be host-relative,
 * query-only, protocol-relative or percent-encoded: RFC 3986 resolution takes each as written).
 * Undefined where the answer names none, or a link that is no http(s) URL. Whether it may be
 * followed (the same server only: the request carries the gateway's token) is the caller's.
 */
export function nextPageUrl(json: unknown, answeredFrom: string, headers?: ResponseHeaders): URL | undefined {
  const hal = isObject(json) && isObject(json['_links']) ? hrefOf(json['_links']['next']) : undefined;
  const jsonApi = isObject(json) && Array.isArray(json['data']) && isObject(json['links']) ? hrefOf(json['links']['next']) : undefined;
  // Round twenty-nine: a plain wrapper's next page, and an RFC 8288 `Link: <...>; rel="next"`
  // around a bare array (round six only took them as saying the day is partial).
  const plain = isObject(json) ? plainNextHref(json) : undefined;
  const linked = headers ? nextLink(headerText(headers, 'link')) : undefined;
  const href = hal ?? jsonApi ?? plain ?? (linked !== undefined && linked !== '' ? linked : undefined);
  if (href === undefined) return undefined;
  try {
    const url = new URL(href, answeredFrom);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
