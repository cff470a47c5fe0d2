import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Payway's adapter can do (seed payway-adyen-place-order.txt). */
export const paywayCapabilities: ProviderCapabilities = {
  // A purchase is one step (payment_methods + place_order), with its own input: not CreateOrderInput.
  createdWith: 'placeAdyenOrder',
  contents: 'input',
  // JSON events; a JWT whose claims are the event is one of the signatures taken (event-signature.ts).
  webhookContentTypes: ['application/json', 'application/jwt'],
};
