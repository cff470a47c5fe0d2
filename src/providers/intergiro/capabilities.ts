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
  // Callbacks are signed JWTs, sent as application/jwt (or JSON wrapping one).
  webhookContentTypes: ['application/jwt', 'application/json'],
};
