import type { Client } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql.js';
import { GraphQLRequestError, operationPayload } from './request.js';

/**
 * A subscription over graphql-ws as an async iterator of typed results: `for await (const data of
 * subscribeTo(client, CHECKOUT_WATCH_ORDER, { orderId }))`. It ends when the server completes the
 * subscription (orderStatusChanged does after a final status) or the loop breaks; an error
 * message from the server is thrown as a GraphQLRequestError.
 */
export async function* subscribeTo<R, V>(
  client: Client,
  document: TypedDocumentString<R, V>,
  variables: V,
  options: { persisted?: boolean } = {},
): AsyncGenerator<R, void, undefined> {
  const payload = operationPayload(document, variables, options.persisted);
  try {
    for await (const result of client.iterate<R>({ ...payload, variables: payload.variables as Record<string, unknown> })) {
      if (result.errors?.length) throw new GraphQLRequestError(result.errors, 200);
      if (result.data) yield result.data;
    }
  } catch (error) {
    // graphql-ws hands a refused subscription's `error` message over as the bare error list.
    if (Array.isArray(error)) throw new GraphQLRequestError(error as { message: string }[], 200);
    throw error;
  }
}
