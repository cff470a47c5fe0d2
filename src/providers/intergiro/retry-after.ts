import { headerText, type ResponseHeaders } from '../listing-headers.js';

/**
 * The longest a read turned away is waited for before it is asked once more (ms). A GraphQL call
 * (a lost creation's retry, a capture's read back) or a callback is not held longer: past it the
 * read is PROVIDER_UNAVAILABLE (a callback 503, its sender retries), as before round seventeen.
 */
export const MAX_READ_WAIT_MS = 2000;

/**
 * How long (ms) an answer that turned a request away says to wait before asking again, by its
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP date. A date is Intergiro's clock's,
 * so it is set against the same answer's own `Date` (that clock too) where it carries one, else
 * against the gateway's `now` moved by how far Intergiro's clock is ahead (`clockAheadMs`).
 * Undefined without a readable one: the seed shows no limit, so it says nothing of when either.
 */
export function retryAfterMs(headers: ResponseHeaders, now: number, clockAheadMs = 0): number | undefined {
  const value = headerText(headers, 'retry-after').trim();
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return undefined;
  const written = Date.parse(headerText(headers, 'date'));
  const from = Number.isFinite(written) ? written : now + clockAheadMs;
  return Math.max(0, at - from);
}
