import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  /** The body exactly as received (for checks on what it must never contain). */
  raw: string;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** One GraphQL request over real HTTP. */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await response.text();
  const body = JSON.parse(raw) as Omit<GraphQLResponse<T>, 'status' | 'raw'>;
  return { status: response.status, raw, ...body };
}

/** The data of a request that must succeed; throws with the errors otherwise. */
export async function gqlOk<T = any>(baseUrl: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await gql<T>(baseUrl, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
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
export function subscribe<T = Record<string, any>>(
  baseUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
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

  client.subscribe<T>(
    { query, variables },
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
