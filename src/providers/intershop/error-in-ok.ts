import { jsonOrUndefined } from '../http.js';
import { IntershopErrors } from './wire.js';

/*
 * ICM's error written with a 2xx (round twenty-three). Pure.
 *
 * The seed shows no error and no status code at all; CONTRACT §8 gives ICM's error body
 * `{errors: [{code, message, status, causes}]}`, the HTTP status inside it. A framework that never
 * sets the response's status (an exception mapper that returns an entity, a servlet filter that
 * commits 200) writes every error so. Such an answer has no order, so it was unreadable
 * everywhere (PROVIDER_UNAVAILABLE): a creation that failed in the chain was an unknown outcome whose
 * retry, finding no order, POSTed the restored basket again; a basket refused read as ICM being
 * down; a gone order's read as ICM failing.
 *
 * The error's own `status` is what ICM says of it: an answer that says a 4xx or 5xx there is read as
 * that status (client.ts send), so every path reads it as it reads that status. One whose errors
 * say none tells nothing of what ICM did (a refusal, or ICM failing after the work): the caller
 * finds out as for an answer without a body (client.ts createOrder, continueOrder). An error's
 * `code` is never read for it (its words are ICM's own, not promised).
 */

/** What a 2xx answer is: an order (or anything else: `undefined`), or ICM's error with the status it says, or with none (`unsaid`). */
export type ErrorInOk = number | 'unsaid' | undefined;

/** The HTTP status an error's `status` says: a 4xx or 5xx, written as digits or a number. */
function httpStatusOf(said: string | undefined): number | undefined {
  if (said === undefined || !/^\s*[45]\d\d\s*$/.test(said)) return undefined;
  return Number(said.trim());
}

/**
 * Whether a 2xx answer's body is ICM's error body and no order (`data` absent or null), and the
 * status its first error that says one says. Undefined for any other status or body.
 */
export function errorInOk(status: number, text: string): ErrorInOk {
  if (status < 200 || status >= 300) return undefined;
  const body = jsonOrUndefined(text, { nullsAbsent: true });
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'data' in body) return undefined;
  const parsed = IntershopErrors.safeParse(body);
  if (!parsed.success) return undefined;
  for (const error of parsed.data.errors) {
    const said = httpStatusOf(error.status);
    if (said !== undefined) return said;
  }
  return 'unsaid';
}
