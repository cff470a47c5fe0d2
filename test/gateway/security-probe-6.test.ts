/**
 * An outside tester's sixth pass (after security-probe-5.test.ts): a black box with a client token
 * or none, over real HTTP, starting with the work an anonymous caller can make the gateway do.
 * Every test of a finding fails without its fix; the "held" tests pin what was probed and found
 * defended.
 *
 * Findings:
 *
 * 1. A forged Payway event costs the event loop up to ~1 s (medium; src/providers/payway/
 *    event-verification-cost.ts, used by event-encoding.ts and event-json-spellings.ts).
 *    `/webhooks/payway` is open to anyone, and an event is known to be forged only after every
 *    proof it may carry was tried: each signature's HMAC over the body as sent and over each other
 *    JSON spelling of it (a dozen texts, each rewritten character by character and parsed again).
 *    The body may come compressed and was undone up to 1 MiB: a 1.7 KB gzip body of `&<>='/å`
 *    with forged signature headers held the event loop 0.6-1 s before its 401 (a 256 KiB body,
 *    plain or as a 500-byte gzip, 0.15-0.4 s), no token and no rate limit (webhooks are not
 *    counted), so a few such requests a second stalled every caller of the gateway. Now a compressed event is undone only up to the
 *    route's own 256 KiB, and other spellings are looked for only in a body of at most 64 KiB
 *    (a Payway event is ~400 bytes; fifty in a batch with 1024-character references fit); a larger
 *    body is still verified as sent. A forged event costs a few milliseconds.
 * 2. A Pei postback that stalls the event loop for minutes (high; src/providers/pei/
 *    postback-shape.ts). `/webhooks/pei` is open to anyone (a postback is parsed before anything
 *    else is done with it), and its `purchaseId` was checked with `/^\s*\d{0,19}\s*$/`,
 *    which backtracks in time quadratic in a run of blanks that does not end the text: one
 *    anonymous postback with 40,000 spaces and a letter (40 KB) held the event loop ~4 s of CPU,
 *    a 256 KiB one (JSON, or a form of `+`) minutes, stalling every caller. Now the value is trimmed and
 *    matched against `^\d{0,19}$` (linear; the same values pass). Found by running every regular
 *    expression in src/ against long runs of blanks, digits, letters and punctuation: the others
 *    that backtrack so are not reached by an anonymous caller (a Host header is bounded first, a
 *    header value holds no line break, the rest read provider answers or configuration).
 *
 * Probed and held (see the "held" tests, and the report): a genuine event signed over another
 * spelling than posted, and a compressed one (200); HTTP request smuggling shapes (both
 * Content-Length and Transfer-Encoding, two Content-Lengths, obsolete line folding: 400 from
 * Node's strict parser, nothing routed); `__proto__` / `constructor` keys in GraphQL variables,
 * in a JSON webhook body and in a form-encoded Payway event (`a[__proto__][x]=1`) pollute
 * nothing; CORS preflights from any Origin never allow credentials.
 *
 * Probed and not fixed (README "Known limitations"): with neither INTERGIRO_CALLBACK_SECRET nor
 * INTERGIRO_CALLBACK_JWKS_URL, every callback (forged, or no JWT at all) costs a call to
 * Intergiro's verify endpoint with the merchant's key, unthrottled (the contract's third way;
 * test/providers/intergiro.test.ts pins that every body is asked about). Left (low, as before):
 * a valid token of any scope can still take the 150 verified metric-name slots.
 */

import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { paywaySignature } from '../../src/providers/payway/webhook.js';
import { startTestEnvironment, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';

/** One raw HTTP/1.1 exchange, so a request can be shaped as a smuggler would. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(answer) : reject(error)));
    socket.end(request);
  });
}

const statusesOf = (answer: string): number[] => [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));

/** An event naming a purchase no gateway placed: a genuine one is acknowledged and changes nothing. */
const eventNamingNoPurchase = (reference: string) => JSON.stringify({ event: 'order_closed', timestamp: new Date().toISOString(), payload: { order: { id: 'po-probe6', merchant_reference: reference, status: 'closed' } } });

/** Every digest and a signing time per header: each a separate HMAC of every spelling of the body. */
function forgedSignatureHeaders(): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  const forged = (bytes: number) => 'ab'.repeat(bytes);
  return Object.fromEntries(
    ['x-payway-signature', 'x-signature', 'x-webhook-signature', 'signature'].map((name, i) => [
      name,
      `t=${now + i},v1=sha1=${forged(20)},v1=sha256=${forged(32)},v1=sha512=${forged(64)}`,
    ]),
  );
}

describe('security probe 6, finding 1: a forged Payway event costs little before its 401', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let secret: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    secret = env.sandboxes.payway.config.webhookSecret!;
  });
  afterAll(() => env.close());

  /**
   * The least CPU time (this process': the gateway runs in it) of three answers to `send`: unlike
   * the wall-clock time, not stretched by other work on a busy machine.
   */
  async function quickest(send: () => Promise<Response>, status: number): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = process.cpuUsage();
      const response = await send();
      await response.arrayBuffer();
      const spent = process.cpuUsage(before);
      times.push((spent.user + spent.system) / 1000);
      expect(response.status).toBe(status);
    }
    return Math.min(...times);
  }

  it('a 2 KB gzip body that undoes to 1 MiB of escapable characters: refused at once, not verified for ~0.6 s', async () => {
    const text = eventNamingNoPurchase('&<>=\'/å'.repeat(130_000));
    const body = gzipSync(text);
    expect(body.length).toBeLessThan(4096); // the premise: a tiny request
    const ms = await quickest(
      () => fetch(`${gateway.url}/webhooks/payway`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...forgedSignatureHeaders() }, body }),
      400, // over what an uncompressed event may be: not undone (before: undone, then 401 after ~0.6 s)
    );
    expect(ms).toBeLessThan(100);
  });

  it('a forged event of 256 KiB (compressed or not) is refused within a few milliseconds, not after a dozen rewrites of it', async () => {
    const text = eventNamingNoPurchase('&<>=\'/å'.repeat(32_000));
    expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024);
    const headers = { 'content-type': 'application/json', ...forgedSignatureHeaders() };
    const plain = await quickest(() => fetch(`${gateway.url}/webhooks/payway`, { method: 'POST', headers, body: text }), 401);
    const gzip = gzipSync(text);
    const compressed = await quickest(() => fetch(`${gateway.url}/webhooks/payway`, { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: gzip }), 401);
    // Before: 150-400 ms each (the spellings' rewrites and parses), the compressed one from 500 bytes.
    expect(plain).toBeLessThan(60);
    expect(compressed).toBeLessThan(60);
  });

  it('held: a genuine event signed over another JSON spelling than posted, and a compressed one, are still believed', async () => {
    const reference = 'https://shop.example/article?utm_source=facebook&utm_medium=cpc';
    const posted = eventNamingNoPurchase(reference);
    // Signed as ActiveSupport writes it (`&` as \u0026), posted as JSON.generate writes it.
    const signed = posted.replace(/&/g, '\\u0026');
    expect(JSON.parse(signed)).toEqual(JSON.parse(posted));
    const timestamp = String(Math.floor(Date.now() / 1000));
    const respelled = await fetch(`${gateway.url}/webhooks/payway`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payway-timestamp': timestamp, 'x-payway-signature': paywaySignature(secret, timestamp, signed) },
      body: posted,
    });
    expect(respelled.status).toBe(200);
    const compressed = await fetch(`${gateway.url}/webhooks/payway`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-payway-timestamp': timestamp, 'x-payway-signature': paywaySignature(secret, timestamp, posted) },
      body: gzipSync(posted),
    });
    expect(compressed.status).toBe(200);
    // A forged signature over the same body stays 401.
    const forged = await fetch(`${gateway.url}/webhooks/payway`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payway-timestamp': timestamp, 'x-payway-signature': `sha256=${createHmac('sha256', 'not-the-secret').update(`${timestamp}.${posted}`).digest('hex')}` },
      body: posted,
    });
    expect(forged.status).toBe(401);
  });
});

describe('security probe 6, finding 2: a Pei postback with a long run of blanks is refused at once', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it('answers a 40,000-blank purchaseId (JSON and form) in milliseconds, not after seconds of backtracking', async () => {
    const posts = [
      { type: 'application/json', body: JSON.stringify({ orderId: 'probe6-blanks', purchaseId: `${' '.repeat(40_000)}x` }) },
      { type: 'application/x-www-form-urlencoded', body: `OrderId=probe6-blanks-form&PurchaseId=${'+'.repeat(40_000)}x` },
    ];
    for (const { type, body } of posts) {
      const before = process.cpuUsage(); // this process' CPU time: the gateway runs in it
      const response = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': type }, body });
      await response.arrayBuffer();
      const spent = process.cpuUsage(before);
      // Refused either way: 400 as no postback, or (since round twenty-six reads text without a
      // digit in a purchase id's place as no purchase) 401 as a postback naming no order it knows.
      expect([400, 401]).toContain(response.status);
      // Before: seconds of CPU each (quadratic in the blanks; 256 KiB: minutes).
      expect((spent.user + spent.system) / 1000).toBeLessThan(200);
    }
  });

  it('held: a purchase id padded with blanks, or as a number, is still read', async () => {
    // Naming an order the gateway does not know: read at Pei (unknown there too), so 401 and not 400.
    for (const purchaseId of ['  966127  ', 966127, '\t1234567890123456789']) {
      const response = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: `probe6-padded-${String(purchaseId).trim()}`, purchaseId }) });
      await response.arrayBuffer();
      expect(response.status).not.toBe(400);
    }
  });
});

describe('security probe 6, held: HTTP shapes, odd keys, CORS', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let port: number;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ rateLimitPerMinute: 0 });
    port = Number(new URL(gateway.url).port);
  });
  afterAll(() => env.close());

  it('held: request smuggling shapes are 400 from the parser, and nothing after them is routed', async () => {
    const smuggled = 'GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: localhost\r\nx-graphql-yoga-csrf: 1\r\n\r\n';
    const shapes = [
      `POST /webhooks/payway HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      `POST /webhooks/payway HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`,
      `POST /webhooks/payway HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n identity\r\n\r\n0\r\n\r\n${smuggled}`,
    ];
    for (const shape of shapes) {
      const answer = await rawRequest(port, shape);
      expect(statusesOf(answer)).toEqual([400]);
    }
  });

  it('held: __proto__ and constructor keys in variables and webhook bodies pollute nothing', async () => {
    const answer = await gql(gateway.url, 'query Probe6($id: ID!) { order(id: $id) { id } }', JSON.parse('{"id":"ord_x","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}') as Record<string, unknown>);
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    for (const [type, body] of [
      ['application/json', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"event":"order_closed"}'],
      ['application/x-www-form-urlencoded', 'event=order_closed&a[__proto__][polluted]=1&constructor[prototype][polluted]=1&__proto__[polluted]=1'],
    ] as const) {
      for (const route of ['payway', 'pei', 'dintero', 'intergiro']) {
        const response = await fetch(`${gateway.url}/webhooks/${route}`, { method: 'POST', headers: { 'content-type': type }, body });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('held: a preflight from any Origin is never granted credentials', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    await response.arrayBuffer();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
