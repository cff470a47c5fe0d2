import type { ProviderObservation } from '../../domain/observation.js';
import type { IntershopOrderData } from './wire.js';

/** A read's order without the chain it has left (chain.ts readChainLeft): chainOf then reads its statusCode and payments. */
export function withoutChain<T extends IntershopOrderData>(data: T): T {
  const { orderCreation: _left, ...rest } = data;
  return rest as T;
}

/**
 * A fact from a read whose chain the order had left (`left`), marked: read as waiting on the PSP's
 * notification, such an order may still have its buyer come back from the PSP's page, whose return
 * is then still sent (request.ts waitingFor; ICM answers it with the chain's state, seed §2.2's
 * end). Before that mark the return was INVALID_STATE, and an ICM whose reads keep the PSP page's
 * chain left the order PENDING until its watch ended, though ICM had placed it.
 */
export function leftPsp(observation: ProviderObservation, left: boolean): ProviderObservation {
  return left ? { ...observation, providerData: { ...observation.providerData, intershopChainLeftByRead: true } } : observation;
}
