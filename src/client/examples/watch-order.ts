/**
 * README example: watch an order's status over graphql-ws — the token in connection_init, and
 * `after` to resume where a previous connection stopped, missing nothing. Run against a gateway:
 *
 *   npx tsx src/client/examples/watch-order.ts ws://localhost:4000/graphql "$TOKEN" ord_... [after]
 *
 * test/client/examples.test.ts runs it, so this file cannot drift from the gateway.
 */
import { pathToFileURL } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { CheckoutWatchOrderSubscription } from '../generated/graphql.js';
import { CHECKOUT_WATCH_ORDER } from '../operations.js';
import { subscribeTo } from '../subscribe.js';
import { runExample } from './failure.js';

export type StatusChange = CheckoutWatchOrderSubscription['orderStatusChanged'];

/**
 * Calls `onChange` for every status change of the order until `until` says stop (default: a
 * final status, after which the gateway also ends the subscription). Remember the last `eventId`
 * and pass it as `after` when you reconnect.
 */
export async function watchOrder(options: {
  url: string;
  token: string;
  orderId: string;
  after?: string;
  onChange: (change: StatusChange) => void;
  until?: (change: StatusChange) => boolean;
}): Promise<string | undefined> {
  const client = createClient({
    url: options.url,
    // In a browser leave webSocketImpl out: the global WebSocket is used.
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${options.token}` },
    // A refused token (4401, 4403) will be refused again: fail at once instead of retrying.
    shouldRetry: (closeEvent) => ![4401, 4403].includes((closeEvent as { code?: number }).code ?? 0),
  });
  let lastEventId = options.after;
  try {
    for await (const { orderStatusChanged: change } of subscribeTo(client, CHECKOUT_WATCH_ORDER, {
      orderId: options.orderId,
      after: options.after ?? null,
    })) {
      lastEventId = change.eventId;
      options.onChange(change);
      if ((options.until ?? ((latest) => latest.final))(change)) break;
    }
  } finally {
    await client.dispose();
  }
  return lastEventId;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url = 'ws://localhost:4000/graphql', token = '', orderId = '', after] = process.argv.slice(2);
  // A refused token closes the socket (4401/4403), a refused order is a GraphQL error: one line each.
  await runExample(async () => {
    await watchOrder({ url, token, orderId, ...(after ? { after } : {}), onChange: (change) => console.log(JSON.stringify(change)) });
  });
}
