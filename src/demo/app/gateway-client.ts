/// <reference lib="dom" />
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../../client/generated/graphql.js';
import { execute } from '../../client/request.js';
import { subscribeTo } from '../../client/subscribe.js';

/**
 * The demo page's way to the gateway, through the typed client (src/client/): a plain fetch for
 * queries and mutations, graphql-ws for the subscription. With persisted operations on it sends
 * each document's hash instead of its text, as a production frontend would.
 */
export interface GatewayClient {
  request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R>;
  /** Calls `next` for every message; `error` once if it fails. */
  watch<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: { next(data: R): void; error(message: string): void }): void;
  close(): void;
}

export function createGatewayClient(options: { token: string; persisted: boolean }): GatewayClient {
  let socket: Client | undefined;
  const ws = (): Client =>
    (socket ??= createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: { Authorization: `Bearer ${options.token}` },
      // A dropped connection comes back by itself (the subscription resubscribes with the same variables).
      retryAttempts: 5,
    }));

  return {
    request: (document, variables) => execute('/graphql', document, variables, options),
    watch(document, variables, sink) {
      void (async () => {
        try {
          for await (const data of subscribeTo(ws(), document, variables, options)) sink.next(data);
        } catch (error) {
          sink.error(error instanceof Error ? error.message : 'the connection to the gateway failed');
        }
      })();
    },
    close: () => void socket?.dispose(),
  };
}
