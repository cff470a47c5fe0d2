import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Intergiro's adapter can do (seed intergiro-orders.txt). */
export const intergiroCapabilities: ProviderCapabilities = {
  createdWith: 'createOrder',
  contents: 'input',
  optionsField: 'intergiro',
  // PATCH charge is allowed on an `ordered` order only, and leaves it `charged` (seed: Order Status).
  capturesPerAuthorization: 'one',
  // It calls back when an order is paid, charged, refunded or cancelled (seed: Callbacks).
  callsBack: true,
  // Callbacks are signed JWTs, sent as application/jwt (or JSON wrapping one). An Intergiro that
  // posts the token as a plain string (fetch's default label, text/plain) or as bytes
  // (application/octet-stream) is read by its body: the signature, not the label, decides.
  webhookContentTypes: ['application/jwt', 'application/json', 'text/plain', 'application/octet-stream'],
};
