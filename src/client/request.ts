import type { TypedDocumentString } from './generated/graphql.js';

/**
 * The wire payload for a generated document: its text, or (persisted) only its hash in
 * `extensions.persistedQuery`, which a gateway with PERSISTED_OPERATIONS=allow|require looks up.
 * graphql-ws insists on a query string, so a persisted document there travels as '' plus the hash.
 */
export function operationPayload<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  persisted = false,
): { query: string; variables: V; extensions?: { persistedQuery: { version: 1; sha256Hash: string } } } {
  const hash = document.__meta__?.['hash'] as string | undefined;
  if (!persisted) return { query: document.toString(), variables };
  if (!hash) throw new Error('this document has no persisted-document hash: regenerate the client with persistedDocuments on');
  return { query: '', variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
    readonly status: number,
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`);
  }

  /** The contract's code (`extensions.code`) of the first error, e.g. BAD_USER_INPUT. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.['code'] as string | undefined;
  }
}

/**
 * One query or mutation over a plain fetch, typed by the generated document: the variables are
 * checked at compile time and the answer comes back as the operation's result type. Works in a
 * browser (relative `endpoint`) and in Node 20 (absolute).
 */
export async function execute<R, V>(
  endpoint: string,
  document: TypedDocumentString<R, V>,
  variables: V,
  options: { token?: string; persisted?: boolean } = {},
): Promise<R> {
  const { query, ...rest } = operationPayload(document, variables, options.persisted);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ ...(query ? { query } : {}), ...rest }),
  });
  const body = (await response.json()) as { data?: R | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  if (body.errors?.length || !body.data) throw new GraphQLRequestError(body.errors ?? [], response.status);
  return body.data;
}
