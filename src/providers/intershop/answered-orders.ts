import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';

/**
 * Which of the gateway's orders each ICM order was made for, as POST /orders (or the search after
 * a lost answer) named it. The seed does not say what a second POST of a basket already ordered
 * gets: a refusal (the basket is taken), or, from an ICM whose create is idempotent by the basket,
 * the order it already made of it, as it stands (round nine). Taken for the new order's own, that
 * answer made two gateway orders of one ICM order (a double-clicked checkout, a shop retrying
 * with a new key): both AUTHORIZED or CAPTURED, one payment counted twice, and both continued on
 * the same chain. An ICM order another of the gateway's orders holds is therefore no new order:
 * the creation is refused (PROVIDER_REJECTED, as a refusing ICM's), nothing stored as made. The
 * same creation answered again (its retry after a lost answer) holds its own claim. Shared by
 * every gateway instance (the key-value store); a claim that cannot be written fails the create
 * as the store's failure does.
 */

/**
 * How long a claim is kept: an ICM basket is ordered within its session, and the gateway's
 * idempotency keys live 24 h; a month covers both by far. An order answered again after that (or
 * one made outside the gateway) is taken for a new one.
 */
export const CLAIM_TTL_MS = 35 * 24 * 60 * 60 * 1000;

/** ICM order ids are opaque and compared as written (its URLs carry them so). */
const keyOf = (icmOrderId: string): string => `intershop:answered:${icmOrderId}`;

export interface AnsweredOrders {
  /** Claims ICM's order for the gateway's `orderId`; PROVIDER_REJECTED when another of the gateway's orders holds it. */
  claim(icmOrderId: string, orderId: string): Promise<void>;
  /** Whether another of the gateway's orders than `orderId` holds ICM's order. */
  heldByAnother(icmOrderId: string, orderId: string): Promise<boolean>;
}

export function answeredOrders(kv: KeyValueStore): AnsweredOrders {
  const heldByAnother = async (icmOrderId: string, orderId: string): Promise<boolean> => {
    const holder = await kv.get(keyOf(icmOrderId));
    return holder !== null && holder !== orderId;
  };
  return {
    heldByAnother,
    async claim(icmOrderId, orderId) {
      if (await kv.setIfAbsent(keyOf(icmOrderId), orderId, CLAIM_TTL_MS)) return;
      if (!(await heldByAnother(icmOrderId, orderId))) return;
      throw new GatewayError(
        'PROVIDER_REJECTED',
        'Intershop answered with the order it had already made of this basket for another order: the basket is ordered, no new order was made',
        { providerCode: 'basket.already_ordered', providerField: 'input.intershop.basketId' },
      );
    },
  };
}
