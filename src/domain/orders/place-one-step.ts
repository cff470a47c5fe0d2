import { requireScope, type Caller } from '../caller.js';
import { notSupported } from '../errors.js';
import { fingerprintOf } from '../idempotency.js';
import type { Order } from '../order.js';
import type { PlaceAdyenOrderCommand } from '../provider-port.js';
import { parseStatedPrice } from '../stated-price.js';
import type { OrderDeps } from './deps.js';
import { newOrderId } from './order-id.js';
import { storedOrder } from './record-fact.js';
import { storeAccepted } from './store-accepted.js';

/** CONTRACT PlaceAdyenOrderInput, its field rules already checked at the edge. */
export type PlaceAdyenOrderInput = Omit<PlaceAdyenOrderCommand, 'orderId' | 'statedTotal'> & {
  /** The price the shopper was shown, as the client sent it (parseStatedPrice checks it). */
  amount?: string | null;
  currency?: string | null;
  idempotencyKey?: string | null;
};

/** CONTRACT placeAdyenOrder: Payway's one-step purchase; idempotent like createOrder. */
export async function placeAdyenOrder(deps: OrderDeps, caller: Caller | null, input: PlaceAdyenOrderInput): Promise<Order> {
  const creator = requireScope(caller, 'orders:create');
  // The provider whose orders are placed this way (Payway), if this gateway is configured for it.
  const adapter = [...deps.adapters.values()].find(({ capabilities }) => capabilities.createdWith === 'placeAdyenOrder');
  if (!adapter?.placeAdyenOrder) throw notSupported('No provider of this gateway places orders with placeAdyenOrder');
  const place = adapter.placeAdyenOrder.bind(adapter);
  const { idempotencyKey, ...rest } = input;
  const { amount, currency, ...fields } = rest;
  const statedTotal = parseStatedPrice(amount, currency);
  const command: PlaceAdyenOrderCommand = { ...fields, ...(statedTotal ? { statedTotal } : {}), orderId: newOrderId() };

  const create = async (): Promise<string> => (await storeAccepted(deps, creator, adapter.provider, command.orderId, await place(command))).id;
  if (!idempotencyKey) return storedOrder(deps, await create());
  const orderId = await deps.idempotency.runOnce(
    { caller: creator.sub, operation: 'placeAdyenOrder', key: idempotencyKey, field: 'input.idempotencyKey' },
    fingerprintOf(rest),
    create,
  );
  return storedOrder(deps, orderId);
}
