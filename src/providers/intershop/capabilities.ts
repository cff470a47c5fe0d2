import type { ProviderCapabilities } from '../../domain/provider-capabilities.js';

/** What Intershop ICM's adapter can do (seed intershop-icm-order-rest-v1.txt). */
export const intershopCapabilities: ProviderCapabilities = {
  createdWith: 'createOrder',
  // An ICM order is made from a basket: its currency, lines and total are the basket's.
  contents: 'basket',
  optionsField: 'intershop',
  // A final order may still lack what only a read of the order itself gives (see needsReconciliation).
  reconcilesFinalOrders: true,
  // ICM calls nobody back: no webhook route (the adapter has no readWebhook).
};
