import { createHash } from 'node:crypto';
import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';
import { answeredOrders, type AnsweredOrders } from '../answered-orders.js';

/**
 * Which gateway order each Pei order was answered for (../answered-orders.ts). The seed says
 * nothing of a Reference the merchant used before ("A reference in Order in the merchant's
 * system"): a Pei idempotent by it answers a second submit under it with the order it already
 * has, making and charging nothing (round eight). Taken for the new order's own, that order's
 * read (the first purchase, Confirmed) showed the second CAPTURED too, and Pei's postbacks for it
 * went to the second.
 */
export function peiAnsweredOrders(kv: KeyValueStore): AnsweredOrders {
  return answeredOrders(kv, {
    // Pei's order ids compared without letter case or padding, as reads compare them (client.ts getOrder).
    keyOf: (peiOrderId) => `pei:answered:${createHash('sha256').update(peiOrderId.trim().toLowerCase()).digest('base64url')}`,
    refusal: () =>
      new GatewayError(
        'PROVIDER_REJECTED',
        'Pei answered with an order it had already made for another order (under the same reference, which Pei may not take twice): it made no new one',
        { providerCode: 'existing_order', providerField: 'reference' },
      ),
  });
}
