import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, createSchema } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { createAuthenticator } from '../../src/server/auth.js';
import { useRequestBodyLimit } from '../../src/server/request-body-limit.js';
import { createGraphQLHandler } from '../../src/server/yoga.js';
import { ChangeHub } from '../../src/store/change-hub.js';
import { CREATE_ORDER, WATCH_ORDER } from '../support/documents.js';
import { AUTH_SECRET, STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';

/*
 * Behaviour kept by the per-request speed-ups (README "Benchmarks"): an SSE subscription still gets
 * a signal that ends it when its client goes or the gateway stops (built only when a subscription
 * starts), and the request body limit still answers 413 (counted only for bodies without
 * Content-Length).
 */

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const linkOrder = intergiroLinkOrder('12.00', { returnUrls: { success: 'https://shop.example/thanks' } });

describe.each(STORE_KINDS)('SSE subscriptions end with their client (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let hub: ChangeHub;
  let stopping: AbortController;
  let server: Server;
  let url: string;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    shop = await tokenFor('orders:create', 'shop-signal');
    // The gateway's own GraphQL handler on the gateway's store, with a hub this test can count.
    hub = new ChangeHub(gateway.store.changes);
    stopping = new AbortController();
    const yoga = createGraphQLHandler({
      service: gateway.service,
      orders: gateway.store.orders,
      feed: gateway.store.feed,
      hub,
      authenticator: createAuthenticator({ jwtSecret: AUTH_SECRET }),
      logger: createLogger({ write: () => {} }),
      stopping: stopping.signal,
    });
    server = createServer((request, response) => void yoga(request, response));
    url = await listen(server);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await env.close();
  });

  /** Opens an SSE WatchOrder and reads until its snapshot arrived; the stream stays open. */
  async function watch(signal?: AbortSignal) {
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: WATCH_ORDER.toString(), variables: { orderId: order.id } }),
      ...(signal ? { signal } : {}),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"status":"CREATED"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${text}`);
      text += Buffer.from(value).toString();
    }
    return reader;
  }

  it('frees its place in the change hub when the client disconnects', async () => {
    const client = new AbortController();
    await watch(client.signal);
    expect(hub.size).toBe(1);
    client.abort();
    await eventually(async () => hub.size === 0);
  });

  it('holds a dozen SSE subscriptions at once without a listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const clients = Array.from({ length: 12 }, () => new AbortController());
    try {
      await Promise.all(clients.map((client) => watch(client.signal)));
      expect(hub.size).toBe(12);
    } finally {
      for (const client of clients) client.abort();
    }
    await eventually(async () => hub.size === 0);
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('ends an open SSE subscription when the gateway stops, and a query still works meanwhile', async () => {
    const reader = await watch();
    expect(hub.size).toBe(1);
    // A query does not get (or need) a signal, and leaves the subscription alone.
    const reply = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await reply.json()).toEqual({ data: { __typename: 'Query' } });
    expect(hub.size).toBe(1);

    stopping.abort();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    await eventually(async () => hub.size === 0);
  });
});

describe('request body limit', () => {
  const LIMIT = 64;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { echo(text: String!): String! }', resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => text } } }),
      maxRequestBodySize: false,
      plugins: [useRequestBodyLimit(LIMIT)],
      logging: false,
    });
    server = createServer((request, response) => void yoga(request, response));
    url = await listen(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const body = (text: string) => JSON.stringify({ query: `{ echo(text: "${text}") }` });
  const post = (payload: string | ReadableStream<Uint8Array>) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: payload,
      duplex: 'half',
    } as RequestInit);
  /** The same bytes, streamed chunked (no Content-Length). */
  const chunked = (payload: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(payload);
        for (let at = 0; at < bytes.length; at += 16) controller.enqueue(bytes.subarray(at, at + 16));
        controller.close();
      },
    });

  it('answers a body within the limit, with and without Content-Length', async () => {
    const small = body('hi');
    expect(small.length).toBeLessThanOrEqual(LIMIT);
    expect(await (await post(small)).json()).toEqual({ data: { echo: 'hi' } });
    expect(await (await post(chunked(small))).json()).toEqual({ data: { echo: 'hi' } });
  });

  it('refuses a body over the limit with 413 REQUEST_ENTITY_TOO_LARGE, with and without Content-Length', async () => {
    const large = body('x'.repeat(LIMIT));
    for (const response of [await post(large), await post(chunked(large))]) {
      expect(response.status).toBe(413);
      const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(answer.errors[0]).toMatchObject({ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } });
    }
  });
});
