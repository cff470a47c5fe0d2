import { providerUnavailable, providerUnreached } from '../../domain/errors.js';
import { callProvider, parseWire, type ProviderResponse } from '../http.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';
import { paywayErrorIn, STATUS_OF_ERROR_IN_OK } from './error-in-ok.js';
import { jsonWithoutConflictingMembers } from './json-members-twice.js';
import { PaywayRejected } from './refusals.js';
import {
  PaywayError,
  PaywayPaymentMethodsAnswer,
  PaywayPurchaseAnswer,
  isKnownPurchaseResult,
  wordKey,
  type PaywayAdditionalActionRequest,
  type PaywayPaymentMethodsQuery,
  type PaywayPlaceOrderRequest,
  type PaywayPurchaseResult,
} from './wire.js';

export interface PaywayClientOptions {
  /** PAYWAY_URL, e.g. https://backend.worldoftulo.com (paths start /external/api/v1/). */
  url: string;
  /** PAYWAY_TOKEN: the bearer token with identity and the /external/adyen/w scope. */
  token: string;
  timeoutMs: number;
}

const PROVIDER = 'Payway';
const ADYEN = '/external/api/v1/adyen';
/**
 * How long a purchase waits for Payway's price (payment_methods) before it goes on with the
 * stated one: the read is optional (no seed shows its answer), the shopper is waiting.
 */
const PRICE_READ_MS = 2000;

/**
 * Redirects that say the request was not taken where it was sent (RFC 9110: moved, or to be sent
 * again as it is to another URI): a Payway that moved host, or PAYWAY_URL in http where its front
 * redirects to https. The gateway follows no redirect (providers/http.ts), so such an answer is a
 * call that reached nothing, as a 4xx from in front of Payway is. Round thirteen: it counted as a
 * lost answer, so the retry with the same idempotency key was PROVIDER_UNAVAILABLE until the
 * intent expired (no event ever comes for a purchase never placed), and the attempt stayed a
 * candidate for its merchant reference's events: the next purchase under a reused reference could
 * not be told apart from it (PENDING though Payway closed it). 302 and 303 stay a lost answer: a
 * web stack answers a POST it acted on with them (303 See Other is that answer).
 */
const NOT_TAKEN_HERE: ReadonlySet<number> = new Set([301, 307, 308]);

/**
 * Whether `text` is one of the seed's three purchase answers (`{item: {status: "complete" |
 * "pending" | "action_required", ...}}`). The seed heads each "HTTP 200", yet says "Depending on
 * the status code received you will have to perform additional actions", which a Payway may read
 * as HTTP's: `action_required` as a 402 (payment required) or 428, a `pending` as a 4xx of its
 * own. Such a body is Payway's answer, never a proxy's, and the purchase it tells of exists.
 * Round thirteen: it was taken for a 4xx from in front of Payway (a call that reached nothing),
 * so the client was told PROVIDER_UNAVAILABLE, the shopper never got the 3-D Secure step, and the
 * retry with the same idempotency key placed the purchase a second time. A status word the
 * gateway does not know under a non-2xx status is not read so (it may be a refusal worded as a
 * status): it stays what it was.
 */
function purchaseAnswerIn(text: string): boolean {
  try {
    const answer = PaywayPurchaseAnswer.safeParse(purchaseJson(text));
    return answer.success && isKnownPurchaseResult(answer.data.item);
  } catch {
    return false;
  }
}

/**
 * `status` written twice as two spellings of one word (round twenty): the seed's `complete`
 * beside ` complete ` or `COMPLETE` (round two's spaced word, any letter case the adapter reads
 * since), as a Jackson `@JsonAnyGetter` passing Payway's own field through beside the declared
 * property may write it. Round nineteen took any two texts for a conflict, so such a `complete`
 * was unreadable: PROVIDER_UNAVAILABLE for a purchase Payway completed. Both say the same word,
 * so that word is no guess; two words (`pending`, `complete`) still conflict.
 */
const sameStatusWord = (name: string, first: unknown, second: unknown): boolean => name === 'status' && typeof first === 'string' && typeof second === 'string' && wordKey(first) === wordKey(second);

/**
 * A purchase answer's JSON: its long integers as their digits (long-numbers.ts), and a member an
 * object names twice with different values absent (json-members-twice.ts, round nineteen: the
 * last one had decided the purchase's status and money). Throws where JSON.parse would.
 */
function purchaseJson(text: string): unknown {
  return jsonWithoutConflictingMembers(wholeNumbersAsWritten(text), sameStatusWord);
}

/**
 * A purchase answer's result (purchaseJson). One of the seed's three words is the purchase as it
 * says; else Payway's error body, also under a 2xx, is its refusal (error-in-ok.ts); else a
 * status word the gateway does not know is kept as such. Unreadable: PROVIDER_UNAVAILABLE.
 */
function purchaseAnswer(text: string): PaywayPurchaseResult {
  let json: unknown;
  try {
    json = purchaseJson(text);
  } catch (error) {
    throw providerUnavailable(PROVIDER, error);
  }
  const answer = PaywayPurchaseAnswer.safeParse(json);
  if (answer.success && isKnownPurchaseResult(answer.data.item)) return answer.data.item;
  const refusal = paywayErrorIn(text);
  if (refusal) throw new PaywayRejected(refusal, STATUS_OF_ERROR_IN_OK);
  if (!answer.success) throw providerUnavailable(PROVIDER, answer.error);
  return answer.data.item;
}

/**
 * Payway's Adyen REST calls, typed with its wire shapes. A Payway error body (the seed: every
 * error carries it, with a status "between 400-500") becomes PROVIDER_REJECTED carrying its code,
 * field and correlation id (CONTRACT §7's Payway row), a 401/403 with it too: that is Payway
 * saying why (a token without the shopper's identity is refused so). A 5xx without it, a timeout,
 * or a body that is neither an answer nor an error is PROVIDER_UNAVAILABLE, and so is any 4xx
 * without Payway's body (a proxy, or PAYWAY_TOKEN refused before Payway's API answered), marked
 * as a call that reached nothing (see expectOk), as is a redirect saying the request was not
 * taken there (NOT_TAKEN_HERE).
 */
export class PaywayClient {
  constructor(private readonly options: PaywayClientOptions) {}

  /** Best effort (see PRICE_READ_MS): tried once, outside the circuit breaker's count. */
  async paymentMethods(query: PaywayPaymentMethodsQuery): Promise<PaywayPaymentMethodsAnswer['item']> {
    const search = new URLSearchParams({ ...query });
    const response = await this.call('GET', `${ADYEN}/payment_methods?${search}`, undefined, { bestEffort: true, timeoutMs: Math.min(this.options.timeoutMs, PRICE_READ_MS) });
    return parseWire(PROVIDER, PaywayPaymentMethodsAnswer, wholeNumbersAsWritten(this.expectOk(response))).item;
  }

  async placeOrder(request: PaywayPlaceOrderRequest): Promise<PaywayPurchaseResult> {
    const response = await this.call('POST', `${ADYEN}/place_order`, JSON.stringify(request));
    return purchaseAnswer(this.expectOk(response));
  }

  async performAdditionalAction(request: PaywayAdditionalActionRequest): Promise<PaywayPurchaseResult> {
    const response = await this.call('POST', `${ADYEN}/perform_additional_action`, JSON.stringify(request));
    return purchaseAnswer(this.expectOk(response));
  }

  private call(method: 'GET' | 'POST', path: string, body?: string, read: { bestEffort?: boolean; timeoutMs?: number } = {}): Promise<ProviderResponse> {
    return callProvider(PROVIDER, `${this.options.url}${path}`, {
      method,
      timeoutMs: read.timeoutMs ?? this.options.timeoutMs,
      ...(read.bestEffort ? { bestEffort: true } : {}),
      headers: {
        authorization: `Bearer ${this.options.token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
      // Seed: an error "will have an HTTP status code ranging between 400-500", and CONTRACT §8
      // maps a 5xx error body to PROVIDER_REJECTED: a 500 with Payway's error is Payway refusing
      // the purchase; a 500 without it (and 502-504) is Payway unavailable. The GET of
      // payment_methods (best effort) just goes without the price on a 500.
      readsErrorAt500: method === 'POST',
    });
  }

  /**
   * The body of a 2xx answer; a Payway error is thrown as PROVIDER_REJECTED. Every body is read
   * with its long integers as their digits (long-numbers.ts: ids a double cannot hold).
   */
  private expectOk(response: ProviderResponse): string {
    if (response.status >= 200 && response.status < 300) return response.text;
    let error: PaywayError;
    try {
      error = parseWire(PROVIDER, PaywayError, wholeNumbersAsWritten(response.text));
    } catch {
      // One of the seed's three answers under another status: Payway's own answer, read as such
      // (see purchaseAnswerIn).
      if (response.status < 500 && purchaseAnswerIn(response.text)) return response.text;
      // The cause names the status only: neither the token nor the answer reaches a log.
      const refused = response.status === 401 || response.status === 403 ? ': PAYWAY_TOKEN refused?' : '';
      const cause = new Error(`HTTP ${response.status} without a Payway error body${refused}`);
      // Payway answers every error of its own with its error body (seed "Errors": "in every
      // response"). A 4xx without it came from in front of Payway's API (a proxy's 429 or 413, a
      // router's 404 or 405, a firewall's 403): the request was turned away before any purchase
      // could be placed, so the call counts as one that reached nothing. Before, it counted as a
      // lost answer: the purchase's retry with the same idempotency key was PROVIDER_UNAVAILABLE
      // until its intent expired (no event ever comes for a purchase never placed), and the
      // attempt stayed a candidate for its merchant reference's events, so the next purchase
      // under a reused reference could not be told apart from it.
      if ((response.status >= 400 && response.status < 500) || NOT_TAKEN_HERE.has(response.status)) throw providerUnreached(PROVIDER, cause);
      throw providerUnavailable(PROVIDER, cause);
    }
    throw new PaywayRejected(error, response.status);
  }
}
