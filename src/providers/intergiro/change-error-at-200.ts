import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import { comesBackLater } from '../http.js';
import type { IntergiroError } from './wire.js';

/**
 * What an Error answered 2xx in place of the PATCH's echo says of the changes, by the status the
 * Error gives itself (the HTTP status, 200, says nothing). The seed shows the PATCH's "200 response
 * with the same changes you requested" and no refusal of a change; a framework that never sets a
 * status answers its Errors 200, as round four's Intergiro does the creation's. Read as an echo it
 * could not read, every such answer was an unknown outcome, its intent pending (round twenty-three):
 * a capture its rate limit turned away was never sent again under its key, and a refused one
 * (an order cancelled at Intergiro, a capture word it does not take) was never refused.
 *
 * - `turned-away`: "come back later" (408, 425, 429): nothing was taken, as the same status answered
 *   as an HTTP status is read (http.ts turnedAway);
 * - `refused`: a 4xx: a refusal, read as the same Error answered with its 4xx is (a loop that stops
 *   at the first change it cannot carry out may have made those before: refused-batch.ts reads
 *   them back, as for a 400);
 * - `unknown`: a 5xx, or no numeric status (a word, none): the change may have been made, so its
 *   outcome stays unknown, as an unreadable answer's does. Nothing is guessed from `type` or words.
 */
export type ChangeErrorAt200 = 'turned-away' | 'refused' | 'unknown';

export function changeErrorAt200(error: IntergiroError): ChangeErrorAt200 {
  const status = error.status;
  if (status === undefined) return 'unknown';
  if (comesBackLater(status)) return 'turned-away';
  return status >= 400 && status < 500 ? 'refused' : 'unknown';
}

/**
 * An Error answered 2xx in place of the PATCH's echo that says neither refused nor turned away (its
 * `status` a word, as round eight's Intergiro writes its creation's, missing, or a 5xx): the change
 * may or may not have been made. Thrown as the unreadable answer it was before (PROVIDER_UNAVAILABLE,
 * its intent pending), carrying the Error so that order-changes.ts can read the orders back for a
 * refusal they show (error-at-200-read-back.ts).
 */
export class UnknownChangeErrorAt200 extends GatewayError {
  constructor(readonly error: IntergiroError) {
    const unknown = providerUnavailable('Intergiro', new Error(`PATCH answered 200 with an Error whose status says nothing of the changes (${String(error.status ?? 'none')})`));
    super(unknown.code, unknown.message, unknown.details);
  }
}
