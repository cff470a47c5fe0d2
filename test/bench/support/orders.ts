import { CREATE_ORDER } from './documents.js';
import { graphql } from './environment.js';

export interface CreatedOrder {
  id: string;
  providerOrderId: string;
  redirectUrl: string | null;
}

/** Creates `count` orders through the gateway, `concurrency` at a time, in order of index. */
export async function createOrders(
  url: string,
  token: string,
  count: number,
  input: (index: number) => Record<string, unknown>,
  concurrency = 8,
): Promise<CreatedOrder[]> {
  const orders: CreatedOrder[] = new Array<CreatedOrder>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const data = await graphql<{ createOrder: { id: string; providerOrderId: string; creation: { stopAction: { redirectUrl: string | null } | null } } }>(
        url,
        token,
        CREATE_ORDER,
        { input: input(index) },
      );
      orders[index] = {
        id: data.createOrder.id,
        providerOrderId: data.createOrder.providerOrderId,
        redirectUrl: data.createOrder.creation.stopAction?.redirectUrl ?? null,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return orders;
}
