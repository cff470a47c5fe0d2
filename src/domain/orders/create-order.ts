import { storeKeys } from '../../store/keys.js';
import { requireScope, type Caller } from '../caller.js';
import { badInput } from '../errors.js';
import { fingerprintOf } from '../idempotency.js';
import type { Order } from '../order.js';
import { parseCreateOrder, type CreateOrderInput } from './create-order-input.js';
import { adapterFor, type OrderDeps } from './deps.js';
import { newOrderId } from './order-id.js';
import { storedOrder } from './record-fact.js';
import { storeAccepted } from './store-accepted.js';

/** How long a creation's intent outlives an answer that never came: as long as idempotency keys are kept. */
const CREATION_INTENT_TTL_MS = 24 * 60 * 60 * 1000;

/** CONTRACT createOrder: checked input -> the provider creates the order -> stored; idempotent by key. */
export async function createOrder(deps: OrderDeps, caller: Caller | null, input: CreateOrderInput): Promise<Order> {
  const creator = requireScope(caller, 'orders:create');
  const adapter = adapterFor(deps.adapters, input.provider);
  const { createdWith } = adapter.capabilities;
  if (createdWith !== 'createOrder') throw badInput('input.provider', `${input.provider} orders are placed with ${createdWith}`);
  const command = parseCreateOrder(input, newOrderId(), adapter.capabilities);
  adapter.validateCreate(command);

  const create = async (): Promise<Order> => {
    // Intent first: the creation is written to the store before the provider is asked, so a
    // store that cannot be reached fails here (SERVICE_UNAVAILABLE) with nothing sent upstream,
    // and a creation whose answer never got stored stays on record (its reference, its key).
    const intent = storeKeys.creationIntent(command.orderId);
    await deps.store.kv.set(
      intent,
      JSON.stringify({ provider: command.provider, owner: creator.sub, reference: command.reference ?? null, idempotencyKey: input.idempotencyKey ?? null }),
      CREATION_INTENT_TTL_MS,
    );
    const order = await storeAccepted(deps, creator, command.provider, command.orderId, await adapter.createOrder(command));
    await deps.store.kv.delete(intent).catch(() => undefined); // else it expires; the order is stored
    return order;
  };
  // Without a key the creation's own answer is the order as it is now: no second read.
  if (!input.idempotencyKey) return create();
  const { idempotencyKey, ...rest } = input;
  const orderId = await deps.idempotency.runOnce(
    { caller: creator.sub, operation: 'createOrder', key: idempotencyKey, field: 'input.idempotencyKey' },
    fingerprintOf(rest),
    async () => (await create()).id,
  );
  return storedOrder(deps, orderId);
}
