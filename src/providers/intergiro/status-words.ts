import { statusSpelling } from '../status-spelling.js';

/**
 * An Intergiro status word in the spelling of CONTRACT §8's list (wire.ts IntergiroStatus): any
 * letter case, `canceled` (the seed's Callbacks) as `cancelled`, and `captured` as `charged`. The
 * seed's verbs are "capture, refund or cancel"; an Intergiro that takes `capture` as the event
 * (order-changes.ts) may call the order `captured` after it, as `charge` leads to `charged`
 * (CONTRACT §8). Read as a word the gateway does not know, a paid link with charge "auto" stayed
 * CREATED for good. An event `capture` / `captured` is already read as a charge (amounts.ts).
 */
export function intergiroSpelling(word: string): string {
  const spelled = statusSpelling(word);
  return spelled === 'captured' ? 'charged' : spelled;
}
