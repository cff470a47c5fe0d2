import { GatewayError } from '../../domain/errors.js';
import { wordKey, type PaywayError } from './wire.js';

/** Pure translations of Payway's error answers. */

export interface PaywayRejection {
  message: string;
  providerCode: string;
  providerField?: string;
  correlationId?: string;
  /** See outcomeUnknown. */
  outcomeUnknown?: true;
}

/**
 * A Payway error body (answered with HTTP `status`) as PROVIDER_REJECTED details; the message
 * never echoes request data.
 */
export function rejectionOf(error: PaywayError, status: number): PaywayRejection {
  const rejection: PaywayRejection = {
    message: `Payway refused the request: ${error.code}${error.field ? ` (${error.field})` : ''}`,
    providerCode: error.code,
    ...(error.field ? { providerField: error.field } : {}),
    ...(error.correlation_id ? { correlationId: error.correlation_id } : {}),
  };
  return outcomeUnknown(rejection, status, error.adyen_result) ? { ...rejection, outcomeUnknown: true } : rejection;
}

/**
 * Payway's refusal (PROVIDER_REJECTED), knowing whether it ended the purchase: by its code
 * (endsPurchase), or by Adyen's own result in its troubleshooting data (adyenRefused). The latter
 * is no part of what the client is told (the error's code and field are Payway's words).
 */
export class PaywayRejected extends GatewayError {
  readonly endsPurchase: boolean;

  constructor(error: PaywayError, status: number) {
    const { message, ...details } = rejectionOf(error, status);
    super('PROVIDER_REJECTED', message, details);
    this.endsPurchase = endsPurchase(details) || adyenRefused(error.adyen_result);
  }
}

/** Whether `error` is Payway's refusal that ends the purchase (see PaywayRejected). */
export function refusalEndsPurchase(error: unknown): boolean {
  if (error instanceof PaywayRejected) return error.endsPurchase;
  return error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && error.details.providerCode !== undefined && endsPurchase({ providerCode: error.details.providerCode });
}

/**
 * Whether a refusal leaves unknown what became of the payment: a third-party (Adyen) error, as
 * only those carry a correlation id (seed "Errors"), answered with a 5xx: Adyen failing or timing
 * out, not refusing (a refusal is Payway's 4xx, or a code that ends the purchase); or any refusal
 * whose troubleshooting data says Adyen took the payment (adyenTook). Adyen may still
 * authorise such a payment and Payway close the order once Adyen tells it, so the purchase counts
 * as one whose answer was lost (its retry with the same key must not place it again), though the
 * client is told Payway's words (CONTRACT §7: a 4xx/5xx error body is PROVIDER_REJECTED).
 */
function outcomeUnknown(rejection: PaywayRejection, status: number, adyenResult: string | undefined): boolean {
  if (endsPurchase(rejection) || adyenRefused(adyenResult)) return false;
  return (status >= 500 && Boolean(rejection.correlationId)) || adyenTook(adyenResult);
}

/**
 * Adyen's results that say it took the payment, or holds it until its outcome is known: whatever
 * Payway then failed at (its own step after the payment: the order, the subscription), the money
 * may move. The seed lets any error answer "add additional data for troubleshooting", with any
 * status "between 400-500". Round eleven: a 4xx carrying `result_code: "Authorised"` counted as a
 * refusal that made nothing, so the client's retry with the same idempotency key placed the
 * purchase a second time (two charges). Such a refusal is now an outcome unknown, as a relayed
 * 5xx is: the retry places nothing, and the purchase's event settles it. Round twelve: Adyen's
 * `PartiallyAuthorised` (a card without funds for the whole amount, where partial authorisations
 * are on) holds part of the money just as well; it was a refusal that made nothing, and the retry
 * with the same key asked Adyen for the payment again beside the part it held.
 */
const ADYEN_TOOK_RESULTS: ReadonlySet<string> = new Set(['authorised', 'authorized', 'pending', 'received', 'partially_authorised', 'partially_authorized']);

function adyenTook(result: string | undefined): boolean {
  return result !== undefined && ADYEN_TOOK_RESULTS.has(wordKey(result));
}

/**
 * Adyen's results (its `resultCode`) that end a payment for good: the issuer or Adyen refused it,
 * or the shopper cancelled it. Read from a third-party error's troubleshooting data (wire.ts
 * adyenResultOf), in any letter case. Before (round eight), only Payway's own code
 * `payment_refused` was taken: a 3-D Secure result Adyen refused under another code (a generic
 * `third_party_error` carrying `result_code: "Refused"`) left the purchase ACTION_REQUIRED for a
 * session Payway had closed, and a place_order Adyen refused, relayed as a 5xx, counted as an
 * outcome unknown (its retry with the same key refused for a day, though nothing was charged).
 * Other results (`ChallengeShopper`, `Pending`, `Received`, and `Error`, which Adyen uses for a
 * processing error the shopper may retry) leave the purchase as the code says.
 */
const FINAL_ADYEN_RESULTS: ReadonlySet<string> = new Set(['refused', 'cancelled']);

export function adyenRefused(result: string | undefined): boolean {
  return result !== undefined && FINAL_ADYEN_RESULTS.has(wordKey(result));
}

/**
 * Error codes from perform_additional_action that end the purchase. Every third-party (Adyen)
 * error carries a correlation id (seed "Errors"), a final refusal as much as a detail Adyen could
 * not read, so the correlation id says nothing about finality: only the codes listed here do.
 * `payment_refused` is the refusal Payway relays when Adyen declines the payment or the 3-D
 * Secure authentication (ASSUMED, as the sandbox documents); any other code leaves the action
 * open for another try.
 */
const FINAL_REFUSAL_CODES: ReadonlySet<string> = new Set(['payment_refused']);

/** The code in any letter case or word separator (`PAYMENT_REFUSED`, `PaymentRefused`, `payment-refused`): the same word. */
export function endsPurchase(rejection: Pick<PaywayRejection, 'providerCode'>): boolean {
  return FINAL_REFUSAL_CODES.has(wordKey(rejection.providerCode));
}

/**
 * Whether a refused place_order got as far as a payment at Adyen: a third-party error (the seed:
 * only those carry a correlation id) or a refusal that ends a purchase. Payway may still trigger
 * the failed purchase's events for such a one (PurchaseIndex.abandon); a refusal of the request
 * itself (a field Payway could not take) made no payment that could fail.
 */
export function reachedAdyen(error: GatewayError): boolean {
  return Boolean(error.details.correlationId) || refusalEndsPurchase(error);
}
