import { PROVIDERS, type Provider } from '../domain/order.js';

/**
 * The one spelling of a provider in metric labels: the GraphQL enum's (`INTERGIRO`). Provider
 * calls name themselves as the adapters write them ("Intergiro"), webhook routes in lower case
 * ("intergiro"); a dashboard must not need three queries for one provider. Anything that is not
 * a provider is `unknown`, so no caller can invent a label value.
 */
export function providerLabel(name: string): Provider | 'unknown' {
  const upper = name.toUpperCase();
  return (PROVIDERS as readonly string[]).includes(upper) ? (upper as Provider) : 'unknown';
}
