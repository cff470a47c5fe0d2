import type { IntershopConfig } from '../../config.js';
import { notSupported } from '../../domain/errors.js';
import type { ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';

/** PLACEHOLDER until the Intershop adapter is built: every operation answers NOT_SUPPORTED. */
export function createIntershopAdapter(config: IntershopConfig, context: AdapterContext): ProviderAdapter {
  void config;
  void context;
  return {
    provider: 'INTERSHOP',
    validateCreate() {
      throw notSupported('INTERSHOP is not available in this gateway yet');
    },
    createOrder() {
      return Promise.reject(notSupported('INTERSHOP is not available in this gateway yet'));
    },
    needsReconciliation: () => false,
  };
}
