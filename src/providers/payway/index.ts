import type { PaywayConfig } from '../../config.js';
import { badInput, GatewayError, invalidState, notSupported, providerUnavailable, providerUnreached, RefusalWithFact, surelyNotSent } from '../../domain/errors.js';
import { fingerprintOf } from '../../domain/idempotency.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Money } from '../../domain/money.js';
import type { Order, StopAction } from '../../domain/order.js';
import type { ContinueCreationInput, CreatedOrder, CreationAttempt, PlaceAdyenOrderCommand, ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { paywayCapabilities } from './capabilities.js';
import { PaywayClient } from './client.js';
import { atAnswersPrice, chargedTotal, chooseTotal, observationOfEvent, observationOfPurchase, observationOfRefusal, offeredTotal, type PaywayProviderData } from './mapping.js';
import { purchaseReference, PurchaseIndex } from './purchases.js';
import { reachedAdyen, refusalEndsPurchase } from './refusals.js';
import { toPaymentMethodsQuery, toPlaceOrderRequest } from './requests.js';
import type { PaywayPurchaseResult } from './wire.js';
import { createPaywayWebhookReader } from './webhook.js';

/**
 * Payway's Adyen purchase in the gateway's terms (seed payway-adyen-place-order.txt, CONTRACT
 * §7-§8): placeAdyenOrder -> payment_methods (Payway's price, best effort) + place_order; continueOrderCreation
 * -> perform_additional_action; purchase events at /webhooks/payway settle pending purchases.
 * Payway has no capture, refund or cancel here, and no order read-back, so there is nothing
 * to reconcile: a pending purchase waits for its event.
 */
export function createPaywayAdapter(config: PaywayConfig, context: AdapterContext): ProviderAdapter {
  const client = new PaywayClient({ url: config.url, token: config.token, timeoutMs: context.timeoutMs });
  // An attempt counts as under way for its place_order call and the store write after it.
  const purchases = new PurchaseIndex(context.kv, { placingMs: context.timeoutMs + 30_000 });

  /**
   * Payway's price for the purchase from payment_methods, or undefined: a failed read blocks
   * nothing (place_order judges the purchase itself, and the stated price stands).
   */
  async function offeredPrice(command: PlaceAdyenOrderCommand, stated: Money): Promise<Money | undefined> {
    try {
      return offeredTotal(await client.paymentMethods(toPaymentMethodsQuery(command)), stated);
    } catch {
      return undefined;
    }
  }

  /**
   * What an event naming only Payway's order `paywayOrderId` said before an answer announced that
   * order, as the purchase's fact (with its payment); undefined when none came. Best effort: the
   * event is parked for the order all the same.
   */
  async function endedEarly(paywayOrderId: string, orderId: string, context: NonNullable<Parameters<typeof observationOfEvent>[3]>): Promise<ProviderObservation | undefined> {
    const early = await purchases.earlyEventOf(paywayOrderId).catch(() => undefined);
    if (!early) return undefined;
    const detail = { ...(early.receiptId ? { receiptId: early.receiptId } : {}), ...(early.message ? { message: early.message } : {}) };
    return observationOfEvent(early.event, { paywayOrderId, orderId }, detail, context);
  }

  return {
    provider: 'PAYWAY',
    capabilities: paywayCapabilities,

    validateCreate() {
      throw badInput('input.provider', 'PAYWAY orders are placed with placeAdyenOrder');
    },

    createOrder() {
      return Promise.reject(notSupported('PAYWAY orders are placed with placeAdyenOrder'));
    },

    async placeAdyenOrder(command: PlaceAdyenOrderCommand): Promise<CreatedOrder> {
      // Payway's purchase answers carry no price, and no seed shows one anywhere: without the price
      // the shopper was shown nothing is called (BAD_USER_INPUT). Payway's own figure is still read
      // where payment_methods gives one (best effort: that answer's price is an assumption, see
      // wire.ts); else the stated price is the total.
      if (!command.statedTotal) {
        throw badInput('input.amount', "Payway's answers carry no price: give the amount and currency the shopper was shown");
      }
      const offered = chooseTotal(await offeredPrice(command, command.statedTotal), command.statedTotal, Boolean(command.discountCode));
      let { total, totalAsStated } = offered;
      const method = String(command.paymentMethod.type);
      // Without the client's own reference, the gateway's order id is the purchase's reference:
      // the only handle a later purchase event gives back for a purchase that went pending.
      // (A client's reference never has a gateway id's form: payway-rules.ts refuses it.)
      const merchantReference = purchaseReference(command.merchantReference, command.orderId);
      // Recorded before the call, since Payway's event may overtake its answer; forgotten again
      // if Payway answers with an error, as then no purchase exists (a corrected retry under the
      // same reference must not find it taken).
      // What is said of a total Payway's figure contradicts, said by every fact of the purchase.
      let totalInfos = !totalAsStated && offered.infos.length ? offered.infos : undefined;
      try {
        await purchases.begin(merchantReference, { orderId: command.orderId, total, method, productCode: command.productCode, ...(totalAsStated ? { totalAsStated } : {}), ...(totalInfos ? { totalInfos } : {}) });
      } catch (error) {
        // Nothing was sent yet (the index busy, the store failing): the creation surely made
        // nothing, so its key may be retried at once. Before, it counted as a lost answer, and
        // the retry with the same key was PROVIDER_UNAVAILABLE until the creation's intent expired.
        throw providerUnreached('Payway', error);
      }
      let result: PaywayPurchaseResult;
      try {
        result = await client.placeOrder(toPlaceOrderRequest(command, merchantReference));
      } catch (error) {
        // A Payway error answer made no purchase, nor did a call that reached nothing (an open
        // breaker, a refused connection, a 4xx from in front of Payway). Anything else (a reset,
        // a timeout) may have: the attempt keeps counting as a purchase, so that its event (which
        // may come hours later for a pending one) still finds it, and findCreated can then say
        // what it became.
        // A third-party error that leaves the payment's outcome unknown (an Adyen timeout relayed
        // as a 5xx) is Payway's refusal to the client, yet its purchase may exist: kept as after a
        // lost answer (the domain keeps the creation's intent too, see refusals.ts).
        if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && error.details.outcomeUnknown) await purchases.lost(merchantReference, command.orderId, true).catch(() => undefined);
        else if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') await purchases.abandon(merchantReference, command.orderId, reachedAdyen(error));
        else if (surelyNotSent(error)) await purchases.abandon(merchantReference, command.orderId);
        else await purchases.lost(merchantReference, command.orderId).catch(() => undefined);
        throw error;
      }
      // Adyen's amount passed through in the answer (none of the seed's fields) is what Payway
      // charges: the total, whatever payment_methods or the client said. Round eleven: it was
      // not read, so a purchase Payway charged 129.00 for showed the stated 149.00 as its total
      // and captured amount (which only grows: its order_closed could not correct it).
      const charged = chargedTotal(result, command.statedTotal);
      const repriced = charged && (totalAsStated || charged.currency !== total.currency || charged.minor !== total.minor) ? chooseTotal(charged, command.statedTotal) : undefined;
      if (repriced) {
        ({ total, totalAsStated } = repriced);
        totalInfos = repriced.infos.length ? repriced.infos : undefined;
      }
      // Read before it is recorded as placed: an answer that cannot be read (an action with no
      // session to go on in) leaves the attempt as a lost answer would.
      const purchased = observationOfPurchase(result, { orderId: command.orderId, total, method, origin: command.origin, totalAsStated, ...(totalInfos ? { totalInfos } : {}) });
      // A pending or action_required answer that names Payway's order all the same (the seed's
      // do not) announces it: the purchase's event may then name only that order.
      const complete = result.status === 'complete';
      const atStep = purchased.creation?.stopAction?.type === 'THREE_DS';
      // The attempt's price as the answer set it: its event (which carries none) pays that.
      const price = repriced ? { total, ...(totalInfos ? { totalInfos } : {}) } : undefined;
      const markPlaced = () => purchases.placed(merchantReference, command.orderId, complete ? result.order_id : undefined, complete ? undefined : result.order_id, atStep, complete ? receiptOf(result) : undefined, price);
      // Best effort, tried once more in the background: the purchase exists whatever the index
      // says, and an attempt left placing counts as a lost answer (its events still find it).
      // Before, a failure here (the index busy, the store failing) was thrown: Payway had made the
      // purchase (charged the shopper, for a `complete`), and the client was told
      // PROVIDER_UNAVAILABLE with no order stored.
      await markPlaced().catch(() => void markPlaced().catch(() => undefined));
      // A `complete` naming no Payway order is still the purchase's end: kept, so that it is no
      // candidate for a later failure under its reference (PurchaseIndex.find).
      if (complete && !result.order_id) await purchases.ended(merchantReference, command.orderId, purchased).catch(() => undefined);
      // A pending (or action_required) answer naming Payway's order, whose event naming only that
      // order came before the order was announced (PurchaseIndex.early): the purchase is what the
      // event said, with its payment (that event, parked for the order, then changes nothing).
      const ended = !complete && result.order_id ? await endedEarly(result.order_id, command.orderId, { total, method, ...(totalAsStated ? { totalAsStated } : {}), ...(totalInfos ? { totalInfos } : {}) }) : undefined;
      if (ended) await purchases.ended(merchantReference, command.orderId, ended).catch(() => undefined);
      // An event that overtook a repriced answer (the webhook found the attempt still placing)
      // was taken at the price known before the call and waits, parked, for this order: applied
      // after the answer, its payment captured more than the answer's total, since a captured
      // amount only grows (149.00 captured of a 129.00 total). The purchase is what that event
      // said, at the answer's price, under the event's key (the parked event then changes
      // nothing). An event taken after `placed` above already pays the answer's price.
      const overtook = repriced && !ended ? await purchases.outcome(merchantReference, command.orderId).catch(() => undefined) : undefined;
      const atPrice = overtook && overtook.observation.key !== purchased.key ? atAnswersPrice(overtook.observation, purchased, { total, ...(totalInfos ? { totalInfos } : {}) }) : undefined;
      const observation = ended ?? atPrice ?? purchased;
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.merchantReference ? { reference: command.merchantReference } : {}),
        total,
        items: purchaseItems(command.productCode, total),
        observation,
      };
    },

    /**
     * A purchase whose place_order answer was lost (the domain asks on the client's retry with
     * the same key, and in its sweep). Payway has no read-back, so only the purchase's verified
     * event can tell: once it came, the order is what it said; until then the outcome stays
     * unknown (never "absent": a pending purchase may be announced hours later), so nothing is
     * placed again.
     */
    async findCreated(attempt: CreationAttempt): Promise<CreatedOrder | null> {
      // The reference placeAdyenOrder sent: the client's, or (none, "", or spaces) the order id.
      const known = await purchases.outcome(purchaseReference(attempt.reference, attempt.orderId), attempt.orderId);
      if (!known) throw providerUnavailable('Payway', new Error('no event has told what became of a purchase whose answer was lost'));
      const { entry, observation, paywayOrderId } = known;
      return {
        ...(paywayOrderId ? { providerOrderId: paywayOrderId } : {}),
        ...(attempt.reference ? { reference: attempt.reference } : {}),
        total: entry.total,
        items: purchaseItems(entry.productCode ?? 'purchase', entry.total),
        observation,
      };
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      if (input.returnUrls) throw badInput('input.returnUrls', 'A Payway purchase is continued with Adyen\'s details in threeDS');
      const data = order.providerData as PaywayProviderData;
      const stop = order.creation.stopAction;
      // Every stop action a Payway purchase can be in (THREE_DS, REDIRECT, or WORKFLOW for an
      // Adyen action type the gateway does not know) is continued the same way.
      // A step Payway gave no session for (a pending answer's Adyen action, mapping.ts atAction):
      // the shopper acts in the other app, and the purchase's event settles it.
      if (stop && !data.sessionReference && order.creation.status === 'STOPPED') {
        throw invalidState('Payway gave no session to continue this step in; the purchase is settled by its event');
      }
      if (!data.sessionReference || !data.origin || !stop) {
        throw invalidState('The purchase is not waiting for an additional action');
      }
      // The shopper's result of the step: what Payway calls `details`.
      const actionResult = actionResultOf(input);
      // The details whose answer asked for this step, again: a second client's (a double-submitted
      // fingerprint, a retry) result of the earlier step, which waited for the first one's call
      // and is judged against the step it left. Sent, it would reach Adyen as this step's result,
      // and Adyen refusing that authentication ends the purchase. Before, it was sent.
      const sent = fingerprintOf(actionResult);
      if (data.stepAskedBy === sent) throw invalidState('These details were the result of the step before this one; the purchase now waits for its next action');
      const context = {
        orderId: order.id,
        total: order.total,
        method: data.method ?? order.payments[0]?.method ?? 'scheme',
        origin: data.origin,
        ...(data.totalAsStated ? { totalAsStated: true } : {}),
        ...(data.totalInfos?.length ? { totalInfos: data.totalInfos } : {}),
      };
      // From this call on the purchase may complete (its answer may be lost): see PurchaseIndex.continuing.
      const reference = purchaseReference(order.reference, order.id);
      const wasAtStep = await purchases.continuing(reference, order.id);
      let result: PaywayPurchaseResult;
      try {
        result = await client.performAdditionalAction({ details: actionResult, session_reference: data.sessionReference, origin: data.origin });
      } catch (error) {
        // The shopper's result never reached Adyen (Payway's own refusal, without the correlation
        // id of a third-party error, or a call that reached nothing): still at the same step,
        // unless an earlier call's answer was lost (the mark was gone before this call): Payway
        // may refuse a session already used, and that purchase may have completed. Best effort
        // (as below): unmarked, the attempt is only a likelier owner of a completion than it is.
        const rejectedHere = error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && !reachedAdyen(error);
        await purchases.continued(reference, order.id, wasAtStep && (rejectedHere || surelyNotSent(error))).catch(() => undefined);
        // Only a refusal whose code says the purchase is over ends it; any other error (a detail
        // Adyen could not read, though it carries Adyen's correlation id too) leaves the action
        // open for another try.
        if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && refusalEndsPurchase(error)) {
          const refusal = { message: error.message, ...(error.details.providerCode ? { providerCode: error.details.providerCode } : {}) };
          const ending = observationOfRefusal(data.sessionReference, refusal, context);
          // Kept with the attempt: a failed purchase is no candidate for a later completion under
          // its reference (PurchaseIndex.find). Best effort, as above.
          await purchases.ended(reference, order.id, ending).catch(() => undefined);
          throw new RefusalWithFact(error, ending);
        }
        throw error;
      }
      const answered = observationOfPurchase(result, context, data.sessionReference);
      // A further step: remembered as asked by these details (see above). The same step asked
      // again (Payway re-asking it) leaves these details free to be sent to it once more.
      const further = answered.creation?.status === 'STOPPED' && !sameStep(answered.creation.stopAction, stop);
      const observation = further ? { ...answered, providerData: { ...answered.providerData, stepAskedBy: sent } } : answered;
      // Payway's order id, now known, is recorded with the attempt, so that a later purchase under
      // the same (reused) reference is the only candidate for its own event. Best effort: the
      // purchase is complete whatever the store says.
      let ended: ProviderObservation | undefined;
      if (result.status === 'complete' && result.order_id) {
        await purchases.named(reference, order.id, result.order_id, receiptOf(result)).catch(() => undefined);
      } else if (result.status === 'complete') {
        // Complete without naming Payway's order: kept as the purchase's end (see placeAdyenOrder).
        await purchases.ended(reference, order.id, observation).catch(() => undefined);
      } else if (result.order_id && result.order_id !== order.providerOrderId) {
        // A pending or further action_required answer naming Payway's order (see placeAdyenOrder).
        await purchases.announced(reference, order.id, result.order_id).catch(() => undefined);
        // Its event naming only that order may have overtaken this answer (see placeAdyenOrder):
        // parked under that order, it would never reach an order that exists already.
        ended = await endedEarly(result.order_id, order.id, context);
        if (ended) await purchases.ended(reference, order.id, ended).catch(() => undefined);
      }
      // Last, once the answer's names are recorded; a further 3-D Secure step (a challenge after
      // the fingerprint) waits for the shopper again.
      const told = ended ?? observation;
      await purchases.continued(reference, order.id, told.creation?.stopAction?.type === 'THREE_DS').catch(() => undefined);
      return told;
    },

    needsReconciliation: () => false,

    readWebhook: createPaywayWebhookReader({ ...(config.webhookSecret ? { secret: config.webhookSecret } : {}), purchases }),
  };
}

/** Whether two stop actions ask for the same step (the same Adyen action, or the same page). */
function sameStep(a: StopAction | undefined, b: StopAction | undefined): boolean {
  return a?.type === b?.type && a?.threeDS?.type === b?.threeDS?.type && a?.threeDS?.token === b?.threeDS?.token && a?.redirectUrl === b?.redirectUrl;
}

/** The receipt a `complete` answer names (the seed's `receipt_id`), if any. */
function receiptOf(result: PaywayPurchaseResult): string | undefined {
  return 'receipt_id' in result && typeof result.receipt_id === 'string' ? result.receipt_id : undefined;
}

/** A purchase's one line: the package or campaign bought, at the order's total. */
function purchaseItems(productCode: string, total: Money): CreatedOrder['items'] {
  return [{ lineId: '1', code: productCode, name: productCode, quantity: 1, unitPrice: total, amount: total }];
}

/**
 * The shopper's result of an Adyen action, sent as perform_additional_action's `details`: the
 * drop-in's onAdditionalDetails data as `threeDS`, or the parameters a redirect came back with
 * (e.g. `redirectResult`).
 */
function actionResultOf(input: ContinueCreationInput): Record<string, unknown> {
  const threeDS = input.threeDS;
  if (threeDS !== undefined) {
    if (!isDetailsObject(threeDS)) throw badInput('input.threeDS', "Adyen's details object is required");
    return detailsOfStateData(threeDS);
  }
  const parameters = input.redirectResult?.parameters ?? [];
  if (!parameters.length) throw badInput('input.threeDS', "Adyen's details object (or the redirect's parameters) is required");
  return Object.fromEntries(parameters.map(({ name, value }) => [name, value]));
}

const isDetailsObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0;

/**
 * Fields of Adyen's /payments/details request that sit beside its `details` (never inside): the
 * drop-in's state.data carries them with the details.
 */
const DETAILS_REQUEST_FIELDS: ReadonlySet<string> = new Set(['paymentData']);

/**
 * The details themselves when `threeDS` is the drop-in's whole state.data (`{details: {...}}`,
 * with `paymentData` in older flows), as Adyen's guides tell a frontend to pass on: Payway
 * forwards `details` to Adyen, which refuses its own request fields inside them. Payway's
 * perform_additional_action takes the session_reference where Adyen took paymentData, so that is
 * not sent. Round eight: before, such a result was sent as `{details: {details: ...}}`, refused on
 * every try, and the purchase stayed ACTION_REQUIRED though the shopper had passed. Details that
 * carry anything else beside a `details` key are Adyen's details as given.
 */
function detailsOfStateData(threeDS: Record<string, unknown>): Record<string, unknown> {
  const { details, ...beside } = threeDS;
  return isDetailsObject(details) && Object.keys(beside).every((key) => DETAILS_REQUEST_FIELDS.has(key)) ? details : threeDS;
}
