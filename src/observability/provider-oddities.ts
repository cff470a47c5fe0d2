import { observeProviderOddities } from '../domain/provider-oddities.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from './metrics.js';
import { currentRequestContext } from './request-context.js';

/**
 * How many distinct (provider, order, word) warnings one gateway remembers: an order whose
 * provider keeps saying an unknown word is re-read every reconciliation interval, and its warning
 * is written once, not at every read (the counter still counts every read).
 */
const WARNED_KEPT = 1000;

/**
 * One gateway's view of what its adapters read around (domain/provider-oddities.ts): each is
 * counted (`gateway_provider_oddities_total{provider, kind}`) and logged at warn. The seam is
 * process-wide, like provider calls; what another gateway of the same process met is left to it.
 * Returns the unregister function.
 */
export function observeOwnProviderOddities(owner: object, metrics: GatewayMetrics, logger: Logger): () => void {
  const warned = new Set<string>();
  return observeProviderOddities((oddity) => {
    const context = currentRequestContext();
    if (context?.owner !== undefined && context.owner !== owner) return;
    metrics.providerOddity(oddity.provider, oddity.kind);
    if (oddity.kind === 'unreadable_entry') {
      logger.log('warn', 'provider listing entry skipped', { provider: oddity.provider, reason: oddity.reason });
      return;
    }
    const key = `${oddity.provider}\u0000${oddity.order ?? ''}\u0000${oddity.word}`;
    if (warned.has(key)) return;
    if (warned.size >= WARNED_KEPT) warned.delete(warned.values().next().value as string);
    warned.add(key);
    logger.log('warn', 'unknown provider status word', { provider: oddity.provider, word: oddity.word, ...(oddity.order ? { providerOrderId: oddity.order } : {}) });
  });
}
