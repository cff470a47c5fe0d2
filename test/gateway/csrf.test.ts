import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CSRF_HEADER } from '../../src/server/csrf.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroOrderCount } from '../support/intergiro.js';

const CREATE = 'mutation { createOrder(input: {provider: INTERGIRO, currency: "EUR", amount: "4.00", intergiro: {paymentType: LINK}}) { id status } }';

describe('CSRF prevention for browsers', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let orderId: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    shop = await tokenFor('orders:create', 'csrf-shop');
    orderId = (await gqlOk(gateway.url, CREATE, {}, shop)).createOrder.id;
  });
  afterAll(() => env.close());

  const getOrder = (headers: Record<string, string>) =>
    fetch(`${gateway.url}/graphql?${new URLSearchParams({ query: `{ order(id: "${orderId}") { id } }` })}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${shop}`, ...headers },
    });

  const formPost = (contentType: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/json', authorization: `Bearer ${shop}`, ...headers },
      body,
    });

  async function refused(response: Response): Promise<void> {
    expect(response.status).toBe(403);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions?: { code?: string } }[] };
    expect(body.data ?? null).toBeNull();
    // It says what to send, with a code a client can branch on.
    expect(body.errors[0]?.message).toBe(`Required CSRF header not present: send ${CSRF_HEADER} (any value) with this request`);
    expect(body.errors[0]?.extensions?.code).toBe('BAD_REQUEST');
  }

  it('lets a JSON POST through without the header (browsers preflight it)', async () => {
    expect((await gqlOk(gateway.url, `{ order(id: "${orderId}") { id } }`, {}, shop)).order.id).toBe(orderId);
  });

  it('refuses a GET query without the header, and answers it with the header', async () => {
    await refused(await getOrder({}));
    const allowed = await getOrder({ [CSRF_HEADER]: '1' });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { order: { id: orderId } } });
  });

  it('refuses a form post and a text/plain post without the header, and nothing is created', async () => {
    const before = await intergiroOrderCount(env.intergiro);
    await refused(await formPost('application/x-www-form-urlencoded', new URLSearchParams({ query: CREATE }).toString()));
    await refused(await formPost('text/plain', JSON.stringify({ query: CREATE })));
    await refused(await formPost('multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE })}\r\n--x--\r\n`));
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);

    // The same form post with the header is a client that chose to send it: it works.
    const allowed = await formPost('application/x-www-form-urlencoded', new URLSearchParams({ query: CREATE }).toString(), { [CSRF_HEADER]: '1' });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { data: { createOrder: { status: string } } }).data.createOrder.status).toBe('CREATED');
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 1);
  });

  it('refuses an SSE subscription by GET without the header, and streams it with the header', async () => {
    const url = `${gateway.url}/graphql?${new URLSearchParams({ query: `subscription { orderStatusChanged(orderId: "${orderId}") { status } }` })}`;
    const headers = { accept: 'text/event-stream', authorization: `Bearer ${shop}` };
    const without = await fetch(url, { headers });
    expect(without.status).toBe(403);
    await without.body?.cancel();

    const controller = new AbortController();
    const stream = await fetch(url, { headers: { ...headers, [CSRF_HEADER]: '1' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('"status":"CREATED"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    expect(text).toContain('"orderStatusChanged":{"status":"CREATED"}');
  });

  it('answers a foreign origin without credentials: a cookie of a proxy in front cannot be borrowed by another site', async () => {
    const origin = 'https://evil.example';
    // The preflight a cross-site page sends before a credentialed JSON POST with the CSRF header.
    const preflight = await fetch(`${gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': `content-type,${CSRF_HEADER}` },
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const post = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: `{ order(id: "${orderId}") { id } }` }),
    });
    expect(post.headers.get('access-control-allow-credentials')).toBeNull();
    // A shop's frontend on its own origin, holding its bearer token, still reads the answer.
    expect(post.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await post.json()).toEqual({ data: { order: { id: orderId } } });
  });

  it('serves GraphiQL, which sends the header with every request (its subscriptions are SSE GETs)', async () => {
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`"additionalHeaders":{"${CSRF_HEADER}":"graphiql"}`);
    expect(html).toContain('"subscriptionsProtocol":"SSE"');
  });
});
