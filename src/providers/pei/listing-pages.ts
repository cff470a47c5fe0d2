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
 * The next page a HAL resource (`_links.next`) or a JSON:API document (`links.next`, beside a
 * `data` list) names, resolved against the URL its answer came from (a link may be host-relative,
 * query-only, protocol-relative or percent-encoded: RFC 3986 resolution takes each as written).
 * Undefined where the answer names none, or a link that is no http(s) URL. Whether it may be
 * followed (the same server only: the request carries the gateway's token) is the caller's.
 */
export function nextPageUrl(json: unknown, answeredFrom: string): URL | undefined {
  if (!isObject(json)) return undefined;
  const hal = isObject(json['_links']) ? hrefOf(json['_links']['next']) : undefined;
  const jsonApi = Array.isArray(json['data']) && isObject(json['links']) ? hrefOf(json['links']['next']) : undefined;
  const href = hal ?? jsonApi;
  if (href === undefined) return undefined;
  try {
    const url = new URL(href, answeredFrom);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
