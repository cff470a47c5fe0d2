import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Payway's adapter can do (seed payway-adyen-place-order.txt). */
export const paywayCapabilities: ProviderCapabilities = {
  // A purchase is one step (payment_methods + place_order), with its own input: not CreateOrderInput.
  createdWith: 'placeAdyenOrder',
  contents: 'input',
  // JSON events; a JWT whose claims are the event is one of the signatures taken (event-signature.ts).
  // No document shows an event or names its type, and a plain HTTP client labels a string body
  // text/plain: that label is read too (the body is JSON or a JWT all the same). A form
  // (event-form.ts) is how a plain client of Payway's own stack posts fields. Neither opens
  // anything: every event must still prove it knows PAYWAY_WEBHOOK_SECRET, and the webhook has no
  // cookie or session a browser's cross-site text/plain or form post could borrow.
  webhookContentTypes: ['application/json', 'application/jwt', 'text/plain', 'application/x-www-form-urlencoded'],
};
