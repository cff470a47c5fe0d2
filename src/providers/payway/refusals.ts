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
  return outcomeUnknown(rejection, status) ? { ...rejection, outcomeUnknown: true } : rejection;
}

/**
 * Whether a refusal leaves unknown what became of the payment: a third-party (Adyen) error, as
 * only those carry a correlation id (seed "Errors"), answered with a 5xx: Adyen failing or timing
 * out, not refusing (a refusal is Payway's 4xx, or a code that ends the purchase). Adyen may still
 * authorise such a payment and Payway close the order once Adyen tells it, so the purchase counts
 * as one whose answer was lost (its retry with the same key must not place it again), though the
 * client is told Payway's words (CONTRACT §7: a 4xx/5xx error body is PROVIDER_REJECTED).
 */
function outcomeUnknown(rejection: PaywayRejection, status: number): boolean {
  return status >= 500 && Boolean(rejection.correlationId) && !endsPurchase(rejection);
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
export function reachedAdyen(rejection: { providerCode?: string | undefined; correlationId?: string | undefined }): boolean {
  return Boolean(rejection.correlationId) || (rejection.providerCode !== undefined && endsPurchase({ providerCode: rejection.providerCode }));
}
