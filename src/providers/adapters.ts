import type { ProviderConfigs } from '../config.js';
import type { ProviderAdapter } from '../domain/provider-port.js';
import type { AdapterContext } from './context.js';
import { createDinteroAdapter } from './dintero/index.js';
import { createIntergiroAdapter } from './intergiro/index.js';
import { createIntershopAdapter } from './intershop/index.js';
import { createPaywayAdapter } from './payway/index.js';
import { createPeiAdapter } from './pei/index.js';

/** One adapter per configured provider; a provider left unconfigured answers NOT_SUPPORTED. */
export function createAdapters(configs: ProviderConfigs, context: AdapterContext): ProviderAdapter[] {
  const adapters: ProviderAdapter[] = [];
  if (configs.intergiro) adapters.push(createIntergiroAdapter({ ...configs.intergiro, publicUrl: context.publicUrl, timeoutMs: context.timeoutMs }));
  if (configs.pei) adapters.push(createPeiAdapter(configs.pei, context));
  if (configs.intershop) adapters.push(createIntershopAdapter(configs.intershop, context));
  if (configs.dintero) adapters.push(createDinteroAdapter(configs.dintero, context));
  if (configs.payway) adapters.push(createPaywayAdapter(configs.payway, context));
  return adapters;
}
