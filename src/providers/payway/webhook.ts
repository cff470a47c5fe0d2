import { badInput } from '../../domain/errors.js';
import type { WebhookFact, WebhookRequest } from '../../domain/provider-port.js';
import { observationOfEvent } from './mapping.js';
import type { PurchaseIndex } from './purchases.js';
import { canonicalWord, PaywayPurchaseEventPayload, PaywayPurchaseEventType, PaywayWebhookEvent } from './wire.js';

import { verifiedEventText } from './event-signature.js';

export { PAYWAY_SIGNATURE_HEADER, PAYWAY_TIMESTAMP_HEADER, paywaySignature } from './event-signature.js';

export interface PaywayWebhookOptions {
  /** PAYWAY_WEBHOOK_SECRET; without it no event can be verified, so every event is refused. */
  secret?: string;
  purchases: PurchaseIndex;
  /** Injectable clock for the replay window. */
  now?: () => Date;
}

/**
 * Reads `POST /webhooks/payway` (CONTRACT §5): verify -> narrow -> map.
 * - Verify: the event proves it knows PAYWAY_WEBHOOK_SECRET in one of the common ways
 *   (event-signature.ts: Payway's docs name none); anything else is UNAUTHENTICATED (401) and
 *   changes nothing.
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

  return async function readPaywayWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    const text = await verifiedEventText(request, options.secret, now());
    const envelope = PaywayWebhookEvent.safeParse(safeJson(text));
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
