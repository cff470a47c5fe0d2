import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { WebSocket } from 'ws';
import type { OrderStatusChange } from '../domain/order.js';
import type { PushChange } from '../domain/order-watch.js';

/**
 * Past this many bytes waiting in a socket's send buffer, a change goes the ordinary way, whose
 * graphql-ws loop waits for the socket to drain: a client that stops reading is then bounded by
 * the change hub's buffer (and cut off by it) exactly as without pushing.
 */
const MAX_PUSH_BUFFERED_BYTES = 1024 * 1024;

/**
 * The `next` payload (`{"data":...}` as JSON) of one change, per document and per operation name
 * plus variables, made by the first subscriber the change hub hands the change to and reused by
 * every other one: the hub hands the same change object to all subscribers of its order in one
 * synchronous dispatch. By document object: Yoga's parse cache hands out the same one for the
 * same text (a subscriber whose document was parsed apart just shares less). `null`: this change
 * is not shared for this key (its execution had errors or was not synchronous), and each
 * subscriber yields it to its own executor, which answers it as it always did. Weak: a change's
 * payloads go when the change does.
 */
const payloads = new WeakMap<OrderStatusChange, WeakMap<DocumentNode, Map<string, string | null>>>();

export interface PushTarget {
  socket: WebSocket;
  /** The graphql-ws subscription id, as the client chose it. */
  id: string;
  /** Whether graphql-ws still runs this subscription (the client has not completed it). */
  subscribed(): boolean;
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null;
  variableValues: Record<string, unknown> | null;
  contextValue: unknown;
}

/**
 * `orderStatusChanged` over graphql-ws, live changes (domain/order-watch.ts `PushChange`):
 * executed once per change for every subscriber of the same order with the same document,
 * operation name and variables, serialised once, and sent to each socket as
 * `{"id":<its id>,"type":"next","payload":<the shared payload>}` — the bytes graphql-ws' own
 * `next` would send (`stringifyMessage({ id, type, payload })`).
 *
 * Sharing is safe because a change's message depends only on the change, the document and the
 * variables: no field under `OrderStatusChange` reads the caller. Who may see the order is decided
 * when each subscriber subscribes (`requireWatchable`: NOT_FOUND for another owner's order, the
 * scopes), and an order's owner never changes; a token's expiry closes its socket (graphql-ws.ts),
 * which ends its subscriptions, so nothing is pushed to it afterwards.
 *
 * Only the plain case is pushed: a result with errors (masked per subscriber by Yoga), one that
 * is not synchronous, a socket that is not open or is backed up, a subscription graphql-ws no
 * longer runs: `false`, and the change is yielded through the subscriber's own executor as before.
 */
export function pushOverSocket(target: PushTarget): PushChange {
  const prefix = `{"id":${JSON.stringify(target.id)},"type":"next","payload":`;
  const key = `${target.operationName ?? ''}\n${JSON.stringify(target.variableValues ?? null)}`;
  return (change) => {
    const { socket } = target;
    if (socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_PUSH_BUFFERED_BYTES || !target.subscribed()) return false;
    const payload = payloadOf(change, key, target);
    if (payload === null) return false;
    socket.send(`${prefix}${payload}}`);
    return true;
  };
}

function payloadOf(change: OrderStatusChange, key: string, target: PushTarget): string | null {
  let byDocument = payloads.get(change);
  if (!byDocument) {
    byDocument = new WeakMap();
    payloads.set(change, byDocument);
  }
  let byKey = byDocument.get(target.document);
  if (!byKey) {
    byKey = new Map();
    byDocument.set(target.document, byKey);
  }
  let payload = byKey.get(key);
  if (payload === undefined) {
    payload = executeOnce(change, target);
    byKey.set(key, payload);
  }
  return payload;
}

/**
 * The subscription's selection set with the change as its root value: what the executor does for
 * each event of a subscription (graphql-js' `execute` runs a subscription operation's fields
 * with the root value it is given). Only a plain `{ data }` is shared.
 */
function executeOnce(change: OrderStatusChange, target: PushTarget): string | null {
  let result: ExecutionResult | Promise<ExecutionResult>;
  try {
    result = execute({
      schema: target.schema,
      document: target.document,
      rootValue: change,
      contextValue: target.contextValue,
      variableValues: target.variableValues,
      operationName: target.operationName,
    });
  } catch {
    return null;
  }
  if ('then' in result) {
    // Settled by nobody: each subscriber's own executor answers this change instead.
    result.then(undefined, () => undefined);
    return null;
  }
  if (result.errors || result.extensions || !result.data) return null;
  return JSON.stringify({ data: result.data });
}
