/*
 * Which redirects of a provider's front tier a call follows: one policy for every adapter (round
 * eighteen's four copies, Intergiro's, Pei's, Intershop's and Dintero's, made one). Pure.
 *
 * The shared HTTP client follows no redirect (http.ts: a 3xx comes back as it is); a provider's
 * load balancer or web tier may still answer a path with a redirect (a trailing slash required, an
 * API moved under another prefix or host name) before anything reaches the application. What a
 * redirect says of the request decides whether sending it again may move money twice:
 * - 307 / 308 (RFC 9110 §15.4.8, §15.4.9): the same method and body at `Location`; the request was
 *   not carried out where it was sent. Followed for any method; not followed, it still did nothing.
 * - 301 / 302 / 303 to a read: the read at `Location` (a read changes nothing).
 * - 301 / 302 to a write: a client may historically turn it into a GET, and a 302 is also how many
 *   servers answer a POST they CARRIED OUT (POST/Redirect/GET). Sending the write again may move
 *   money twice, so it is followed only to its own path respelled (a trailing slash added or
 *   dropped, letter case, the same query): a routing rule before the application, not an outcome.
 *   Otherwise the answer is the adapter's to read (a `Location` naming the order made, or an
 *   unknown outcome), never "nothing sent".
 * - 303 to a write: the result of work done; never followed, read by the adapter.
 * Only to targets the adapter allows (its own hosts: the credentials go with the request), and at
 * most MAX_REDIRECTS hops.
 */

/** How many redirects one call follows at most (a loop between two addresses ends). */
export const MAX_REDIRECTS = 3;

/** The same method and body at `Location`, for any method; the request was not carried out here. */
const SAME_REQUEST: ReadonlySet<number> = new Set([307, 308]);
/** Followed by a read; to a write, see WRITE_RESPELLED. */
const FOR_A_READ: ReadonlySet<number> = new Set([301, 302, 303]);
/** Followed by a write only to its own path respelled (303 never: it points at a result). */
const WRITE_RESPELLED: ReadonlySet<number> = new Set([301, 302]);
/** Methods that change nothing at the provider, so sending them again is safe. */
const READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** Whether a redirect's target (resolved) may be sent the request `from` was, with its credentials. */
export type AllowedTarget = (target: URL, from: URL) => boolean;

export type RedirectStep =
  /** Not a redirect this call follows: the adapter reads the answer as it is. */
  | { kind: 'answer' }
  /** The same request (method and body) is to be sent to `url`. */
  | { kind: 'follow'; url: string }
  /**
   * A redirect not followed (no one usable Location, a target not allowed, too many hops) whose
   * request was surely not carried out: a 307 / 308, or a read's 301 / 302 / 303. "Nothing sent".
   */
  | { kind: 'unfollowed'; why: string };

/** A `Location` header as it arrives: one text, repeated values joined with ", ", or an array. */
export type LocationHeader = string | readonly string[] | undefined;

/**
 * What to do with an answer `status` (with its `Location`) to `method` sent to `requestUrl`, after
 * `hops` redirects already followed in this call. `unfollowed` is only ever returned where the
 * request was not carried out (see RedirectStep), so an adapter may say "nothing sent" for it.
 */
export function redirectStep(status: number, method: string, location: LocationHeader, requestUrl: string, allowed: AllowedTarget, hops = 0): RedirectStep {
  const read = READS.has(method.toUpperCase());
  const notCarriedOut = SAME_REQUEST.has(status) || (read && FOR_A_READ.has(status));
  if (!notCarriedOut && !WRITE_RESPELLED.has(status)) return { kind: 'answer' };
  // A write's 301 / 302 not followed is read by the adapter (it may have been carried out).
  const notFollowed = (why: string): RedirectStep => (notCarriedOut ? { kind: 'unfollowed', why: `HTTP ${status} ${why}` } : { kind: 'answer' });
  const written = oneLocation(location);
  if (written === undefined) return notFollowed('without one Location');
  const from = new URL(requestUrl);
  let target: URL;
  try {
    target = new URL(written, from);
  } catch {
    return notFollowed('to a Location that is no URL');
  }
  if (!/^https?:$/.test(target.protocol) || !allowed(target, from)) return notFollowed(`to ${target.origin}, not a target this call may be sent to`);
  if (!notCarriedOut && !samePathRespelled(from, target)) return { kind: 'answer' };
  if (hops >= MAX_REDIRECTS) return notFollowed(`after ${MAX_REDIRECTS} redirects`);
  return { kind: 'follow', url: target.href };
}

/**
 * The one place a `Location` names, or undefined: absent, empty, or sent more than once (an array
 * of several, or values joined with ", "). A comma followed by what starts another URL (a scheme or
 * a slash) is taken for a join; a comma inside one URL (`?ids=1,2`) is not.
 */
export function oneLocation(location: LocationHeader): string | undefined {
  const values = typeof location === 'string' ? [location] : (location ?? []);
  if (values.length !== 1) return undefined;
  const value = values[0]!.trim();
  if (value === '' || /,\s*(?:[a-z][a-z0-9+.-]*:|\/)/i.test(value)) return undefined;
  return value;
}

/** An AllowedTarget: any of `urls`' origins (scheme, host and port). */
export function onOrigins(...urls: string[]): AllowedTarget {
  const origins = new Set(urls.map((url) => new URL(url).origin));
  return (target) => origins.has(target.origin);
}

/**
 * The same path but for a trailing slash and letter case, with the same query (on the same server,
 * or one the adapter allows: http to https). The very URL it was sent to is no respelling: a
 * routing rule redirecting a URL to itself would loop, while a POST/Redirect/GET to the resource
 * just written (PATCH `/orders/1`, 302 to `/orders/1`) is common.
 */
function samePathRespelled(from: URL, to: URL): boolean {
  const bare = (path: string) => withoutTrailingSlashes(path).toLowerCase();
  const sent = (url: URL) => `${url.origin}${url.pathname}${url.search}`;
  return sent(from) !== sent(to) && bare(from.pathname) === bare(to.pathname) && from.search === to.search;
}

/**
 * `path` without the slashes it ends in. A loop, not `/\/+$/`: that pattern is tried from every
 * slash of a run and backtracks over the rest, quadratic in a run of slashes that does not end the
 * path, and a provider's `Location` is read here before anything is believed (security probe 6).
 */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}
