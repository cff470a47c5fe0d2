import type { GatewayError } from '../domain/errors.js';
import type { KeyValueStore } from '../store/types.js';

/**
 * Which of the gateway's orders each provider order was made for, as the provider's creation
 * answer (or the search after a lost answer) named it. A provider whose create is idempotent by
 * something the client chose (Pei's Reference, ICM's basket, Intergiro's number) answers a second
 * create under it with the order it already has, making and charging nothing. Taken for the new
 * order's own, that answer made two gateway orders of one provider order: both AUTHORIZED or
 * CAPTURED, one payment counted twice, and the provider's callbacks for it going to either. A
 * provider order another of the gateway's orders holds is therefore no new order: the creation
 * is refused (`refusal`, PROVIDER_REJECTED), nothing stored as made. The same creation answered
 * again (its retry after a lost answer) holds its own claim. Shared by every gateway instance (the
 * key-value store); a claim that cannot be written fails the create as the store's failure does.
 */
export interface AnsweredOrders {
  /** Claims the provider's order for the gateway's `orderId`; throws `refusal()` when another of the gateway's orders holds it. */
  claim(providerOrderId: string, orderId: string): Promise<void>;
  /** Whether another of the gateway's orders than `orderId` holds the provider's order. */
  heldByAnother(providerOrderId: string, orderId: string): Promise<boolean>;
}

export interface AnsweredOrdersOptions {
  /** The key a provider order's claim is kept under (its provider's prefix, its ids compared as that provider compares them). */
  keyOf(providerOrderId: string): string;
  /** The refusal of a creation answered with another gateway order's provider order. */
  refusal(): GatewayError;
  /** How long a claim is kept; default {@link CLAIM_TTL_MS}. */
  ttlMs?: number;
}

/**
 * How long a claim is kept: far beyond the gateway's idempotency keys (24 h), a basket's session
 * and Pei's default expiry (a day), the months a merchant may bill under one reference excepted.
 * An order answered again after that (or one made outside the gateway) is taken for a new one.
 */
export const CLAIM_TTL_MS = 35 * 24 * 60 * 60 * 1000;

export function answeredOrders(kv: KeyValueStore, options: AnsweredOrdersOptions): AnsweredOrders {
  const ttlMs = options.ttlMs ?? CLAIM_TTL_MS;
  const heldByAnother = async (providerOrderId: string, orderId: string): Promise<boolean> => {
    const holder = await kv.get(options.keyOf(providerOrderId));
    return holder !== null && holder !== orderId;
  };
  return {
    heldByAnother,
    async claim(providerOrderId, orderId) {
      if (await kv.setIfAbsent(options.keyOf(providerOrderId), orderId, ttlMs)) return;
      if (await heldByAnother(providerOrderId, orderId)) throw options.refusal();
    },
  };
}
