import type { PaywayConfig } from '../../config.js';
import { notSupported } from '../../domain/errors.js';
import type { ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';

/** PLACEHOLDER until the Payway adapter is built: every operation answers NOT_SUPPORTED. */
export function createPaywayAdapter(config: PaywayConfig, context: AdapterContext): ProviderAdapter {
  void config;
  void context;
  return {
    provider: 'PAYWAY',
    validateCreate() {
      throw notSupported('PAYWAY is not available in this gateway yet');
    },
    createOrder() {
      return Promise.reject(notSupported('PAYWAY is not available in this gateway yet'));
    },
    needsReconciliation: () => false,
  };
}
