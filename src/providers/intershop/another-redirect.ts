import { createHash } from 'node:crypto';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';

/**
 * The answer to a continue that stops at the PSP's page again, with another URL than the order's
 * (seed §2.2: the chain "may stop for another reason"; a PSP may want a second visit, a 3-D Secure
 * step, after the buyer's first return): a new stop, though its words are the first one's. A fact's
 * key is the chain's words (mapping.ts stateKey), so once the first stop was read (its answer, a
 * re-read) the second was "already applied" and the client kept the old URL; such an answer is
 * keyed by its URL as well. Only a continue's answer: a re-read of the same stop whose URL ICM
 * writes anew each time (session ids) must not be news every time.
 */
export function anotherRedirect(order: Order, observation: ProviderObservation): ProviderObservation {
  const stop = observation.creation?.stopAction;
  if (stop?.type !== 'REDIRECT' || !stop.redirectUrl || !order.seenKeys.includes(observation.key)) return observation;
  const previous = order.creation.stopAction;
  if (previous?.type === 'REDIRECT' && previous.redirectUrl === stop.redirectUrl) return observation;
  return { ...observation, key: `${observation.key}:redirect:${createHash('sha256').update(stop.redirectUrl).digest('hex').slice(0, 16)}` };
}
