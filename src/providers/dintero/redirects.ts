/**
 * Where a redirect answered to a Dintero call sends it (round eighteen). The seed shows the hosts
 * and paths of the token and the session only, and no HTTP answer at all; a real platform's front
 * tier may answer a call with a redirect (an API moved under another path, a trailing slash
 * canonicalised, one host's calls sent to the other). The shared HTTP call follows none (a 3xx
 * comes back as it is), and before, every one was PROVIDER_UNAVAILABLE: a redirected token or
 * draft made createOrder fail, a redirected read left a paid order CREATED, and a redirected
 * capture or void was taken for an outcome Dintero may have carried out (`dintero.outcome_unknown`,
 * its retry under the key refused unsent), though a redirect is answered instead of the work.
 */

/**
 * 301, 302, 307 and 308 say the resource is elsewhere (RFC 9110 §15.4): the request was not
 * carried out, and is to be made there. The method is kept, as 307 / 308 require and RFC 9110
 * allows for 301 / 302 (changing a POST into a GET is a browser's historical habit, not the rule):
 * a capture sent as a GET would capture nothing. 303 See Other answers a request that may have been
 * carried out, pointing at its result (a POST-redirect-GET): only a read is followed there.
 */
const MOVED = new Set([301, 302, 307, 308]);
const SEE_OTHER = 303;

/** Hops followed for one call at most; a longer chain is a loop. */
export const MAX_REDIRECT_HOPS = 3;

export type RedirectStep =
  /** Not a redirect to act on: the answer is read as before. */
  | { kind: 'answer' }
  /** The call is to be made again, as it was, at `url`. */
  | { kind: 'follow'; url: string }
  /** A redirect that is not followed (no usable Location, or one off Dintero's hosts): the call did nothing. */
  | { kind: 'unfollowed'; why: string };

/**
 * What to do with an answer to a call made to `from`: follow it to `url` only on one of
 * `dinteroOrigins` (the configured API and Checkout hosts): the call carries the gateway's bearer
 * token (or its client secret, for the token), which must not go to any other host.
 */
export function redirectStep(from: string, method: string, status: number, location: string | undefined, dinteroOrigins: readonly string[]): RedirectStep {
  const moved = MOVED.has(status) || (status === SEE_OTHER && method === 'GET');
  if (!moved) return { kind: 'answer' };
  const written = (location ?? '').trim();
  if (written === '') return { kind: 'unfollowed', why: `HTTP ${status} without a Location` };
  let target: URL;
  try {
    target = new URL(written, from);
  } catch {
    return { kind: 'unfollowed', why: `HTTP ${status} to a Location that is no URL` };
  }
  if (!dinteroOrigins.includes(target.origin)) return { kind: 'unfollowed', why: `HTTP ${status} to ${target.origin}, which is not one of Dintero's hosts` };
  return { kind: 'follow', url: target.toString() };
}

/** A Location header as one text (a header sent twice names no single place: none). */
export function locationOf(headers: Readonly<Record<string, string | string[] | undefined>> | undefined): string | undefined {
  const value = headers?.['location'];
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}
