/**
 * An outside tester's fifth pass (after security-probe-4.test.ts): a black box with a client token
 * or none, over real HTTP and real WebSockets. Every test of a finding fails without its fix; the
 * "held" tests pin what was probed and found defended.
 *
 * Findings:
 *
 * 1. Anonymous callers blind the operation metrics (low; src/observability/metrics.ts
 *    nameLabel, src/observability/use-operation-metrics.ts). `/metrics` labels operations by the
 *    name the client wrote, bounded at 200 distinct names per instance, first come first served.
 *    Any client without a token could send `query Junk0 { __typename }` ... `Junk199` (200
 *    requests, well inside the per-address rate limit) and from then on every real client's
 *    operation (`CreateOrder`, `GetOrder`, `ApplyEvents`...) counted as `name="other"`: dashboards
 *    and alerts on them went blind, e.g. to hide a burst of refunds. Now a name first sent without
 *    a verified token takes one of at most 50 of the slots; the other 150 are for names of
 *    operations whose caller's token verified. Names already held keep their label for anyone.
 *
 * 2. GraphiQL's page held ~16 MB per anonymous slow reader (medium; src/server/graphiql-page.ts,
 *    src/server/yoga.ts). `GET /graphql` with `Accept: text/html` answers GraphiQL's ~9 MB page
 *    (assets inline) to anyone, without a token and outside the rate limit (it is no operation).
 *    Yoga rendered it per request and answered it as a string, which Node copied per connection and
 *    kept until the client read it: a client that asked and did not read held the copy. 60 such
 *    connections took an idle gateway from ~190 MB to ~1.1 GB of RSS; a few hundred exhaust a
 *    container's memory. Now each distinct page is rendered and encoded once and every answer is
 *    that one byte array, which Node writes to each socket by reference (the compressed forms were
 *    already kept once per encoding). The page, its headers and the dev-token rules are unchanged.
 *
 * Probed and held (see the "held" tests, and the report): `orderUpdates` with an `orders:create`
 * token over SSE (with `Last-Event-ID`) and graphql-ws (with `after`): FORBIDDEN; another sub's
 * `orderStatusChanged` over both with a resume point: NOT_FOUND, nothing replayed; `orders` with
 * `orders:create` only: FORBIDDEN; `order(id)` with `orders:manage` only: FORBIDDEN for a known and
 * an unknown id alike; one caller's idempotency key sent by another (a new order of its own) or
 * by the same `sub` with a lesser scope (FORBIDDEN before the key is looked up); batched request
 * bodies (400 "Batching is not supported."); five aliased refunds of 3.00 on 10.00 captured (three
 * go through, the rest INVALID_STATE); 5,000 `applyOrderEvents` elements in variables (refused
 * before any read) and 3,000 items (BAD_USER_INPUT); the demo, sandbox and fault routes outside
 * sandbox mode (404); response headers (no server or framework banner); an `x-request-id` with CR/LF
 * (not echoed: the gateway issues its own); amounts past a safe integer of minor units, `BTC`,
 * `eur`, a line whose amount is not unitPrice × quantity (negative unitPrice, quantity 1e308):
 * BAD_USER_INPUT; `/metrics`' token compared in constant time (same-secret.ts); unsigned Intergiro
 * JSON notices naming a known order only schedule it, and the poller's lease reads it once per
 * interval however many arrive.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, GET_ORDER } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';
import { sample, scrape } from '../support/metrics.js';
import { readSse } from '../support/sse.js';
import { openRawSocket } from '../support/ws-raw.js';

describe('security probe 5, finding 1: anonymous operation names cannot take every metric label', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ rateLimitPerMinute: 0 });
  });
  afterAll(() => env.close());

  it('keeps labelling a shop\'s own operations after 250 anonymous made-up names', async () => {
    for (let i = 0; i < 250; i += 1) await gql(gateway.url, `query Junk${i} { __typename }`, {});
    const shop = await tokenFor('orders:create', 'probe5-metrics-shop');
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('10.00') }, shop)).createOrder;
    await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shop);

    const text = await scrape(gateway);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'mutation', name: 'CreateOrder', outcome: 'success' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'GetOrder', outcome: 'success' })).toBe(1);
    // Some anonymous names still get a label (a client without a token is still seen), not all.
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Junk0' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Junk249' })).toBeUndefined();
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'other', outcome: 'success' })).toBe(200);
  });
});

describe('security probe 5, finding 2: GraphiQL\'s page is one shared copy, not one per slow reader', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it('40 anonymous connections that ask for the page and never read it hold far less than 40 pages', async () => {
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    const size = (await page.arrayBuffer()).byteLength;
    expect(size).toBeGreaterThan(1_000_000); // the premise: a big page
    const port = Number(new URL(gateway.url).port);
    const before = process.memoryUsage().rss;
    const readers: net.Socket[] = [];
    try {
      for (let i = 0; i < 40; i += 1) {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write('GET /graphql HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n');
        socket.pause(); // never reads: the answer waits in the gateway
        readers.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const grown = process.memoryUsage().rss - before;
      // Before: about 1.7 pages per connection (~640 MB here). Now: the one copy and socket buffers.
      expect(grown).toBeLessThan(10 * size);
    } finally {
      for (const socket of readers) socket.destroy();
    }
  }, 30_000);

  it('held: the page is answered whole, and the same, to a client that reads it, compressed or not', async () => {
    // node:http sends no Accept-Encoding (fetch asks for gzip and br by itself): the uncompressed answer.
    const plain = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http.get(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^text\/html/);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.toString()).toContain('Payments gateway');
    const compressed = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    expect(await compressed.text()).toBe(plain.body.toString());
  });
});

describe('security probe 5, held: subscriptions and reads between callers, over SSE and graphql-ws', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let orderId: string;
  let other: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    const owner = await tokenFor('orders:create', 'probe5-owner');
    orderId = (await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('10.00') }, owner)).createOrder.id;
    other = await tokenFor('orders:create', 'probe5-other');
  });
  afterAll(() => env.close());

  it('held: an orders:create token gets FORBIDDEN for orderUpdates and NOT_FOUND for another sub\'s order over SSE, resume point or not', async () => {
    const feed = await readSse(gateway.url, 'subscription { orderUpdates { cursor order { id } } }', {}, other, { headers: { 'last-event-id': '0' } });
    expect(feed).toMatch(/"code":"FORBIDDEN"/);
    expect(feed).not.toContain(orderId);
    const watch = await readSse(gateway.url, 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { eventId status } }', { id: orderId }, other, { headers: { 'last-event-id': '0' } });
    expect(watch).toMatch(/"code":"NOT_FOUND"/);
    expect(watch).not.toMatch(/"status"/);
  });

  it('held: the same over graphql-ws with `after`', async () => {
    const socket = openRawSocket(gateway.url, other);
    await socket.acked;
    socket.send({ type: 'subscribe', id: 'feed', payload: { query: 'subscription { orderUpdates(after: "0") { cursor order { id } } }' } });
    socket.send({ type: 'subscribe', id: 'watch', payload: { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id, after: "0") { eventId } }', variables: { id: orderId } } });
    await socket.waitFor('feed', 'complete');
    await socket.waitFor('watch', 'complete');
    socket.close();
    expect(JSON.stringify(socket.messages.find((message) => message.id === 'feed'))).toMatch(/"code":"FORBIDDEN"/);
    expect(JSON.stringify(socket.messages.find((message) => message.id === 'watch'))).toMatch(/"code":"NOT_FOUND"/);
    expect(socket.frames.join('\n')).not.toContain('"eventId"');
  });

  it('held: order(id) answers an orders:manage-only token the same for a known and an unknown id', async () => {
    const manager = await tokenFor('orders:manage', 'probe5-manager');
    const known = await gql(gateway.url, GET_ORDER, { id: orderId }, manager);
    const unknown = await gql(gateway.url, GET_ORDER, { id: 'ord_probe5_unknown' }, manager);
    expect(known.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(known.errors?.[0]?.message)).toBe(JSON.stringify(unknown.errors?.[0]?.message));
  });

  it('held: a batched body is refused whole', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });
});
