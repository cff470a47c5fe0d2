import type { CreatedOrder, CreateOrderCommand } from '../../domain/provider-port.js';
import type { DinteroDeps } from './deps.js';
import { observationOfSession } from './mapping.js';
import { checkDinteroCreate, toDraftOrder, toSessionRequest } from './request.js';
import { ORDER_PARAMETER } from './webhook.js';
import type { DinteroCompletedOrder, DinteroOrder } from './wire.js';

/** createOrder: a draft order, completed, then a checkout session the buyer pays on. */
export async function createDinteroOrder(deps: DinteroDeps, command: CreateOrderCommand): Promise<CreatedOrder> {
  const { client } = deps;
  const options = checkDinteroCreate(command, deps.config);
  const total = command.total;
  if (!total) throw new Error('the domain sums the items');
  const draft = await client.createDraftOrder(toDraftOrder(command, options));
  const orderId = dinteroOrderIdOf(draft, await client.completeDraftOrder(draft.id));
  // For callbacks, which see only the transaction: its Checkout lines -> the Orders API's. Without
  // it a callback leaves the authorization's recording to reconciliation, which knows the order.
  await deps.lineTables.save(orderId, command.items);
  const session = await client.createSession(toSessionRequest(command, options, orderId, callbackUrlFor(deps.callbackUrl, orderId)));
  await deps.sessionOrders.save(session.id, orderId);
  return {
    providerOrderId: orderId,
    reference: command.reference ?? orderId,
    total,
    items: command.items,
    observation: observationOfSession(orderId, session, draft.id),
  };
}

/**
 * Dintero's order id once the draft is completed. Neither answer is shown by the seed, so it is
 * taken from wherever one names it: an `order_id` (the completion's, else the draft's: asked with
 * generate_order_id, a draft may carry it already), else the completed order's own `id` (an order
 * answered as itself), else the draft's id (a completion answered 204: the draft became the order).
 * Before, only the completion's `order_id` was read, and any other answer made every Dintero
 * createOrder PROVIDER_UNAVAILABLE after the draft was made.
 */
export function dinteroOrderIdOf(draft: DinteroOrder, completed: DinteroCompletedOrder | null): string {
  return completed?.order_id ?? draft.order_id ?? completed?.id ?? draft.id;
}

/**
 * The session's callback URL names the Dintero order itself (ORDER_PARAMETER): the seed promises a
 * callback "with the session_id and its corresponding transaction" and no more, and a transaction
 * need not name its order (binding.ts). Dintero adds its parameters to the URL's own.
 */
function callbackUrlFor(base: string, dinteroOrderId: string): string {
  const url = new URL(base);
  url.searchParams.set(ORDER_PARAMETER, dinteroOrderId);
  return url.toString();
}
