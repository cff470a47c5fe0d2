import { headerText, type ResponseHeaders } from '../listing-headers.js';
import { nextPageUrl } from './listing-pages.js';

/*
 * Redirects from the tier in front of Intergiro (round eighteen). The seed shows each request's
 * host and path and nothing of a load balancer or router before them; a real platform's may answer
 * a path with a trailing slash required (308 to `/v1/order/`), an API moved under another prefix
 * (307), or a read moved for good (301). The HTTP client follows no redirect, so each was
 * PROVIDER_UNAVAILABLE: no card order could be made, and a capture of an order cancelled at
 * Intergiro whose read back was redirected stood on its echo (CAPTURED, nothing charged).
 */

/** How many redirects one call follows at most (a loop is not followed for ever). */
export const MAX_REDIRECTS = 3;

/** Statuses that say the request was not carried out where it was sent and keep its method and body (RFC 9110 15.4.8, 15.4.9). */
const KEEPS_METHOD: ReadonlySet<number> = new Set([307, 308]);
/** Statuses a user agent may follow as a GET (RFC 9110 15.4.2, 15.4.3): only a GET is sent on after them. */
const AS_GET: ReadonlySet<number> = new Set([301, 302]);

/** What to do with an answer: not a redirect to follow (`none`), follow it to `url`, or one that leads off Intergiro (`elsewhere`). */
export type Redirect = { kind: 'none' } | { kind: 'follow'; url: string } | { kind: 'elsewhere'; location: string };

/**
 * Whether `status` (with its `Location`) is a redirect this request follows: a 307 / 308 for any
 * method (the request was not carried out there, so sending it on sends it once), a 301 / 302
 * for a GET only (a POST or PATCH after one may have been carried out, as a 302 after a POST often
 * is, and is not sent again). It is followed only to Intergiro's own origin and path prefix
 * (listing-pages.ts nextPageUrl): the private API key goes with every request, and a `Location` on
 * another host is not given it (`elsewhere`). A 303, or a redirect without a readable `Location`,
 * is not followed (as before: PROVIDER_UNAVAILABLE).
 */
export function redirectOf(method: string, status: number, headers: ResponseHeaders, requestUrl: string, baseUrl: string): Redirect {
  if (!KEEPS_METHOD.has(status) && !(AS_GET.has(status) && method === 'GET')) return { kind: 'none' };
  const location = headerText(headers, 'location').trim();
  if (location === '') return { kind: 'none' };
  try {
    new URL(location, requestUrl);
  } catch {
    return { kind: 'none' };
  }
  const url = nextPageUrl(location, requestUrl, baseUrl);
  return url ? { kind: 'follow', url } : { kind: 'elsewhere', location };
}
