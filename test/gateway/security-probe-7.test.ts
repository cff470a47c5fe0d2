/**
 * An outside tester's seventh pass (after security-probe-6.test.ts): a black box with a client
 * token or none, over real HTTP and real WebSockets, on tokens and keys a tester crafts, leaks
 * into logs, slow and many connections, and the low leftovers of probes five and six. Every test
 * of a finding fails without its fix; the "held" tests pin what was probed and found defended.
 *
 * Findings:
 *
 * 1. Forged Intergiro callbacks had as many verify calls in flight as the sender had connections
 *    (low-medium; src/providers/intergiro/verify-calls-in-flight.ts, used by webhook.ts;
 *    src/server/webhooks.ts answers its refusal; src/domain/errors.ts `retryAfterMs`). With neither
 *    INTERGIRO_CALLBACK_SECRET nor INTERGIRO_CALLBACK_JWKS_URL (CONTRACT §5's third way) a callback
 *    is judged by asking Intergiro's verify endpoint with the merchant's API key, and
 *    `/webhooks/intergiro` is open to anyone and not rate limited: 60 concurrent forged posts were
 *    60 calls at once on the merchant's key (and the same token posted 20 times at once, 20 calls).
 *    An attacker spends the merchant's Intergiro request budget and connections as fast as it can
 *    open sockets. Now the same token posted while it is being asked about shares one call, and at
 *    most 32 distinct tokens are asked about at once per instance; one more is answered 503 with
 *    `Retry-After: 1` before any call (a genuine Intergiro retries what is not 2xx). Every token let
 *    in is still asked about (test/providers/intergiro.test.ts pins that, garbage included).
 *
 * 2. One valid token took every metric label kept for verified callers (low; left by probes five
 *    and six; src/observability/operation-name-slots.ts, used by metrics.ts and
 *    use-operation-metrics.ts). Of the 200 operation-name labels, 150 are for names sent with a
 *    verified token, first come first served: one browser token (`orders:create`, which a shop
 *    hands to every visitor) sending `query Junk0` ... `Junk149` made every later name, the back
 *    office's refunds included, count as `other`. Now one browser-grade `sub` (no scope beyond
 *    `orders:create`) introduces at most 25 names, and browser-grade tokens together at most 50:
 *    100 slots stay for server tokens (not capped per sub: a back office's one service account
 *    may send many names). Names already held keep their label for anyone; the labels' format is
 *    unchanged.
 *
 * Probed and held (see the "held" tests): client tokens with `x5c` / `jwk` carrying the signer's
 * own key, `kid` as a path, a URL or 10 KB long (a token signed with that text as its secret),
 * a nested JWT (`cty: JWT`), `exp` as a string or 1e300 (UNAUTHENTICATED; `kid` chooses no key:
 * a token signed with the gateway's secret passes whatever its `kid`; `crit: ["b64"]` with
 * `b64: true` is an ordinary JWS jose understands, and passes when signed with the secret); a 100 KB bearer token (431 from Node's header limit, nothing parsed); an Intergiro callback
 * signed HS256 where only a JWKS is configured (no key confusion: "not accepted"); CR/LF and ANSI
 * escapes in an operation name and a webhook body (one JSON line each, control characters
 * escaped); `?token=` / `?access_token=` on SSE (not read: UNAUTHENTICATED) and never in the
 * logs; graphql-ws with no `connection_init` (closed 4408 after 3 s), one operation id subscribed
 * twice (4409), a ping flood (one pong each, the socket stays usable). Read in the code: every
 * webhook secret, signature and `/metrics` token is compared with sameSecret (timing-safe).
 *
 * Probed and not fixed (README "Known limitations"): forged Intergiro callbacks still each cost a
 * verify call when neither key is configured (bounded in flight now, not in rate; a genuine one
 * arriving during a flood is 503 and relies on Intergiro's retry or reconciliation); many `sub`s
 * with server scopes can still fill the metric-name slots; connections per address (probe 5).
 */
import { CompactSign, exportJWK, generateKeyPair, SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { AUTH_SECRET, eventually, INTERGIRO_API_KEY, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { sample, scrape } from '../support/metrics.js';
import { postIntergiroCallback } from '../support/intergiro.js';
import { postPeiPostback } from '../support/pei.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

describe('security probe 7, finding 1: forged Intergiro callbacks checked at the verify endpoint', () => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  let gateway: Gateway;
  const verifyCalls = () => proxy.requests.filter((request) => request.method === 'POST' && request.path.includes('/order/verify'));

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    proxy = await startRecordingProxy(env.intergiro.url);
    // Neither a callback secret nor a JWKS: every callback is asked about at Intergiro.
    // Verify answers are held back below: the calls must not time out meanwhile.
    gateway = await env.startGateway({ intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY }, reconcileIntervalMs: 600_000, providerTimeoutMs: 30_000 });
  });
  afterAll(async () => {
    await env?.close();
    await proxy?.close();
  });

  /** Holds Intergiro's verify answers until `release` is called: the calls stay in flight. */
  function holdVerifyAnswers(): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    proxy.beforeAnswer = async (request) => {
      if (request.path.includes('/order/verify')) await released;
    };
    return () => {
      release();
      proxy.beforeAnswer = null;
    };
  }

  it('asks about at most 32 forged tokens at once and answers the rest 503 with Retry-After, before any call', async () => {
    const release = holdVerifyAnswers();
    const before = verifyCalls().length;
    let answered = 0;
    const posts = Array.from({ length: 60 }, (_, i) => {
      const forged = `eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImZvcmdlZC0${i}In0.forged${i}`;
      return fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: forged }).then((answer) => {
        answered += 1;
        return answer;
      });
    });
    try {
      // The refused ones are answered at once, while the admitted ones still wait for Intergiro
      // (without the bound, none is answered until Intergiro answers).
      await eventually(async () => answered >= 28 && verifyCalls().length - before >= 32, 15_000).catch(() => undefined);
      expect(verifyCalls().length - before).toBeLessThanOrEqual(32);
      expect(answered).toBe(28);
    } finally {
      release();
    }
    const answers = await Promise.all(posts);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(32);
    expect(statuses.filter((status) => status === 503)).toHaveLength(28);
    for (const answer of answers.filter((answer) => answer.status === 503)) expect(answer.headers.get('retry-after')).toBe('1');
    expect(verifyCalls().length - before).toBe(32);

    // The bound is on calls in flight, not a budget: once they are answered, a callback is asked about again.
    const later = await postIntergiroCallback(gateway.url, 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImxhdGVyIn0.later');
    expect(later.status).toBe(401);
    expect(verifyCalls().length - before).toBe(33);
  });

  it('asks once about a token posted 20 times at once', async () => {
    const release = holdVerifyAnswers();
    const before = verifyCalls().length;
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InJlcGxheWVkIn0.replayed';
    const posts = Array.from({ length: 20 }, () => postIntergiroCallback(gateway.url, token));
    await eventually(async () => verifyCalls().length > before, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the other 19 arrive while that call is held
    release();
    const answers = await Promise.all(posts);
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
    expect(verifyCalls().length - before).toBeLessThanOrEqual(2); // the first path, and the seed's other spelling if that one is not there
    expect(new Set(verifyCalls().slice(before).map((request) => request.body))).toEqual(new Set([token]));
  });
});

describe('security probe 7, finding 2: one valid token cannot take the verified metric labels', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ rateLimitPerMinute: 0 });
  });
  afterAll(() => env?.close());

  it("keeps labelling a back office's operations after a browser token and many browser subs sent 100 made-up names", async () => {
    const browser = await tokenFor('orders:create', 'probe7-metrics-browser');
    for (let i = 0; i < 40; i += 1) await gql(gateway.url, `query Junk${i} { __typename }`, {}, browser);
    // Visitors of a shop each get a browser token of their own `sub`.
    for (let i = 0; i < 60; i += 1) await gql(gateway.url, `query Visitor${i} { __typename }`, {}, await tokenFor('orders:create', `probe7-visitor-${i}`));
    const backOffice = await tokenFor('orders:read orders:manage', 'probe7-metrics-back-office');
    await gqlOk(gateway.url, 'query BackOfficeOrder { order(id: "ord_probe7") { id } }', {}, backOffice);
    // A server token's one service account is not capped per sub: a back office may send many names.
    for (let i = 0; i < 30; i += 1) await gqlOk(gateway.url, `query BackOffice${i} { order(id: "ord_probe7") { id } }`, {}, backOffice);

    const text = await scrape(gateway);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'BackOfficeOrder', outcome: 'success' })).toBe(1);
    // One sub introduces at most 25 names, browser tokens together at most 50.
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Junk24' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Junk25' })).toBeUndefined();
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Visitor24' })).toBe(1);
    expect(sample(text, 'gateway_graphql_operations_total', { name: 'Visitor25' })).toBeUndefined();
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'other', outcome: 'success' })).toBe(50);
    expect(sample(text, 'gateway_graphql_operations_total', { type: 'query', name: 'BackOffice29', outcome: 'success' })).toBe(1);
  }, 60_000);
});

describe('security probe 7, held: tokens a tester crafts', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  const secret = new TextEncoder().encode(AUTH_SECRET);
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env?.close());

  const ordersQuery = '{ order(id: "ord_probe7") { id } }';
  const codeOf = async (token: string) => (await gql(gateway.url, ordersQuery, {}, token)).errors?.[0]?.extensions?.code;

  /** A token signed with the gateway's own secret, with this header and these claims. */
  const signed = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
    new SignJWT({ scope: 'orders:read', ...claims }).setProtectedHeader({ alg: 'HS256', ...header }).setSubject('probe7').sign(secret);

  it('a kid as a path, a URL or 10 KB chooses no key: the secret decides', async () => {
    const claims = { iat: now(), exp: now() + 600 };
    for (const kid of ['../../../../etc/passwd', 'https://evil.example/key', 'k'.repeat(10_000)]) {
      expect(await codeOf(await signed({ kid }, claims))).toBeUndefined();
      const forged = await new SignJWT({ scope: 'orders:read', ...claims }).setProtectedHeader({ alg: 'HS256', kid }).setSubject('probe7').sign(new TextEncoder().encode(kid));
      expect(await codeOf(forged)).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses odd claims and headers: exp as a string or 1e300, a nested JWT, a key the token carries', async () => {
    expect(await codeOf(await signed({}, { iat: now(), exp: String(now() + 600) }))).toBe('UNAUTHENTICATED');
    expect(await codeOf(await signed({}, { exp: 1e300 }))).toBe('UNAUTHENTICATED');
    // A nested JWT: the outer one signed by the gateway's secret carries no claims of its own.
    const inner = await signed({}, { iat: now(), exp: now() + 600 });

    const nested = await new CompactSign(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'HS256', cty: 'JWT' }).sign(secret);
    expect(await codeOf(nested)).toBe('UNAUTHENTICATED');
    // A self-signed RS256 token carrying its own key (x5c / jwk): no such key is trusted.
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    const selfSigned = await new SignJWT({ scope: 'orders:read orders:manage', exp: now() + 600 }).setProtectedHeader({ alg: 'RS256', jwk, x5c: ['MIIB'] }).setSubject('probe7').sign(privateKey);
    expect(await codeOf(selfSigned)).toBe('UNAUTHENTICATED');
  });

  it('a 100 KB bearer token is refused by the header limit (431), nothing parsed', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(100_000)}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(431);
  });

  it('a token in ?token= or ?access_token= on an SSE subscription is not read', async () => {
    const token = await tokenFor('orders:create', 'probe7-sse');
    for (const name of ['token', 'access_token']) {
      const query = encodeURIComponent('subscription { orderStatusChanged(orderId: "ord_x") { status } }');
      const response = await fetch(`${gateway.url}/graphql?query=${query}&${name}=${token}`, { headers: { accept: 'text/event-stream', 'x-graphql-yoga-csrf': '1' } });
      const text = await response.text();
      expect(text).toContain('UNAUTHENTICATED');
    }
  });
});

describe('security probe 7, held: graphql-ws sockets that misbehave', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env?.close());

  const open = () => new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const closeOf = (socket: WebSocket) => new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

  it('closes a socket that never sends connection_init (4408)', async () => {
    const socket = open();
    const started = Date.now();
    expect(await closeOf(socket)).toBe(4408);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a ping flood one pong each and closes on a second subscribe of one id (4409)', async () => {
    const token = await tokenFor('orders:create', 'probe7-ws');
    const socket = open();
    const closed = closeOf(socket);
    const messages: { type: string }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 2000; i += 1) socket.send(JSON.stringify({ type: 'ping' }));
    const pongs = () => messages.filter((message) => message.type === 'pong').length;
    for (let waited = 0; pongs() < 2000 && waited < 5000; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(pongs()).toBe(2000);
    const subscribe = { id: 'same', type: 'subscribe', payload: { query: 'subscription { orderStatusChanged(orderId: "ord_probe7") { status } }' } };
    socket.send(JSON.stringify(subscribe));
    socket.send(JSON.stringify(subscribe));
    expect(await closed).toBe(4409);
  });
});

describe('security probe 7, held: an Intergiro callback signed HS256 with the JWKS key text', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { intergiro: { signing: { alg: 'RS256' } } });
    gateway = await env.startGateway({ intergiro: { url: env.intergiro.url, apiKey: INTERGIRO_API_KEY, callbackJwksUrl: env.intergiro.jwksUrl! } });
  });
  afterAll(() => env?.close());

  it('is refused (401): with a JWKS configured only RS256 is verified', async () => {
    const jwksText = await (await fetch(env.intergiro.jwksUrl!)).text();
    const keyText = JSON.stringify((JSON.parse(jwksText) as { keys: unknown[] }).keys[0]);
    for (const secretText of [jwksText, keyText]) {
      const confused = await new SignJWT({ id: 'probe7-order', status: 'charged' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secretText));
      expect((await postIntergiroCallback(gateway.url, confused)).status).toBe(401);
    }
  });
});

describe('security probe 7, held: what reaches the logs', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  const lines: string[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({}, { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) });
  });
  afterAll(() => env?.close());

  it('CR/LF and ANSI escapes stay escaped inside one JSON line; a token in the query string is never logged', async () => {
    const token = await tokenFor('orders:create', 'probe7-logs');
    const evil = 'x\r\n{"level":"error","message":"forged"}\u001b[31mred\u001b[0m';
    await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query A { __typename }', operationName: evil }) });
    await fetch(`${gateway.url}/graphql?access_token=${token}&token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    await postPeiPostback(gateway.url, { orderId: evil, purchaseId: '1' });
    await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 400, type: evil, id: evil }) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const raw of ['\r', '\n', '\u001b']) expect(line).not.toContain(raw);
      expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(line).not.toContain(token);
    }
  });
});
