import { adyenValuesAsWritten } from './event-adyen-value-text.js';
import { badInput, GatewayError } from '../../domain/errors.js';
import type { WebhookFact, WebhookRequest } from '../../domain/provider-port.js';
import { jsonOrUndefined } from '../http.js';
import { observationOfEvent, observationOfUnplacedAuthorisation, observationOfUnplacedFailure } from './mapping.js';
import type { EventKind } from './purchase-attempts.js';
import type { PurchaseIndex } from './purchases.js';
import { verifiedEventText } from './event-signature.js';
import { formEvent } from './event-form.js';
import { purchaseEventOf, type PaywayPurchaseEvent } from './event-shape.js';
import { deliveredEvents } from './event-batch.js';
import { formDecoder } from './event-text.js';
import { decodedEventRequest } from './event-encoding.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';

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
 * - Narrow: the event's name, its order and merchant reference, wherever a Payway event may
 *   carry them (event-shape.ts: no seed shows one); only `order_closed` and `payment_failure`
 *   are read, other Payway events are acknowledged and ignored. The payload's account (names,
 *   e-mail, ssn) is never read or kept.
 * - Map: the fact names Payway's order id and, through the purchase's merchant_reference, the
 *   gateway order that is waiting for it (a pending purchase has no Payway id yet; see
 *   PurchaseIndex); an event naming only the reference is that order's, or nobody's. While that depends on an attempt still being placed, the event is refused
 *   with a retryable error (503), and Payway delivers it again.
 */
/** Events one delivery may carry: each is a store read or two. */
const MAX_EVENTS = 50;

export function createPaywayWebhookReader(options: PaywayWebhookOptions) {
  const now = options.now ?? (() => new Date());

  return async function readPaywayWebhook(posted: WebhookRequest): Promise<WebhookFact[]> {
    // A body its HTTP client compressed is verified and read as it was written (event-encoding.ts).
    const request = await decodedEventRequest(posted);
    const text = await verifiedEventText(request, options.secret, now());
    // Ids a double cannot hold are read as their digits (long-numbers.ts: an order, or a
    // shop's order number echoed as the merchant reference, written as a Java Long); a form's
    // escapes in the charset it is labelled with (event-text.ts). A body that is no JSON is read
    // as a form whatever its label (round twenty-six): an event posted with two Content-Type
    // lines (an HTTP client's default `application/json` beside the form encoder's own) reaches
    // the gateway with the first alone (Node drops the other), and a form so labelled was 400 on
    // every delivery, its purchase PENDING for good. The body was proved over its bytes first,
    // and a text that is no form of an event still names nothing (400).
    // Adyen's amount written as a float (`149.0`) keeps its text, so it is no amount rather than
    // 149 minor units (event-adyen-value-text.ts, round twenty-eight).
    const json = jsonOrUndefined(adyenValuesAsWritten(wholeNumbersAsWritten(text))) ?? formEvent(text, formDecoder(request, text));
    // Several events in one delivery (a batch, as some senders post them) are read one by one;
    // the signature covers them all. Any one that cannot be taken now refuses the delivery, and
    // Payway sends it again (what was taken is not taken twice: every fact has its key); one that
    // can never be taken is left out (below).
    // (event-batch.ts: a JSON array, or a list under `items`, `events`, `data`...)
    const events = deliveredEvents(json);
    if (events.length > MAX_EVENTS) throw badInput('body', `More than ${MAX_EVENTS} events in one delivery`);
    const facts: WebhookFact[] = [];
    let refused: GatewayError | undefined;
    let taken = 0;
    for (const event of events) {
      try {
        const read = await factsOf(event);
        facts.push(...read);
        if (read.length) taken++;
      } catch (error) {
        // An event that can never be taken (unreadable, or naming only a reference several waiting
        // purchases share) is refused however often it comes: in a batch, refusing the delivery
        // for it refused the other events with it for good too, and their purchases stayed
        // PENDING. Such an event is left out when another in the delivery is taken (tells of a
        // purchase here); else it still refuses the delivery. One that cannot be taken *now* (503)
        // still refuses the whole delivery, so that Payway sends it again.
        if (!(error instanceof GatewayError && error.code === 'BAD_USER_INPUT')) throw error;
        refused ??= error;
      }
    }
    if (refused && taken === 0) throw refused;
    return facts;
  };

  async function factsOf(json: unknown): Promise<WebhookFact[]> {
    const shown = purchaseEventOf(json);
    if (shown === 'unreadable') throw badInput('body', 'Not a Payway purchase event: it names no event, and neither an order nor a merchant reference');
    if (shown === 'other') return [];
    const read = await adyensOrderOf(shown);
    // Without the merchant reference, an event naming only Payway's order finds the attempt whose
    // pending or action_required answer announced that order (PurchaseIndex.referenceOf), so that
    // its fact carries the purchase's payment, not only the order's status.
    // Kept first (PurchaseIndex.early): it may have overtaken the answer that announces its order.
    const orderOnly = read.merchantReference ? undefined : read.paywayOrderId;
    if (orderOnly !== undefined) await options.purchases.early(orderOnly, { event: read.event, ...(read.receiptId ? { receiptId: read.receiptId } : {}), ...(read.message ? { message: read.message } : {}) });
    const announcedUnder = orderOnly !== undefined ? await options.purchases.referenceOf(orderOnly) : null;
    const reference = read.merchantReference ?? announcedUnder ?? undefined;
    const kind: EventKind = read.event === 'payment_failure' ? 'failed' : 'completed';
    const purchase = reference ? await options.purchases.find(reference, read.paywayOrderId, kind, announcedUnder !== null, read.receiptId) : null;
    // A failure its one waiting purchase and a purchase Payway refused a moment ago may both own:
    // that order is told so and keeps its status, rather than failed by a guess or parked for good.
    if (!purchase && kind === 'failed' && reference && announcedUnder === null) {
      const owner = await options.purchases.doubtedOwner(reference, read.paywayOrderId);
      if (owner) return [{ orderId: owner.orderId, observation: observationOfUnplacedFailure(owner.orderId, read.paywayOrderId) }];
    }
    // Adyen's AUTHORISATION names only the reference, for every payment under it: where another
    // purchase there was paid, it may be that one's (no field of it tells them apart), and the
    // waiting one is told, not CAPTURED with nothing paid for it (round fourteen).
    // (An item naming the purchase's own Payway order, adyensOrderOf, is that purchase's alone.)
    if (purchase && reference && read.fromAdyen && read.paywayOrderId === undefined && kind === 'completed' && (await options.purchases.paidBeside(reference, purchase.orderId))) {
      return [{ orderId: purchase.orderId, observation: observationOfUnplacedAuthorisation(purchase.orderId) }];
    }
    // Named by its merchant reference alone: only a purchase this gateway placed can be meant;
    // about any other there is nothing to record or keep (no id to find it by later). Under a
    // reused reference with several such purchases it cannot be placed: refused (never applied
    // to a guess), so Payway's deliveries show it.
    if (read.paywayOrderId === undefined && !purchase) {
      if (read.merchantReference && (await options.purchases.ambiguous(read.merchantReference, kind))) {
        throw badInput('body', 'The event names no Payway order, and its merchant reference more than one purchase');
      }
      return [];
    }
    const detail = {
      ...(read.receiptId ? { receiptId: read.receiptId } : {}),
      ...(read.message ? { message: read.message } : {}),
      ...(read.adyenAmount ? { adyenAmount: read.adyenAmount } : {}),
    };
    const handle = { ...(read.paywayOrderId !== undefined ? { paywayOrderId: read.paywayOrderId } : {}), ...(purchase ? { orderId: purchase.orderId } : {}) };
    const observation = observationOfEvent(read.event, handle, detail, purchase ?? undefined);
    // Kept with the attempt before the event is acknowledged: a purchase whose place_order answer
    // was lost is known by this alone (the adapter's findCreated).
    if (purchase && reference) await options.purchases.ended(reference, purchase.orderId, observation);
    return [
      {
        ...(read.paywayOrderId !== undefined ? { providerOrderId: read.paywayOrderId } : {}),
        ...(purchase ? { orderId: purchase.orderId } : {}),
        observation,
      },
    ];
  }

  /**
   * An item of Adyen's notification whose merchantReference is Payway's own order, as an event
   * naming that order; else the item, naming the whole reference where it names the first 80
   * characters of a longer one (PurchaseIndex.cutFrom); else the item as it is. Payway is the
   * merchant at Adyen and gives Adyen a reference for every payment, also for a purchase placed
   * without the client's (the table: an optional customer reference, "a code or an url"); the
   * seed's own order id ("ADEPRIMO-123") has the form of one. Round fifteen: such an item was read
   * as a client's reference only, found no purchase, and was acknowledged and dropped: a pending
   * purchase whose answer named that order stayed PENDING for good though Adyen authorised it,
   * and one Adyen refused never became FAILED. Only an order an answer announced is taken so
   * (referenceOf: a client's reference spelled as one of Payway's announced order ids would be
   * taken for that order); the item is kept as that order's early event first (as an event
   * naming only the order is), so that one overtaking the answer announcing the order is still
   * its purchase's end.
   */
  async function adyensOrderOf(read: PaywayPurchaseEvent): Promise<PaywayPurchaseEvent> {
    if (!read.fromAdyen || read.paywayOrderId !== undefined || read.merchantReference === undefined) return read;
    const named = read.merchantReference;
    await options.purchases.early(named, { event: read.event, ...(read.message ? { message: read.message } : {}) });
    if ((await options.purchases.referenceOf(named)) === null) {
      // The first 80 characters of a longer reference, all Adyen keeps (PurchaseIndex.cutFrom).
      const whole = await options.purchases.cutFrom(named);
      return whole === null ? read : { ...read, merchantReference: whole };
    }
    const { merchantReference: _client, ...about } = read;
    return { ...about, paywayOrderId: named };
  }
}
