import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Dintero's adapter can do (seed dintero-orders-and-checkout.txt). */
export const dinteroCapabilities: ProviderCapabilities = {
  createdWith: 'createOrder',
  contents: 'input',
  optionsField: 'dintero',
  // A refund recording may still be pending when the order is REFUNDED (final).
  reconcilesFinalOrders: true,
  // Dintero's callback is a GET with the transaction in the query; a POST carries JSON or a form.
  webhookMethods: ['GET', 'POST'],
  webhookContentTypes: ['application/json', 'application/x-www-form-urlencoded'],
};
