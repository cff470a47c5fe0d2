import type { DinteroConfig } from '../../config.js';
import { notSupported } from '../../domain/errors.js';
import type { ProviderAdapter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';

/** PLACEHOLDER until the Dintero adapter is built: every operation answers NOT_SUPPORTED. */
export function createDinteroAdapter(config: DinteroConfig, context: AdapterContext): ProviderAdapter {
  void config;
  void context;
  return {
    provider: 'DINTERO',
    validateCreate() {
      throw notSupported('DINTERO is not available in this gateway yet');
    },
    createOrder() {
      return Promise.reject(notSupported('DINTERO is not available in this gateway yet'));
    },
    needsReconciliation: () => false,
  };
}
