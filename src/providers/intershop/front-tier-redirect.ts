/*
 * Redirects from the web tier in front of ICM, read by what HTTP says of each status. Pure.
 *
 * The seed shows where ICM's REST lives only in its examples' `links.self`
 * (`http://<server>/INTERSHOP/rest/WFS/...`) and no status code, header or redirect at all; a real
 * ICM sits behind a web tier (Apache, a load balancer) that may answer a request at the configured
 * base with a redirect to the same path under another (the application's context path renamed, a
 * site moved, a trailing slash or locale added). The shared HTTP client follows none
 * (src/providers/http.ts: a 3xx comes back as it is), and before round eighteen every such answer
 * was unreadable: every create, continue and read PROVIDER_UNAVAILABLE, nothing made or paid.
 */

/** RFC 9110 §15.4.8 / §15.4.9: the same method and body at `Location`; the request was not carried out where it was sent. */
const SAME_REQUEST_ELSEWHERE: ReadonlySet<number> = new Set([307, 308]);
/** 301, 302, 303: a read (GET) is the read at `Location`. To a POST or PATCH they are not followed (see sameRequestAt). */
const READ_ELSEWHERE: ReadonlySet<number> = new Set([301, 302, 303]);
/** How many redirects one request follows at most (a loop between two addresses ends). */
export const MAX_REDIRECTS = 3;

/**
 * Where the same request is to be sent again, or undefined when the answer is read as it is.
 * - 307 / 308, any method: HTTP requires the same method and body, and the server that answered so
 *   did not carry the request out, so sending it at `Location` is still the one request (a POST
 *   /orders too: ICM makes one order of it).
 * - 301 / 302 / 303 to a GET: the read there. Not to a POST or PATCH: after a 301 or 302 a client
 *   historically sends a GET, and a 302 is also how a Java servlet's `sendRedirect` answers a POST
 *   it carried out (POST/Redirect/GET, read by the caller, client.ts), so the write is not sent again.
 * - Only on `base`'s own origin (scheme, host, port): the authentication-token is never sent to a
 *   host an answer names (the seed's own answers name ICM's internal host, `jrwilms01:10080`).
 */
export function sameRequestAt(status: number, method: string, location: string, requestUrl: string, base: string): string | undefined {
  if (!SAME_REQUEST_ELSEWHERE.has(status) && !(READ_ELSEWHERE.has(status) && method === 'GET')) return undefined;
  const value = location.trim();
  // Repeated headers arrive joined with ", ": two addresses name no one place.
  if (!value || value.includes(', ')) return undefined;
  let target: URL;
  try {
    target = new URL(value, requestUrl);
  } catch {
    return undefined;
  }
  return target.origin === new URL(base).origin && /^https?:$/.test(target.protocol) ? target.href : undefined;
}

/**
 * Whether an answer says the request was not carried out where it was sent (307 / 308) and it was
 * not followed (another origin, too many hops): for the POST /orders, ICM made nothing.
 */
export function notCarriedOut(status: number): boolean {
  return SAME_REQUEST_ELSEWHERE.has(status);
}

/** 301 / 302 to a write: POST/Redirect/GET when its `Location` names the order (client.ts), else unread. */
export function foundElsewhere(status: number): boolean {
  return status === 301 || status === 302;
}
