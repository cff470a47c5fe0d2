import { requireScope, type Caller } from '../caller.js';
import { compact } from '../compact.js';
import { badInput, notSupported } from '../errors.js';
import { fingerprintOf } from '../idempotency.js';
import type { Order } from '../order.js';
import type { DeliveryAddress, PlaceAdyenOrderCommand } from '../provider-port.js';
import { parseStatedPrice } from '../stated-price.js';
import type { OrderDeps } from './deps.js';
import { newOrderId } from './order-id.js';
import { createOnce } from './create-once.js';

/** A field GraphQL may hand over as null. */
type Nullable<T> = { [K in keyof T]: undefined extends T[K] ? T[K] | null : T[K] };

/**
 * CONTRACT PlaceAdyenOrderInput as GraphQL hands it over, its field rules already checked at the
 * edge (schema/payway-rules.ts): the one declaration of its shape; schema/inputs.ts implements the
 * GraphQL input against it.
 */
export interface PlaceAdyenOrderInput
  extends Nullable<Omit<PlaceAdyenOrderCommand, 'orderId' | 'statedTotal' | 'paymentMethod' | 'deliveryAddress'>> {
  /** The Adyen drop-in's paymentMethod: a JSON object with a `type` (checked at the edge). */
  paymentMethod: NonNullable<unknown> | null;
  deliveryAddress?: Nullable<DeliveryAddress> | null;
  /** The price the shopper was shown, as the client sent it (parseStatedPrice checks it). */
  amount?: string | null;
  currency?: string | null;
  idempotencyKey?: string | null;
}

/** CONTRACT placeAdyenOrder: Payway's one-step purchase; idempotent like createOrder. */
export async function placeAdyenOrder(deps: OrderDeps, caller: Caller | null, input: PlaceAdyenOrderInput): Promise<Order> {
  const creator = requireScope(caller, 'orders:create');
  // The provider whose orders are placed this way (Payway), if this gateway is configured for it.
  const adapter = [...deps.adapters.values()].find(({ capabilities }) => capabilities.createdWith === 'placeAdyenOrder');
  if (!adapter?.placeAdyenOrder) throw notSupported('No provider of this gateway places orders with placeAdyenOrder');
  const place = adapter.placeAdyenOrder.bind(adapter);
  const { paymentMethod, deliveryAddress, ...given } = input;
  // Absent rather than null: a retry that leaves a field out is the same request as one sending null.
  const { idempotencyKey, ...rest } = {
    ...compact(given),
    paymentMethod: paymentMethodOf(paymentMethod),
    ...(deliveryAddress ? { deliveryAddress: compact(deliveryAddress) } : {}),
  };
  const { amount, currency, ...fields } = rest;
  const statedTotal = parseStatedPrice(amount, currency);
  const command: PlaceAdyenOrderCommand = { ...fields, ...(statedTotal ? { statedTotal } : {}), orderId: newOrderId() };

  const creation = {
    orderId: command.orderId,
    provider: adapter.provider,
    owner: creator.sub,
    reference: command.merchantReference ?? null,
    total: statedTotal ?? null,
    items: [],
    lookup: {},
  };
  const keyed = idempotencyKey
    ? { key: { caller: creator.sub, operation: 'placeAdyenOrder', key: idempotencyKey }, fingerprint: fingerprintOf(rest), field: 'input.idempotencyKey' }
    : null;
  return createOnce(deps, creation, keyed, (orderId) => place({ ...command, orderId }));
}

/** The edge's rule (paywayRules.paymentMethod) made it an object; said again here for the type. */
function paymentMethodOf(value: PlaceAdyenOrderInput['paymentMethod']): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput('input.paymentMethod', 'An object with the payment method type');
  return Object.fromEntries(Object.entries(value));
}
