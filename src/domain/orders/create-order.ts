import { requireScope, type Caller } from '../caller.js';
import { badInput } from '../errors.js';
import { fingerprintOf } from '../idempotency.js';
import type { Order } from '../order.js';
import { requireMayChargeWithoutBuyer } from './charge-without-buyer.js';
import { createOnce } from './create-once.js';
import { parseCreateOrder, type CreateOrderInput } from './create-order-input.js';
import { adapterFor, type OrderDeps } from './deps.js';
import { newOrderId } from './order-id.js';

/**
 * CONTRACT createOrder: checked input -> intent stored -> the provider creates the order ->
 * stored; idempotent by key, and never created twice upstream for one key (create-once.ts).
 */
export async function createOrder(deps: OrderDeps, caller: Caller | null, input: CreateOrderInput): Promise<Order> {
  const creator = requireScope(caller, 'orders:create');
  const adapter = adapterFor(deps.adapters, input.provider);
  const { createdWith } = adapter.capabilities;
  if (createdWith !== 'createOrder') throw badInput('input.provider', `${input.provider} orders are placed with ${createdWith}`);
  const command = parseCreateOrder(input, newOrderId(), adapter.capabilities);
  adapter.validateCreate(command);
  const withoutBuyer = adapter.chargesWithoutBuyer?.(command);
  if (withoutBuyer) await requireMayChargeWithoutBuyer(deps, creator, command.provider, withoutBuyer);

  const creation = {
    orderId: command.orderId,
    provider: command.provider,
    owner: creator.sub,
    reference: command.reference ?? null,
    total: command.total ?? null,
    items: command.items,
    lookup: adapter.creationLookup?.(command) ?? {},
  };
  const { idempotencyKey, ...rest } = input;
  const keyed = idempotencyKey
    ? { key: { caller: creator.sub, operation: 'createOrder', key: idempotencyKey }, fingerprint: fingerprintOf(rest), field: 'input.idempotencyKey' }
    : null;
  // A retry after an unknown outcome creates (if at all) under the first attempt's id: the adapter sends what that id implies.
  return createOnce(deps, creation, keyed, (orderId) => adapter.createOrder({ ...command, orderId }));
}
