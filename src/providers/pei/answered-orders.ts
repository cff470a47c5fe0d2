import { createHash } from 'node:crypto';
import { GatewayError } from '../../domain/errors.js';
import type { KeyValueStore } from '../../store/types.js';

/**
 * Which of the gateway's orders each Pei order was made for, as Submit, Orders/Pay (or the search
 * after a lost answer) named it. The seed says nothing of a Reference the merchant used before
 * ("A reference in Order in the merchant's system"): a Pei idempotent by it answers a second
 * submit under it with the order it already has, making and charging nothing (round eight). Taken
 * for the new order's own, that order's read (the first purchase, Confirmed) showed the second
 * CAPTURED too: two gateway orders holding one Pei charge, and Pei's postbacks for it going to the
 * second. An order another of the gateway's orders holds is therefore no new order: the creation
 * is refused (PROVIDER_REJECTED), nothing stored as made. The same creation answered again (its
 * retry after a lost answer) holds its own claim.
 */

/**
 * How long a claim is kept: beyond Pei's ExpirationDate default (a day) and the gateway's
 * idempotency keys (24 h) by far, the months a merchant may bill under one reference excepted. An
 * order answered again after that (or one made outside the gateway) is taken for a new one.
 */
export const CLAIM_TTL_MS = 35 * 24 * 60 * 60 * 1000;

/** Pei's order ids compared without letter case or padding, as reads compare them (client.ts getOrder). */
const keyOf = (peiOrderId: string): string => `pei:answered:${createHash('sha256').update(peiOrderId.trim().toLowerCase()).digest('base64url')}`;

export interface AnsweredOrders {
  /** Claims Pei's order for the gateway's `orderId`; PROVIDER_REJECTED when another of the gateway's orders holds it. */
  claim(peiOrderId: string, orderId: string): Promise<void>;
  /** Whether another of the gateway's orders than `orderId` holds Pei's order. */
  heldByAnother(peiOrderId: string, orderId: string): Promise<boolean>;
}

export function answeredOrders(kv: KeyValueStore): AnsweredOrders {
  const heldByAnother = async (peiOrderId: string, orderId: string): Promise<boolean> => {
    const holder = await kv.get(keyOf(peiOrderId));
    return holder !== null && holder !== orderId;
  };
  return {
    heldByAnother,
    async claim(peiOrderId, orderId) {
      if (await kv.setIfAbsent(keyOf(peiOrderId), orderId, CLAIM_TTL_MS)) return;
      if (!(await heldByAnother(peiOrderId, orderId))) return;
      throw new GatewayError(
        'PROVIDER_REJECTED',
        'Pei answered with an order it had already made for another order (under the same reference, which Pei may not take twice): it made no new one',
        { providerCode: 'existing_order', providerField: 'reference' },
      );
    },
  };
}
