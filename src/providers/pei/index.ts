import type { PeiConfig } from '../../config.js';
import { notSupported } from '../../domain/errors.js';
import type { ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';

/** PLACEHOLDER until the Pei adapter is built: every operation answers NOT_SUPPORTED. */
export function createPeiAdapter(config: PeiConfig, context: AdapterContext): ProviderAdapter {
  void config;
  void context;
  return {
    provider: 'PEI',
    validateCreate() {
      throw notSupported('PEI is not available in this gateway yet');
    },
    createOrder() {
      return Promise.reject(notSupported('PEI is not available in this gateway yet'));
    },
    needsReconciliation: () => false,
  };
}
