import { expect } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TypedDocumentString } from '../../src/client/generated/graphql.js';

/**
 * A generated typed document (its result and variables types ride along), or a plain string for
 * deliberately invalid or ad-hoc documents.
 */
export type AnyDocument = TypedDocumentString<any, any> | string;

/**
 * How a document travels: its text (the default), or only its persisted-document hash in
 * `extensions.persistedQuery` (what a production frontend sends with PERSISTED_OPERATIONS on).
 */
export interface SendOptions {
  persisted?: boolean;
}

/** The request body (HTTP) or subscribe payload (graphql-ws) for a document. */
export function requestPayload(document: AnyDocument, variables: Record<string, unknown>, options: SendOptions = {}) {
  if (!options.persisted) return { query: String(document), variables };
  const hash = typeof document === 'string' ? undefined : (document.__meta__?.['hash'] as string | undefined);
  if (!hash) throw new Error('this document has no persisted-document hash (run npm run codegen)');
  return { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  /** The body exactly as received (for checks on what it must never contain). */
  raw: string;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** One GraphQL request over real HTTP; a typed document gives the result and variables types. */
export function gql<R, V>(baseUrl: string, document: TypedDocumentString<R, V>, variables: V, token?: string, options?: SendOptions): Promise<GraphQLResponse<R>>;
export function gql<T = Record<string, unknown>>(
  baseUrl: string,
  document: AnyDocument,
  variables?: Record<string, unknown>,
  token?: string,
  options?: SendOptions,
): Promise<GraphQLResponse<T>>;
export async function gql(
  baseUrl: string,
  document: AnyDocument,
  variables: Record<string, unknown> = {},
  token?: string,
  options: SendOptions = {},
): Promise<GraphQLResponse> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(requestPayload(document, variables, options)),
  });
  const raw = await response.text();
  const body = JSON.parse(raw) as Omit<GraphQLResponse, 'status' | 'raw'>;
  return { status: response.status, raw, ...body };
}

/** The data of a request that must succeed; throws with the errors otherwise. */
export function gqlOk<R, V>(baseUrl: string, document: TypedDocumentString<R, V>, variables: V, token?: string, options?: SendOptions): Promise<R>;
export function gqlOk<T = any>(baseUrl: string, document: AnyDocument, variables?: Record<string, unknown>, token?: string, options?: SendOptions): Promise<T>;
export async function gqlOk(
  baseUrl: string,
  document: AnyDocument,
  variables: Record<string, unknown> = {},
  token?: string,
  options: SendOptions = {},
): Promise<unknown> {
  const result = await gql(baseUrl, document, variables, token, options);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** One GraphQL error as a response carries it. */
export type GraphQLError = NonNullable<GraphQLResponse['errors']>[number];

/**
 * What the provider suites read from an answer: deep paths pinned with assertions (`toMatchObject`,
 * `toBe`), so the data is left untyped here, in this one place, rather than in each file.
 */
export type AnswerData = any;

/** An answer with its errors always a list (empty when none) and its data null when absent. */
export interface CheckedAnswer<T = AnswerData> {
  status: number;
  raw: string;
  data: T | null;
  errors: GraphQLError[];
}

/**
 * GraphQL requests over real HTTP whose raw JSON is checked, every time, for secrets it must never
 * contain (provider credentials, card tokens, national ids). `secrets` is asked at each request,
 * so a secret learnt later in the suite counts from then on.
 */
export function secretCheckedGraphQL(secrets: () => Iterable<string>) {
  /** Fails the test if `raw` (any answer the gateway gave, GraphQL or not) holds a secret. */
  function expectNoSecrets(raw: string): void {
    for (const secret of secrets()) expect(raw, 'a response leaked a secret').not.toContain(secret);
  }
  /** One request; fails the test if its answer holds a secret. */
  async function call<T = AnswerData>(baseUrl: string, document: AnyDocument, variables: Record<string, unknown>, token: string): Promise<CheckedAnswer<T>> {
    const response = await gql<T>(baseUrl, document, variables, token);
    expectNoSecrets(response.raw);
    return { status: response.status, raw: response.raw, data: response.data ?? null, errors: response.errors ?? [] };
  }
  /** The data of a request that must succeed. */
  async function ok<T = AnswerData>(baseUrl: string, document: AnyDocument, variables: Record<string, unknown>, token: string): Promise<T> {
    const answer = await call<T>(baseUrl, document, variables, token);
    if (answer.errors.length > 0 || !answer.data) throw new Error(`GraphQL errors: ${answer.raw}`);
    return answer.data;
  }
  return { call, ok, expectNoSecrets };
}

export interface Subscription<T> {
  /** Every message received so far, in order. */
  messages: T[];
  /** The next message not yet taken (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<T>;
  /** Takes messages until one matches; returns it. */
  waitFor(predicate: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves when the server completed the subscription; rejects on error. */
  done: Promise<void>;
  errors: unknown[];
  dispose(): Promise<void>;
}

/**
 * A graphql-ws subscription over a real WebSocket that queues messages so none is missed
 * between awaits (the graphql-ws test client's idea).
 */
export function subscribe<R, V>(baseUrl: string, token: string, document: TypedDocumentString<R, V>, variables: V, options?: SendOptions): Subscription<R>;
export function subscribe<T = Record<string, any>>(
  baseUrl: string,
  token: string,
  document: AnyDocument,
  variables?: Record<string, unknown>,
  options?: SendOptions,
): Subscription<T>;
export function subscribe<T>(
  baseUrl: string,
  token: string,
  document: AnyDocument,
  variables: Record<string, unknown> = {},
  options: SendOptions = {},
): Subscription<T> {
  const client: Client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  const messages: T[] = [];
  const errors: unknown[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  done.catch(() => undefined);

  // graphql-ws requires a query string; a persisted document travels as '' plus its hash.
  client.subscribe<T>(
    { query: '', ...requestPayload(document, variables, options) },
    {
      next: (value) => {
        if (value.errors?.length) errors.push(value.errors);
        if (value.data) messages.push(value.data as T);
        notify();
      },
      error: (error) => {
        errors.push(error);
        fail(error);
        notify();
      },
      complete: () => {
        finish();
        notify();
      },
    },
  );

  const take = async (predicate: (message: T) => boolean, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (taken < messages.length) {
        const message = messages[taken++] as T;
        if (predicate(message)) return message;
      }
      if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
  };

  return {
    messages,
    errors,
    done,
    next: (timeoutMs = 5000) => take(() => true, timeoutMs),
    waitFor: (predicate, timeoutMs = 10_000) => take(predicate, timeoutMs),
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Opens a raw graphql-ws socket, sends connection_init, and reports how it ended. */
export function connectRaw(baseUrl: string, payload: Record<string, unknown> | undefined, headers: Record<string, string> = {}) {
  return new Promise<{ acked: boolean; closeCode?: number }>((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    let acked = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') {
        acked = true;
        socket.close(1000);
      }
    });
    socket.on('close', (code) => resolve({ acked, closeCode: code }));
    socket.on('error', reject);
  });
}
