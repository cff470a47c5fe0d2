import { createHmac, timingSafeEqual } from 'node:crypto';
import { badInput, unauthenticated } from '../../domain/errors.js';
import type { WebhookFact, WebhookRequest } from '../../domain/provider-port.js';
import { observationOfEvent } from './mapping.js';
import type { PurchaseIndex } from './purchases.js';
import { canonicalWord, PaywayPurchaseEventPayload, PaywayPurchaseEventType, PaywayWebhookEvent } from './wire.js';

/** Header carrying the signature: `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const PAYWAY_SIGNATURE_HEADER = 'x-payway-signature';
/** Header carrying the signing time, Unix seconds; part of what is signed, so it cannot be swapped. */
export const PAYWAY_TIMESTAMP_HEADER = 'x-payway-timestamp';

/** How far a signing time may be from now before the event counts as a replay. */
const TOLERANCE_SECONDS = 300;

export interface PaywayWebhookOptions {
  /** PAYWAY_WEBHOOK_SECRET; without it no event can be verified, so every event is refused. */
  secret?: string;
  purchases: PurchaseIndex;
  /** Injectable clock for the replay window. */
  now?: () => Date;
}

/** The signature Payway sends for `body` signed at `timestamp` (the sandbox signs with it too). */
export function paywaySignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Reads `POST /webhooks/payway` (CONTRACT §5): verify -> narrow -> map.
 * - Verify (ASSUMED scheme, Payway's docs name none): `X-Payway-Timestamp` (Unix seconds) and
 *   `X-Payway-Signature: sha256=<hex HMAC-SHA256(PAYWAY_WEBHOOK_SECRET, "<timestamp>.<raw body>")>`,
 *   compared in constant time; a timestamp more than 5 minutes off is a replay. Anything else
 *   is UNAUTHENTICATED (401) and changes nothing.
 * - Narrow: `{event, timestamp, payload}`; only `order_closed` and `payment_failure` are read,
 *   other Payway events are acknowledged and ignored. The payload's account (names, e-mail,
 *   ssn) is never read or kept.
 * - Map: the fact names Payway's order id and, through the purchase's merchant_reference, the
 *   gateway order that is waiting for it (a pending purchase has no Payway id yet; see
 *   PurchaseIndex). While that depends on an attempt still being placed, the event is refused
 *   with a retryable error (503), and Payway delivers it again.
 */
export function createPaywayWebhookReader(options: PaywayWebhookOptions) {
  const now = options.now ?? (() => new Date());

  function verify(request: WebhookRequest): void {
    if (!options.secret) throw unauthenticated('PAYWAY_WEBHOOK_SECRET is not configured: Payway events cannot be verified');
    const timestamp = request.headers[PAYWAY_TIMESTAMP_HEADER] ?? '';
    const signature = request.headers[PAYWAY_SIGNATURE_HEADER] ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || !signature) throw unauthenticated('The event is not signed');
    const expected = Buffer.from(paywaySignature(options.secret, timestamp, request.body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated('The event signature is not valid');
    if (Math.abs(now().getTime() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
      throw unauthenticated('The event was signed too long ago (a replay?)');
    }
  }

  return async function readPaywayWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    verify(request);
    const envelope = PaywayWebhookEvent.safeParse(safeJson(request.body.toString('utf8')));
    if (!envelope.success) throw badInput('body', 'Not a Payway event');
    // The seed names the events in prose (order_closed, payment_failure): any letter case is the same event.
    const event = PaywayPurchaseEventType.safeParse(canonicalWord(PaywayPurchaseEventType.options, envelope.data.event));
    if (!event.success) return []; // another Payway event (account_changed, ...): not about a purchase
    const payload = PaywayPurchaseEventPayload.safeParse(envelope.data.payload);
    if (!payload.success) throw badInput('body', `A ${event.data} event without its order`);

    const order = payload.data.order;
    const purchase = order.merchant_reference ? await options.purchases.find(order.merchant_reference, order.id) : null;
    const detail = {
      ...(payload.data.receipt ? { receiptId: payload.data.receipt.id } : {}),
      ...(payload.data.payment?.message ? { message: payload.data.payment.message } : {}),
    };
    return [
      {
        providerOrderId: order.id,
        ...(purchase ? { orderId: purchase.orderId } : {}),
        observation: observationOfEvent(event.data, order.id, detail, purchase ?? undefined),
      },
    ];
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
