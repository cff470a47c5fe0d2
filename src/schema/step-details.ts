/*
 * Security probe 8: the URLs a 3-D Secure step's `details` hand to the buyer's browser.
 *
 * `stopAction.threeDS.details` is the provider's step as it gave it (CONTRACT §8: Intergiro's
 * `{visible, method, url, data}`; Payway's whole Adyen action). A frontend performs the step from
 * it: Adyen's drop-in (`handleAction`) assigns a redirect action's `url` to the window, an
 * Intergiro 3-D Secure page posts `data` to `url` in a form or an iframe. A `javascript:` URL
 * there runs in the shop's own page, as one in `redirectUrl` did before security probe 2 (which
 * answers that field only when it is http(s)). So a field named like a URL (`url`, `redirectUrl`,
 * `notificationURL`, ...) whose value is an absolute URL of another scheme (or with a user name or
 * password) is left out here; the rest of the step, and any other http(s) or relative URL, is
 * handed on as written. Pure.
 */

/** A key naming a URL: `url`, `redirectUrl`, `termUrl`, `notificationURL`, `url_3ds`, ... */
const URL_KEY = /url/i;
/** How deep a step is read (an Adyen action nests a level or two; more is left as it is). */
const MAX_DEPTH = 8;

/** Whether `value` is an absolute URL the browser would run or load as something other than a web page, or one with a user name or password. */
function otherScheme(value: string): boolean {
  // The WHATWG parser, as a browser reads it: leading blanks and controls dropped, tabs and line
  // breaks anywhere removed, the scheme's case folded (` Java\nScript:` is `javascript:`).
  if (!URL.canParse(value)) return false;
  const { protocol, username, password } = new URL(value);
  // A user name or password reads as one host while it goes to another (`https://acs.bank@evil/`),
  // as order.ts isWebUrl refuses it in `redirectUrl`.
  return (protocol !== 'http:' && protocol !== 'https:') || username !== '' || password !== '';
}

/** `value` with every URL-named field of another scheme than http(s) left out (own fields only; keys defined, never assigned). */
function withoutOtherSchemes(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => withoutOtherSchemes(item, depth + 1));
  const kept: [string, unknown][] = [];
  for (const [key, field] of Object.entries(value)) {
    if (URL_KEY.test(key) && typeof field === 'string' && otherScheme(field)) continue;
    kept.push([key, withoutOtherSchemes(field, depth + 1)]);
  }
  // Object.fromEntries defines each key (a `__proto__` key stays the step's own field).
  return Object.fromEntries(kept);
}

/** A step's details as handed to a client: no URL-named field of another scheme than http(s). */
export function webOnlyStepDetails(details: Record<string, unknown>): Record<string, unknown> {
  return withoutOtherSchemes(details, 0) as Record<string, unknown>;
}
