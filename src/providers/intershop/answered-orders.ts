import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { answeredOrders, type AnsweredOrders } from '../answered-orders.js';

/**
 * Which gateway order each ICM order was made for (../answered-orders.ts). The seed does not say
 * what a second POST of a basket already ordered gets: a refusal (the basket is taken), or, from
 * an ICM whose create is idempotent by the basket, the order it already made of it, as it stands
 * (round nine): a double-clicked checkout, or a shop retrying with a new key, made two gateway
 * orders of one ICM order, both continued on the same chain.
 */
export function intershopAnsweredOrders(kv: KeyValueStore): AnsweredOrders {
  return answeredOrders(kv, {
    // ICM order ids are opaque and compared as written (its URLs carry them so).
    keyOf: (icmOrderId) => `intershop:answered:${icmOrderId}`,
    refusal: () =>
      new GatewayError(
        'PROVIDER_REJECTED',
        'Intershop answered with the order it had already made of this basket for another order: the basket is ordered, no new order was made',
        { providerCode: 'basket.already_ordered', providerField: 'input.intershop.basketId' },
      ),
  });
}
