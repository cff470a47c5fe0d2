import type { CreatedOrder, CreateOrderCommand } from '../../domain/provider-port.js';
import type { DinteroDeps } from './deps.js';
import { observationOfSession } from './mapping.js';
import { checkDinteroCreate, toDraftOrder, toSessionRequest } from './request.js';
import { ORDER_PARAMETER } from './webhook.js';

/** createOrder: a draft order, completed, then a checkout session the buyer pays on. */
export async function createDinteroOrder(deps: DinteroDeps, command: CreateOrderCommand): Promise<CreatedOrder> {
  const { client } = deps;
  const options = checkDinteroCreate(command, deps.config);
  const total = command.total;
  if (!total) throw new Error('the domain sums the items');
  const draft = await client.createDraftOrder(toDraftOrder(command, options));
  const completed = await client.completeDraftOrder(draft.id);
  // For callbacks, which see only the transaction: its Checkout lines -> the Orders API's. Without
  // it a callback leaves the authorization's recording to reconciliation, which knows the order.
  await deps.lineTables.save(completed.order_id, command.items);
  const session = await client.createSession(toSessionRequest(command, options, completed.order_id, callbackUrlFor(deps.callbackUrl, completed.order_id)));
  return {
    providerOrderId: completed.order_id,
    reference: command.reference ?? completed.order_id,
    total,
    items: command.items,
    observation: observationOfSession(completed.order_id, session, draft.id),
  };
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
