/**
 * README example: a merchant's back office (an `orders:read` token) pages through every PENDING
 * order of the last week, whichever provider, then listens to every change and, after a
 * disconnect or a deploy, resumes from the last `cursor` it handled: nothing missed, nothing
 * twice. Run against a gateway:
 *
 *   npx tsx src/client/examples/back-office.ts http://localhost:4000 "$TOKEN" [cursor]
 *
 * test/client/examples.test.ts runs it, so this file cannot drift from the gateway.
 */
import { pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { BackOfficeOrdersQuery, BackOfficeUpdatesSubscription, OrderFilter } from '../generated/graphql.js';
import { BACK_OFFICE_ORDERS, BACK_OFFICE_UPDATES } from '../operations.js';
import { execute } from '../request.js';
import { subscribeTo } from '../subscribe.js';

export type ListedOrder = BackOfficeOrdersQuery['orders']['nodes'][number];
export type OrderUpdate = BackOfficeUpdatesSubscription['orderUpdates'];

/** Every order the filter matches, newest first, a page at a time (cursors survive new orders). */
export async function allOrders(gatewayUrl: string, token: string, filter: OrderFilter, pageSize = 50): Promise<ListedOrder[]> {
  const orders: ListedOrder[] = [];
  let after: string | null = null;
  for (;;) {
    const page: BackOfficeOrdersQuery = await execute(`${gatewayUrl}/graphql`, BACK_OFFICE_ORDERS, { filter, first: pageSize, after }, { token });
    orders.push(...page.orders.nodes);
    if (!page.orders.pageInfo.hasNextPage) return orders;
    after = page.orders.pageInfo.endCursor ?? null;
  }
}

/**
 * Calls `onUpdate` for every change after `after` (all of them from now on without it) until
 * `until` says stop; returns the last cursor handled: store it, and pass it back next time. A
 * cursor older than the gateway's kept feed (FEED_RETENTION_HOURS) fails with HISTORY_EXPIRED:
 * list the orders again, then listen without `after`.
 */
export async function listen(options: {
  url: string;
  token: string;
  after?: string;
  onUpdate: (update: OrderUpdate) => void;
  until?: (update: OrderUpdate) => boolean;
}): Promise<string | undefined> {
  const client = createClient({ url: options.url, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${options.token}` } });
  let cursor = options.after;
  try {
    for await (const { orderUpdates: update } of subscribeTo(client, BACK_OFFICE_UPDATES, { after: options.after ?? null })) {
      options.onUpdate(update);
      cursor = update.cursor;
      if (options.until?.(update)) break;
    }
  } finally {
    await client.dispose();
  }
  return cursor;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [gatewayUrl = 'http://localhost:4000', token = '', after] = process.argv.slice(2);
  const weekAgo = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  for (const order of await allOrders(gatewayUrl, token, { status: 'PENDING', from: weekAgo })) console.log(JSON.stringify(order));
  await listen({ url: gatewayUrl.replace(/^http/, 'ws') + '/graphql', token, ...(after ? { after } : {}), onUpdate: (update) => console.log(JSON.stringify(update)) });
}
