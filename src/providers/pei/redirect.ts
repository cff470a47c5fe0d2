import { headerText, type ResponseHeaders } from '../listing-headers.js';

/**
 * Round eighteen: which redirects from Pei's front tier the client follows. The seed names Pei's
 * URLs and shows no answer that is not an order; a .NET service is hosted behind a front tier
 * (IIS's URL Rewrite, ASP.NET Core's rewriter, a load balancer) that may answer the paths as the
 * seed writes them with a redirect to where they are served (a trailing slash appended, a new
 * version's routes), before anything reaches the application. Before, every 3xx was
 * PROVIDER_UNAVAILABLE: behind such a front tier no order could be made, a paid order was never
 * CAPTURED (its postback's re-read failed) and a charge whose answer was lost never found.
 */

/** Redirects followed for one call at most; a longer chain (a loop) is answered as it stands. */
export const MAX_REDIRECTS = 3;

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * The URL to send the request to again, or undefined where the redirect is not followed:
 * - only to the same server (same scheme, host and port, or http to https of the same host): the
 *   bearer token goes to no host PEI_URL does not name;
 * - a GET (a read, a listing) whatever the redirect: it changes nothing, so sending it again is safe;
 * - a POST on 307 or 308, which keep the method by definition (RFC 9110 15.4.8, 15.4.9) and say
 *   the request was not acted on here; on 301 or 302 only to its own path respelled (a trailing
 *   slash added or dropped, letters in another case, the query kept): a routing rule, not an
 *   outcome. A 301 or 302 to another path may be a client's cue to GET it (RFC 9110 lets it) and,
 *   after a POST, how a site names its result (a 302 to the made order is read as that order:
 *   client.ts seesOther); a 303 is always the result. Those are not sent again.
 */
export function redirectTarget(method: 'GET' | 'POST', requestUrl: string, status: number, headers: ResponseHeaders): string | undefined {
  if (!REDIRECTS.has(status)) return undefined;
  const location = headerText(headers, 'location').trim();
  if (location === '' || location.includes(',')) return undefined;
  let from: URL;
  let to: URL;
  try {
    from = new URL(requestUrl);
    to = new URL(location, requestUrl);
  } catch {
    return undefined;
  }
  if (!sameServer(from, to)) return undefined;
  if (method === 'GET') return to.href;
  if (status === 307 || status === 308) return to.href;
  if ((status === 301 || status === 302) && samePathRespelled(from, to)) return to.href;
  return undefined;
}

/** The same origin, or the same host moved from http to https on the default ports (an HTTPS-only front tier). */
function sameServer(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && from.port === '' && to.port === '';
}

/** The same path but for a trailing slash and letter case, with the same query. */
function samePathRespelled(from: URL, to: URL): boolean {
  const bare = (path: string) => path.replace(/\/+$/, '').toLowerCase();
  return bare(from.pathname) === bare(to.pathname) && from.search === to.search;
}
