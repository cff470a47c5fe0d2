/**
 * An outside tester's second pass: ways around the gateway's security found after the first probe
 * (charge-without-buyer.test.ts, query-limits.test.ts, ...), each with the fix it led to. Every
 * test fails without its fix.
 *
 * 1. Another caller's order through its reference (domain/orders/create-once.ts). A provider
 *    idempotent by the merchant's reference (an Intergiro keeping one order per `number`) answers
 *    a second creation under a reference with the order it already has. The gateway stored that
 *    answer as the new order: any browser token naming another shop's reference got an order
 *    showing the first one's status (CAPTURED: goods shipped with no money moved), and the
 *    provider's callbacks for the first order went to the newcomer's, so the first never moved.
 * 2. A merchant-initiated charge through a 3-D Secure result (schema/validators.ts threeDSResult).
 *    A browser token may not create an Intergiro saved-card order the merchant initiates (no 3-D
 *    Secure; charge-without-buyer.ts), but it could create one the cardholder initiates, stop at
 *    3-D Secure, and continue with a "result" `{type: "card", card, subsequent: {initiator:
 *    "merchant"}}`: the adapter takes a result shaped as a card payment for the payment itself, so
 *    the resubmission went to Intergiro as the merchant's charge of the customer's saved card.
 * 3. A Host header that stalls the event loop (server/http-server.ts usableHost). The pattern a
 *    plain Host is checked with backtracks quadratically on a long name that fails at its end: an
 *    anonymous request with 16,000 letters and a `!` as its Host, before any route, token or rate
 *    limit, held the event loop for a noticeable time, and a few a second stalled every caller.
 * 4. One token, many cache entries (server/token-cache.ts, server/read-cache.ts). Both caches were
 *    keyed by the Authorization value as sent, and the read cache by Accept, Accept-Encoding and
 *    Origin too: one browser token, padded with another number of spaces (or sent with another
 *    long Origin) per request, made each of its reads of its own order a new entry with a key of
 *    up to 16 KB, 10,000 entries in each cache (~300 MB) from one caller within its rate limit.
 * 5. A `javascript:` URL to send the buyer to (schema/order.ts StopAction.redirectUrl). A provider's
 *    answer names the page the buyer goes to (Intergiro's link, ICM's PSP redirect, Adyen's
 *    action, Dintero's session URL), and only Pei's adapter checked it was http(s); a frontend
 *    does `location.assign(redirectUrl)` (the demo does), so a `javascript:` URL ran in the
 *    shop's page. Answered as null now.
 * 6. An error message that stalls the event loop (server/no-suggestions.ts). Every error message is
 *    cleaned of graphql-js' "Did you mean" hints with a pattern that was quadratic in a run of
 *    spaces, and messages quote what the client sent (a syntax error its string token, a refused
 *    variable its value): one anonymous request with 100,000 spaces in a string held the event
 *    loop for ~50 s (a 256 KiB body for minutes), no token needed.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { startIntergiroServer, type IntergiroServer } from '../support/independent/intergiro-server.js';
import { recordSecrets } from '../support/test-logs.js';
import { sample, scrape } from '../support/metrics.js';
import { rewriteAnswers, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const API_KEY = 'security-probe-2-intergiro-key';
const CALLBACK_SECRET = 'security-probe-2-intergiro-callback-secret';

describe('security probe 2: an Intergiro that keeps one order per number', () => {
  let env: TestEnvironment;
  let server: IntergiroServer;
  let gateway: Gateway;
  let shopA: string;
  let shopB: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    recordSecrets([API_KEY, CALLBACK_SECRET]);
    // Answers a creation under a number an order already carries with that order, as it stands.
    server = await startIntergiroServer({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET, numberOnce: 'answer', callbacks: 'after' });
    // Waiting orders are re-read rarely: an order that moves here moved because of a callback.
    gateway = await env.startGateway({ intergiro: { url: server.url, apiKey: API_KEY, callbackSecret: CALLBACK_SECRET }, reconcileIntervalMs: 600_000, providerTimeoutMs: 2000 });
    shopA = await tokenFor('orders:create', 'probe2-shop-a');
    shopB = await tokenFor('orders:create', 'probe2-shop-b');
    backOffice = await tokenFor('orders:read orders:manage', 'probe2-back-office');
  });
  afterAll(async () => {
    await env?.close();
    await server?.close();
  });

  const link = (reference: string) => ({
    provider: 'INTERGIRO',
    currency: 'EUR',
    amount: '20.00',
    reference,
    intergiro: { paymentType: 'LINK', charge: true },
    returnUrls: { success: 'https://shop.example/thanks' },
  });
  const read = async (id: string) => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;

  it("a browser token naming another caller's reference gets no order of theirs, and their order keeps its callbacks", async () => {
    const reference = `probe2-${randomUUID().slice(0, 8)}`;
    const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: link(reference) }, shopA);
    expect(first.errors).toBeUndefined();
    const victim = first.data!.createOrder;
    expect(victim.status).toBe('CREATED');
    const providerOrderId = victim.providerOrderId!;

    // Another caller creates under the same reference: Intergiro answers the victim's order.
    const second = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: link(reference) }, shopB);
    expect(second.data?.createOrder?.providerOrderId).toBeUndefined();
    expect(second.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
    expect(second.errors?.[0]?.extensions).toMatchObject({ providerCode: 'existing_order', providerField: 'reference' });

    // The victim's buyer pays: Intergiro's callback for its order reaches the victim's order.
    await server.payLink(providerOrderId);
    expect(server.callbacksSent.some((sent) => sent.orderId === providerOrderId && sent.status === 200)).toBe(true);
    const paid = await eventually(async () => {
      const order = await read(victim.id);
      return order.status === 'CAPTURED' ? order : undefined;
    });
    expect(paid.providerOrderId).toBe(providerOrderId);

    // One gateway order under the reference: the victim's.
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { reference }, first: 10 }, backOffice);
    expect(listed.orders.nodes.map((order) => order.id)).toEqual([victim.id]);
  });

  it('the same creation retried under its idempotency key still answers its own order', async () => {
    const reference = `probe2-retry-${randomUUID().slice(0, 8)}`;
    const input = { ...link(reference), idempotencyKey: `key-${reference}` };
    const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shopA);
    expect(first.errors).toBeUndefined();
    const again = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shopA);
    expect(again.errors).toBeUndefined();
    expect(again.data!.createOrder.id).toBe(first.data!.createOrder.id);
  });
});

describe('security probe 2: a 3-D Secure result cannot make the charge merchant-initiated', () => {
  let env: TestEnvironment;
  let server: IntergiroServer;
  let gateway: Gateway;
  let browser: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    recordSecrets([API_KEY, CALLBACK_SECRET]);
    server = await startIntergiroServer({ apiKey: API_KEY, callbackSecret: CALLBACK_SECRET, callbacks: 'none' });
    gateway = await env.startGateway({ intergiro: { url: server.url, apiKey: API_KEY, callbackSecret: CALLBACK_SECRET }, reconcileIntervalMs: 600_000, providerTimeoutMs: 2000 });
    browser = await tokenFor('orders:create', 'probe2-browser');
  });
  afterAll(async () => {
    await env?.close();
    await server?.close();
  });

  /** A saved card the cardholder uses (3-D Secure): what a browser token may create. */
  const savedCardByCardholder = () => ({
    provider: 'INTERGIRO',
    currency: 'EUR',
    amount: '20.00',
    reference: `probe2-3ds-${randomUUID().slice(0, 8)}`,
    intergiro: {
      paymentType: 'CARD',
      cardToken: 'tok_3ds',
      browser: INTERGIRO_TEST_BROWSER,
      customerId: 'someone-elses-customer',
      subsequent: { reference: 'MCA1400001202', initiator: 'cardholder' },
    },
  });
  const orderPosts = () => server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order');

  it('a result carrying `subsequent` is refused before anything is sent; the real result still completes the order', async () => {
    const created = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: savedCardByCardholder() }, browser);
    expect(created.errors).toBeUndefined();
    const order = created.data!.createOrder;
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    const postsBefore = orderPosts().length;

    const forged = { type: 'card', card: 'tok_3ds_done', subsequent: { reference: 'MCA1400001202', initiator: 'merchant' } };
    const continued = await gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: forged } }, browser);
    expect(continued.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(continued.errors?.[0]?.extensions?.['field']).toBe('input.threeDS.subsequent');
    // Nothing went to Intergiro, and certainly not a merchant-initiated charge.
    expect(orderPosts().length).toBe(postsBefore);
    expect(orderPosts().some((request) => JSON.stringify(request.body).includes('"initiator":"merchant"'))).toBe(false);

    const genuine = await gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: { type: 'card', card: 'tok_3ds_done' } } }, browser);
    expect(genuine.errors).toBeUndefined();
    expect(genuine.data!.continueOrderCreation.status).toBe('AUTHORIZED');
  });
});

/** One raw HTTP/1.1 request with the Host as given (fetch and node:http would refuse or fix it); resolves with the status code. */
function rawGet(url: string, path: string, host: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

describe('security probe 2: a long Host header', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env?.close());

  it('costs the event loop no more than a short one', async () => {
    // Within Node's 16 KiB of headers; the `!` makes the plain-name pattern fail at the very end.
    const hostile = `${'a'.repeat(16_000)}!`;
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: 4 }, () => rawGet(gateway.url, '/health/live', hostile)));
    const elapsed = performance.now() - started;
    // Answered (whatever the URL parser makes of the name), and quickly: before, ~2 s of one
    // core each on this machine, all of it with the event loop held.
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(200);
    expect(elapsed).toBeLessThan(400);
    // Plain names keep their fast path and their answers.
    expect(await rawGet(gateway.url, '/health/live', 'api.example.com')).toBe(200);
    expect(await rawGet(gateway.url, '/health/live', `${'a'.repeat(300)}!`)).toBeGreaterThanOrEqual(200);
  });
});

describe('security probe 2: one token, one entry in the caches', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env?.close());

  const hits = async () => sample(await scrape(gateway), 'gateway_read_cache_total', { outcome: 'hit' }) ?? 0;
  const readOrder = async (id: string, authorization: string, origin?: string) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify({ query: String(GET_ORDER), variables: { id } }),
    });
    const body = (await response.json()) as { data?: { order: { id: string } | null } };
    return body.data?.order?.id;
  };

  it('a token padded with spaces, or sent with a long Origin, is answered but not kept again and again', async () => {
    const token = await tokenFor('orders:create', 'probe2-cache-shop');
    const created = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '25.00', intergiro: { paymentType: 'LINK' } } }, token);
    const id = created.createOrder.id;

    // The usual spelling is kept: the second read is a hit.
    const before = await hits();
    for (let i = 0; i < 2; i++) expect(await readOrder(id, `Bearer ${token}`)).toBe(id);
    expect(await hits()).toBe(before + 1);

    // Padded spellings and long Origins are still answered, each read by Yoga, none kept.
    const afterUsual = await hits();
    for (const padding of [2, 3, 4]) {
      for (let i = 0; i < 2; i++) expect(await readOrder(id, `Bearer${' '.repeat(padding)}${token}`)).toBe(id);
    }
    for (const length of [2000, 3000]) {
      for (let i = 0; i < 2; i++) expect(await readOrder(id, `Bearer ${token}`, `https://${'a'.repeat(length)}.example`)).toBe(id);
    }
    expect(await hits()).toBe(afterUsual);
  });
});

describe('security probe 2: the URL a buyer is sent to', () => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    proxy = await startRecordingProxy(env.intergiro.url);
    gateway = await env.startGateway({ intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET } });
  });
  afterAll(async () => {
    await env?.close();
    await proxy?.close();
  });

  const linkWith = async (link: string) => {
    const shop = await tokenFor('orders:create', 'probe2-redirect-shop');
    const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '12.00', intergiro: { paymentType: 'LINK' } };
    const created = await rewriteAnswers(
      proxy,
      /^POST \/v1\/order$/,
      (_request, json: { payment?: { link?: string } }) => {
        if (json.payment) json.payment.link = link;
      },
      () => gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop),
    );
    return created.createOrder.creation.stopAction;
  };

  it('is never a javascript: or data: URL a provider answered', async () => {
    for (const link of ['javascript:alert(document.cookie)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      expect(await linkWith(link), link).toMatchObject({ type: 'REDIRECT', redirectUrl: null });
    }
    expect(await linkWith('https://pay.example/link/abc')).toMatchObject({ type: 'REDIRECT', redirectUrl: 'https://pay.example/link/abc' });
  });
});

describe('security probe 2: error messages quoting a long run of spaces', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env?.close());

  /** An anonymous request (no token: none is needed to be refused) and how long its answer took. */
  const timed = async (body: unknown) => {
    const started = performance.now();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { errors?: { message: string }[] };
    return { ms: performance.now() - started, status: response.status, message: answer.errors?.[0]?.message ?? '' };
  };
  const spaces = ' '.repeat(100_000);

  it('a string token in a syntax error is answered at once', async () => {
    const answer = await timed({ query: `{ "${spaces}" }` });
    expect(answer.status).toBe(400);
    expect(answer.ms).toBeLessThan(1000);
  });

  it("a variable's refused value is answered at once", async () => {
    const answer = await timed({ query: 'query ($from: Date) { orders(filter: {from: $from}) { nodes { id } } }', variables: { from: `x${spaces}x` } });
    expect(answer.status).toBe(400);
    expect(answer.ms).toBeLessThan(1000);
  });
});
