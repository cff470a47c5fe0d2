/**
 * Payway (Adyen) sandbox: an in-process simulator of `https://backend.worldoftulo.com/external/api/v1/adyen/...`
 * faithful enough that the gateway's Payway adapter, pointed at it, behaves as against the real
 * service. The seed (`seeds/payway-adyen-place-order.txt`) wins; CONTRACT §7/§8 and Payway's
 * public docs (perform_additional_action, payment_methods, the events overview) fill gaps.
 * Where all are silent, this is what the sandbox assumes; the adapter's flow depends on every
 * line marked ASSUMED:
 *
 * API
 *   - Every `/external/api/v1/` call needs `Authorization: Bearer <token>` (the `token` option,
 *     standing for a token with identity and scope /external/adyen/w|r); else 401 with Payway's
 *     error shape, code `unauthorized`. Unknown paths -> 404 code `not_found`.
 *   - Errors always carry all four properties `{code, field, message, correlation_id}`; `field`
 *     and `correlation_id` are null when not applicable; `correlation_id` is set for every
 *     third-party (Adyen) error, a final refusal or not (seed "Errors"). A parameter-table
 *     violation is 400 `invalid_parameter` naming the field as Payway spells it, nested with a
 *     dot (`browser_info.color_depth`); only the first violation is reported. A non-JSON body
 *     -> 400 `invalid_content_type_error`.
 *   - ASSUMED (the documented answer is not in the seed): `GET .../adyen/payment_methods?
 *     period_id&product_code&origin[&discount_code]` answers `{item: {amount: {currency, value},
 *     payment_methods: {paymentMethods: [...]}}}`: Adyen's /paymentMethods answer plus
 *     `item.amount`, the amount Payway asks Adyen for — the period's price in minor units, after
 *     the discount code — which the drop-in needs as well. Without period_id the amount is left
 *     out. ASSUMED: payment_methods takes `discount_code` (CONTRACT §8 lists only the other
 *     three) and checks it as place_order does. The adapter reads this answer best effort and
 *     does not depend on it (the client states the price); seed-minimal mode answers Adyen's
 *     own shape, without `amount`, and `answerNextWith` makes a place_order answer say a status
 *     word the gateway does not know.
 *   - Products and periods come from the `products` option (default: the seed's
 *     `package_code` / `5e4beac909c04c404a46c730` at 199.00 SEK, `5e4bbd0e09c04c1f6498c57f` at
 *     210.00 SEK, and `adeprimo_digital` / `585a4768edce2c5e6f000001` at 99.00 SEK). Unknown
 *     product -> 404 `product_not_found` (field product_code); unknown period -> 404
 *     `period_not_found` (field period_id).
 *   - `discount_code` ("Discounted price. Code needs to be defined in PAP") must be one of the
 *     `discountCodes` option, each a percent off the period's price, rounded down to a whole
 *     minor unit (default {WELCOME: 20}: 199.00 -> 159.20 SEK); others -> 400
 *     `invalid_discount_code` (field discount_code), from payment_methods and place_order alike.
 *     The purchase is charged the discounted price.
 *   - place_order answers 200 `{item}` with `complete` / `pending` / `action_required` exactly as
 *     the seed shows. Payway's order id (`SANDBOX-<n>`) exists from place_order on, even while
 *     the answer is only "pending"; the events name it. An error answer places no purchase.
 *   - perform_additional_action `{details, session_reference, origin}` (24 hex digits, absolute
 *     origin; it must be the origin of the purchase, else 400 field origin) answers like
 *     place_order. Unknown session -> 404 `session_not_found`; a session not waiting for an
 *     action -> 400 `session_not_active`. `details` must carry `threeds2.fingerprint` for a
 *     threeDS2Fingerprint action, `threeds2.challengeResult` (base64 JSON `{transStatus}`) for
 *     a threeDS2Challenge and `payload` for an await action; else 400 field `details`. A
 *     challengeResult Adyen cannot read -> 422 `third_party_error` (field details, ASSUMED code)
 *     with a correlation id, and the session still waits for the action. transStatus other
 *     than "Y" -> 400 `payment_refused` "3D Not Authenticated" with a correlation id; the
 *     purchase fails. `payment_refused` is the only error that ends a purchase.
 *   - Actions: `{paymentMethodType, token, type}` as the seed shows for 3-D Secure; Adyen's
 *     `await` action (an app approval, as Swish uses) is `{paymentMethodType, type: "await"}`
 *     without a token.
 * Test cards (sandbox/cards.ts; `payment_method.encryptedCardNumber` "test_<number>"):
 *   4111111111111111 (and any unlisted number) complete; 4917610000000000 challenge -> complete;
 *   5201281505129736 fingerprint -> challenge -> complete; 4000620000000007 pending ->
 *   order_closed after `pendingSettleMs`; 4000300011112220 pending -> payment_failure after
 *   `pendingSettleMs`; 4000000000009995 pending until `settle()`; 5454545454545454 challenge ->
 *   pending until `settle()`; 4000000000000044 await -> complete; 4000000000000002 refused
 *   (400 payment_refused with correlation_id). A payment method whose `type` is not "scheme"
 *   (e.g. swish) is pending until `settle()`.
 * 3-D Secure pages: an action's `token` is base64 JSON naming the sandbox page for it.
 *   `GET /adyen/3ds2/<session>/method` (fingerprint) needs no person and shows the details;
 *   `GET /adyen/3ds2/<session>/challenge` is a form (Authenticate / Fail authentication) whose
 *   POST shows the details. The details are in `<pre id="details">` as JSON. Pages change no
 *   state: only perform_additional_action does.
 * Purchase events (webhooks):
 *   - POST `<gatewayUrl>/webhooks/payway`, `Content-Type: application/json`, body
 *     `{event, timestamp, payload: {account: {id, organisation_id}, order: {id, merchant_reference,
 *     product_code, period_id, status}, receipt?: {id}, payment?: {result_code, message}}}`
 *     (`order_closed` carries `receipt`, `payment_failure` carries `payment`). Seed-minimal
 *     (no seed shows an event): the same facts as `{id, type: "order.closed", createdAt, data:
 *     {orderId, merchantReference, productCode, receiptId?, message?}}` (events.ts `wireBodyOf`).
 *   - ASSUMED: `payload.order.merchant_reference` echoes place_order's merchant_reference (the
 *     only handle on a purchase whose answer was "pending"), and `payload.order.id` is the same
 *     id place_order's `complete` answer gave as `order_id`.
 *   - ASSUMED signing scheme (Payway's docs show the body but no signature): headers
 *     `X-Payway-Timestamp: <unix seconds>` and `X-Payway-Signature: sha256=<hex
 *     HMAC-SHA256(webhookSecret, "<timestamp>.<raw body>")>`, re-signed on each attempt.
 *   - `order_closed` is sent for every purchase that completes (at once or after pending), as
 *     Payway triggers a completed purchase's events; `payment_failure` when a pending purchase
 *     fails. A refused or 3DS-failed purchase sends nothing (the API answer said so already).
 *   - Delivery is retried after each `eventRetryDelaysMs` entry until a 2xx; without a gateway
 *     URL an attempt counts as failed (status 0).
 * Faults (any of kit/faults.ts through `faults` or `/sandbox/faults`; `fault()` is a shorthand):
 *   `fault()` arms the next `/external/` request (before authentication): "http500" answers
 *   500 `{code: "internal_error"}`, "malformed" a 200 with a truncated JSON body, "timeout" holds
 *   the request open for 30 s (or until close). The faulted request has no effect.
 */
import { randomBytes } from 'node:crypto';
import type { PaywayConfig } from '../../config.js';
import type { SandboxListen } from '../../providers/context.js';
import { armLegacyFault, FaultPlan, type SandboxFaults } from '../kit/faults.js';
import { startSandboxServer } from '../kit/server.js';
import { Timers } from '../kit/timers.js';
import { Catalogue, DEFAULT_DISCOUNT_CODES, DEFAULT_PRODUCTS, type PaywaySandboxProduct } from './catalogue.js';
import { EventDispatcher, eventOf, signEvent, type PaywaySandboxDelivery } from './events.js';
import { PurchaseBook, type Purchase } from './purchases.js';
import { PAYWAY_FAULT_BODY, PaywaySandboxServer, type PaywaySandboxFault } from './server.js';
import type { PaywaySandboxEvent, PaywaySandboxEventType } from './wire.js';

export { PAYWAY_TEST_CARDS } from './cards.js';
export type { PaywaySandboxDelivery } from './events.js';
export type { PaywaySandboxEvent, PaywaySandboxEventType, PaywaySandboxPurchaseItem } from './wire.js';
export type { PaywaySandboxProduct } from './catalogue.js';

export interface PaywaySandboxOptions extends SandboxListen {
  /** The gateway's base URL: purchase events go to `<gatewayUrl>/webhooks/payway`. Default: none (events fail until set). */
  gatewayUrl?: string;
  /** The secret purchase events are signed with (PAYWAY_WEBHOOK_SECRET). Default: random. */
  webhookSecret?: string;
  /** The only accepted bearer token (PAYWAY_TOKEN). Default: random. */
  token?: string;
  /** How long a self-settling pending purchase stays pending. Default 1500. */
  pendingSettleMs?: number;
  /** Waits before each retry of an event the gateway did not take (non-2xx or unreachable). Default [1000, 5000, 15000]. */
  eventRetryDelaysMs?: number[];
  /** The catalogue. Default: the seed's example products (see the header). */
  products?: PaywaySandboxProduct[];
  /** Accepted discount codes, each with its percent off the period's price. Default {WELCOME: 20}. */
  discountCodes?: Record<string, number>;
  /**
   * Seed-minimal (kit/seed-minimal.ts): payment_methods answers Adyen's own shape, without a
   * price, every API answer carries fields no seed shows, and purchase events come in another
   * shape than Payway's events overview (events.ts `wireBodyOf`: no seed shows an event). Default false.
   */
  seedMinimal?: boolean;
}

export type { PaywaySandboxFault } from './server.js';

/** A purchase as tests may look at it. */
export interface PaywaySandboxPurchase {
  orderId: string;
  sessionReference: string;
  merchantReference: string | null;
  state: Purchase['state'];
  receiptId?: string;
}

export interface PaywaySandbox {
  /** Base URL, e.g. http://127.0.0.1:PORT: the gateway's PAYWAY_URL. */
  url: string;
  /** The configuration that points an adapter at this sandbox. */
  config: PaywayConfig;
  setGatewayUrl(url: string): void;
  close(): Promise<void>;
  /** The purchases placed with `merchantReference`, oldest first. */
  purchasesWithReference(merchantReference: string): PaywaySandboxPurchase[];
  /** Ends a pending purchase as Adyen's late result would, sending the event. Throws when it is not pending. */
  settle(orderId: string, event: PaywaySandboxEventType): void;
  /** Sends the purchase's last event again (a duplicate delivery). Throws when none was sent. */
  resendLastEvent(orderId: string): void;
  /** Every delivery attempt so far, oldest first. */
  sentEvents(): PaywaySandboxDelivery[];
  /** Resolves once every event under way has been delivered or given up. */
  eventsIdle(): Promise<void>;
  /** Headers that sign `body` exactly as the sandbox's deliveries are signed. */
  signEvent(body: string, timestamp?: number): Record<string, string>;
  /** Arms a fault for the next API call (null disarms). */
  fault(next: PaywaySandboxFault | null): void;
  /** Faults on demand, aimed at requests (kit/faults.ts). */
  faults: SandboxFaults;
  /** The next place_order answer says `word` (e.g. one the gateway does not know) instead of its status; the purchase goes on as its card says. */
  answerNextWith(word: string): void;
}

export async function startPaywaySandbox(options: PaywaySandboxOptions = {}): Promise<PaywaySandbox> {
  const token = options.token ?? `payway_${randomBytes(16).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? randomBytes(24).toString('base64url');
  const timers = new Timers();
  const faults = new FaultPlan(timers, { jsonContentType: 'application/json; charset=utf-8', errorBody: PAYWAY_FAULT_BODY });
  const setTimer = (callback: () => void, ms: number): void => void timers.set(callback, ms);
  // Not timers.sleep, which wakes at close: as before, a retry still waiting at close is dropped.
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimer(resolve, ms));
  const dispatcher = new EventDispatcher(
    webhookSecret,
    options.eventRetryDelaysMs ?? [1000, 5000, 15000],
    sleep,
    () => timers.closed,
    options.seedMinimal ? 'data' : 'overview',
  );
  dispatcher.gatewayUrl = options.gatewayUrl;
  const lastEvent = new Map<string, PaywaySandboxEvent>();

  const running = await startSandboxServer(
    options,
    (url) =>
      new PaywaySandboxServer({
        baseUrl: url,
        token,
        catalogue: new Catalogue(options.products ?? DEFAULT_PRODUCTS, options.discountCodes ?? DEFAULT_DISCOUNT_CODES),
        book: new PurchaseBook({
          baseUrl: url,
          pendingSettleMs: options.pendingSettleMs ?? 1500,
          setTimer,
          emit: (purchase, type) => {
            const event = eventOf(purchase, type);
            lastEvent.set(purchase.orderId, event);
            dispatcher.send(event);
          },
        }),
        timers,
        seedMinimal: options.seedMinimal ?? false,
      }),
    () => timers.close(),
    faults,
  );
  const { url, core } = running;
  const { book } = core;

  const view = (purchase: Purchase): PaywaySandboxPurchase => ({
    orderId: purchase.orderId,
    sessionReference: purchase.sessionReference,
    merchantReference: purchase.merchantReference,
    state: purchase.state,
    ...(purchase.receiptId ? { receiptId: purchase.receiptId } : {}),
  });
  return {
    url,
    config: { url, token, webhookSecret },
    setGatewayUrl: (gatewayUrl) => {
      dispatcher.gatewayUrl = gatewayUrl;
    },
    close: running.close,
    purchasesWithReference: (reference) => book.byMerchantReference(reference).map(view),
    settle: (orderId, event) => {
      if (!book.settle(orderId, event)) throw new Error(`purchase ${orderId} is not pending`);
    },
    resendLastEvent: (orderId) => {
      const event = lastEvent.get(orderId);
      if (!event) throw new Error(`no event was sent for purchase ${orderId}`);
      dispatcher.send(event);
    },
    sentEvents: () => dispatcher.sent(),
    eventsIdle: () => dispatcher.idle(),
    signEvent: (body, timestamp) => signEvent(webhookSecret, body, timestamp),
    fault: (next) => armLegacyFault(faults, next, /^\S+ \/external\//, { http500: PAYWAY_FAULT_BODY, malformed: '{"item":{"status":"compl' }),
    faults,
    answerNextWith: (word) => core.answerNextWith(word),
  };
}
