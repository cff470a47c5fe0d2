/**
 * A request target made of plain path segments only (letters, digits, `_`, `-`, `/`; no query,
 * no dot segment, no percent escape, not starting with `//`): the WHATWG URL parser would leave it
 * exactly as it is, so it is its own pathname.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_/-]*$/;

/** A base for request targets, which are paths: only the pathname and query of the result are read. */
const BASE = 'http://gateway.local';

/** The pathname of a target the URL parser refuses (`//@`, which Node's HTTP parser lets through): no route has it. */
export const UNPARSABLE_PATH = '';

/**
 * The pathname of a request target, as `new URL(target, base).pathname` gives it, without parsing
 * the plain ones (`/graphql`, nearly every request): a URL parse is a few percent of a cached
 * read's CPU, and the router and the request observer each needed one. Never throws: a target
 * the parser refuses is UNPARSABLE_PATH (answered 404); thrown, it would escape the request
 * listener and stop the process.
 */
export function pathnameOf(target: string | undefined): string {
  const raw = target ?? '/';
  if (PLAIN_PATH.test(raw)) return raw;
  try {
    return new URL(raw, BASE).pathname;
  } catch {
    return UNPARSABLE_PATH;
  }
}

/** The whole URL of a request target, for the routes that read its query (webhooks, the demo); only for a target `pathnameOf` parsed. */
export function urlOf(target: string | undefined): URL {
  return new URL(target ?? '/', BASE);
}
