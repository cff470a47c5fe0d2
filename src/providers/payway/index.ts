import type { PaywayConfig } from '../../config.js';
import { badInput, GatewayError, invalidState, notSupported, RefusalWithFact } from '../../domain/errors.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { ContinueCreationInput, CreatedOrder, PlaceAdyenOrderCommand, ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { PaywayClient } from './client.js';
import { observationOfPurchase, observationOfRefusal, toPlaceOrderRequest, totalOf, type PaywayProviderData } from './mapping.js';
import { PurchaseIndex } from './purchases.js';
import { createPaywayWebhookReader } from './webhook.js';

/**
 * Payway's Adyen purchase in the gateway's terms (seed payway-adyen-place-order.txt, CONTRACT
 * §7-§8): placeAdyenOrder -> payment_methods (the price) + place_order; continueOrderCreation
 * -> perform_additional_action; purchase events at /webhooks/payway settle pending purchases.
 * Payway has no capture, refund or cancel here, and no order read-back, so there is nothing
 * to reconcile: a pending purchase waits for its event.
 */
export function createPaywayAdapter(config: PaywayConfig, context: AdapterContext): ProviderAdapter {
  const client = new PaywayClient({ url: config.url, token: config.token, timeoutMs: context.timeoutMs });
  const purchases = new PurchaseIndex(context.kv);

  return {
    provider: 'PAYWAY',

    validateCreate() {
      throw badInput('input.provider', 'PAYWAY orders are placed with placeAdyenOrder');
    },

    createOrder() {
      return Promise.reject(notSupported('PAYWAY orders are placed with placeAdyenOrder'));
    },

    async placeAdyenOrder(command: PlaceAdyenOrderCommand): Promise<CreatedOrder> {
      // Payway's answers carry no amount: the period's price (what Adyen is asked to charge) is
      // read first. An unknown period or product is refused here, before any purchase exists.
      const total = totalOf(await client.paymentMethods({ periodId: command.periodId, productCode: command.productCode, origin: command.origin }));
      const method = String(command.paymentMethod.type);
      // Without the client's own reference, the gateway's order id is the purchase's reference:
      // the only handle a later purchase event gives back for a purchase that went pending.
      const merchantReference = command.merchantReference || command.orderId;
      await purchases.remember(merchantReference, { orderId: command.orderId, total, method });

      const result = await client.placeOrder(toPlaceOrderRequest(command, merchantReference));
      const observation = observationOfPurchase(result, { orderId: command.orderId, total, method, origin: command.origin });
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.merchantReference ? { reference: command.merchantReference } : {}),
        total,
        items: [{ lineId: '1', code: command.productCode, name: command.productCode, quantity: 1, unitPrice: total, amount: total }],
        observation,
      };
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      if (input.returnUrls) throw badInput('input.returnUrls', 'A Payway purchase is continued with Adyen\'s details in threeDS');
      const data = order.providerData as PaywayProviderData;
      const stop = order.creation.stopAction;
      if (!data.sessionReference || !data.origin || (stop?.type !== 'THREE_DS' && stop?.type !== 'REDIRECT')) {
        throw invalidState('The purchase is not waiting for an additional action');
      }
      const details = detailsOf(input);
      const context = { orderId: order.id, total: order.total, method: data.method ?? order.payments[0]?.method ?? 'scheme', origin: data.origin };
      let result;
      try {
        result = await client.performAdditionalAction({ details, session_reference: data.sessionReference, origin: data.origin });
      } catch (error) {
        // A refusal from Adyen itself (it carries Adyen's correlation id) ends the purchase; a
        // refusal of the request (a malformed detail) leaves the action open for another try.
        if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED' && error.details.correlationId) {
          const refusal = { message: error.message, ...(error.details.providerCode ? { providerCode: error.details.providerCode } : {}) };
          throw new RefusalWithFact(error, observationOfRefusal(data.sessionReference, refusal, context));
        }
        throw error;
      }
      return observationOfPurchase(result, context, data.sessionReference);
    },

    needsReconciliation: () => false,

    readWebhook: createPaywayWebhookReader({ ...(config.webhookSecret ? { secret: config.webhookSecret } : {}), purchases }),
  };
}

/**
 * Adyen's `details` for perform_additional_action: the drop-in's onAdditionalDetails data as
 * `threeDS`, or the parameters a redirect came back with (e.g. `redirectResult`).
 */
function detailsOf(input: ContinueCreationInput): Record<string, unknown> {
  const threeDS = input.threeDS;
  if (threeDS !== undefined) {
    if (threeDS === null || typeof threeDS !== 'object' || Array.isArray(threeDS) || Object.keys(threeDS).length === 0) {
      throw badInput('input.threeDS', "Adyen's details object is required");
    }
    return threeDS as Record<string, unknown>;
  }
  const parameters = input.redirectResult?.parameters ?? [];
  if (!parameters.length) throw badInput('input.threeDS', "Adyen's details object (or the redirect's parameters) is required");
  return Object.fromEntries(parameters.map(({ name, value }) => [name, value]));
}
