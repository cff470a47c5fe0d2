import type { Caller } from '../caller.js';
import { forbidden } from '../errors.js';
import type { Order, Provider } from '../order.js';
import type { OrderDeps } from './deps.js';

/*
 * A creation that charges the buyer without them taking part (a merchant-initiated order): a
 * customer's saved card charged by the merchant (Intergiro CUSTOMER, or a saved card with the
 * merchant as initiator: no 3-D Secure), a Pei mandate's recurring charge, a Pei purchase for a
 * buyer by their national id. A browser's `orders:create` token (CONTRACT §4) must not do that
 * with someone else's card, mandate or kennitala: whoever holds one could charge anyone the
 * merchant can charge. It takes the merchant's authority (`orders:manage`, which a back office
 * holds), or, for a mandate, being the caller whose own order the buyer confirmed it on.
 */

/** What the adapter says a creation charges without the buyer (ProviderAdapter.chargesWithoutBuyer). */
export interface ChargeWithoutBuyer {
  /** The input field that asks for it, named in the refusal. */
  field: string;
  /** In words, for the refusal: "a Pei mandate's recurring charge". */
  what: string;
  /** A reusable authorization the gateway saw issued on some caller's order (a Pei mandate). */
  mandateId?: string;
}

/** How long the gateway remembers whose order a mandate was issued on: longer than any subscription's cycles run. */
const MANDATE_OWNER_TTL_MS = 5 * 366 * 24 * 60 * 60 * 1000;

const mandateKey = (provider: Provider, mandateId: string) => `mandate-owner:${provider}:${mandateId}`;

type ChargeDeps = Pick<OrderDeps, 'store'>;

/**
 * FORBIDDEN unless `caller` may charge without the buyer: it holds `orders:manage`, or the
 * charge's mandate was issued on one of its own orders. Checked before anything is stored or sent.
 */
export async function requireMayChargeWithoutBuyer(deps: ChargeDeps, caller: Caller, provider: Provider, charge: ChargeWithoutBuyer): Promise<void> {
  if (caller.scopes.has('orders:manage')) return;
  if (charge.mandateId !== undefined && (await deps.store.kv.get(mandateKey(provider, charge.mandateId))) === caller.sub) return;
  const own = charge.mandateId !== undefined ? ", or a mandate issued on one of this token's own orders" : '';
  throw forbidden(`${charge.what} charges the buyer without them (${charge.field}): it needs the orders:manage scope${own}`);
}

/**
 * Remembers the caller whose order a mandate was issued on (its first owner wins, so a later order
 * charging the same mandate, or one adopted from a listing, never takes it over). Called after an
 * order is written; costs nothing for an order without a mandate.
 */
export async function noteMandates(deps: ChargeDeps, order: Order): Promise<void> {
  if (order.owner === null) return;
  for (const payment of order.payments) {
    if (payment.mandateId) await deps.store.kv.setIfAbsent(mandateKey(order.provider, payment.mandateId), order.owner, MANDATE_OWNER_TTL_MS);
  }
}
