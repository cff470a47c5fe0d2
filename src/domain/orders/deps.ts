import type { Store } from '../../store/types.js';
import { notSupported } from '../errors.js';
import type { IdempotencyKeys } from '../idempotency.js';
import type { Provider } from '../order.js';
import type { ProviderAdapter } from '../provider-port.js';
import type { SharedListings } from './listing-share.js';

/**
 * Everything the order use cases need from outside, built once by the facade (`service.ts`). Each
 * use case states the part it uses (`Pick<OrderDeps, ...>`), so a reader sees what it touches.
 */
export interface OrderDeps {
  store: Store;
  /** The configured providers' adapters; a provider absent here answers NOT_SUPPORTED. */
  adapters: ReadonlyMap<Provider, ProviderAdapter>;
  /** How long after a write an order still waiting on its provider is re-read. */
  reconcileIntervalMs: number;
  /** The same for an order of a provider that calls back (ProviderCapabilities.callsBack): reads are only a safety net. */
  callbackGraceMs: number;
  now: () => Date;
  /** Waits between store retries and idempotency races; injectable so tests control time. */
  sleep: (ms: number) => Promise<void>;
  idempotency: IdempotencyKeys;
  /**
   * How long after a creation's call is sent it must be over (its provider calls, the store's
   * retries): before then an order the provider does not show may still be on its way, so a
   * lost creation is not taken for "made nothing" (lost-creation.ts), and the sweep waits.
   */
  creationSettleMs: number;
  /** One order's change lease (change-lease.ts): its TTL, and how long a change waits for another holder, ms. */
  changeLease: { ttlMs: number; waitMs: number };
  /** Provider listings shared between requests (listing-share.ts). */
  listings: SharedListings;
}

/** The adapter of a provider the gateway is configured for; NOT_SUPPORTED otherwise. */
export function adapterFor(adapters: OrderDeps['adapters'], provider: Provider): ProviderAdapter {
  const adapter = adapters.get(provider);
  if (!adapter) throw notSupported(`${provider} is not available in this gateway yet`);
  return adapter;
}
