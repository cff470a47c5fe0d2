import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import { signClientToken } from '../../src/server/auth.js';
import { createRateLimiter } from '../../src/server/rate-limit.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { AUTH_SECRET, STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, subscribe } from '../support/graphql.js';
import { intergiroOrderCount } from '../support/intergiro.js';
import { awayFromWindowEdge } from '../support/rate-window.js';

const LIMIT = 4;
const CREATE = 'mutation { createOrder(input: {provider: INTERGIRO, currency: "EUR", amount: "2.00", intergiro: {paymentType: LINK}}) { id } }';
const READ = '{ order(id: "ord_none") { id } }';

describe.each(STORE_KINDS)('KeyValueStore.increment (%s store)', (kind) => {
  let env: TestEnvironment;
  let store: Store;
  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    store = env.newStore();
  });
  afterAll(() => env.close());

  it('counts atomically under concurrency and starts again after its TTL', async () => {
    const counts = await Promise.all(Array.from({ length: 40 }, () => store.kv.increment('hostile:counter', 300)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // The TTL is set by the first increment and kept by later ones: the counter ends.
    await eventually(async () => (await store.kv.get('hostile:counter')) === null, 3000);
    expect(await store.kv.increment('hostile:counter', 300)).toBe(1);
  });
});

describe('the rate limiter on its own (fixed window, a clock of its own)', () => {
  it('allows the budget per window, tells Retry-After to the window end, and starts again next window', async () => {
    let now = 1_000_000 * 60_000 + 15_000; // 15 s into a window
    const kv = createMemoryStore({ now: () => now }).kv;
    const limiter = createRateLimiter({ kv, authenticator: { authenticate: () => Promise.reject(new Error('x')) }, logger: silentLogger, perMinute: 2, now: () => now });
    expect(await limiter.take('b')).toEqual({ allowed: true });
    expect(await limiter.take('b')).toEqual({ allowed: true });
    expect(await limiter.take('b')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await limiter.take('other')).toEqual({ allowed: true });
    now += 45_000; // the next window
    expect(await limiter.take('b')).toEqual({ allowed: true });
  });

  it('puts a token that does not verify into the address bucket, never the bucket its sub names', async () => {
    const authenticate = async (authorization: string | null | undefined) => {
      if (authorization === 'Bearer good') return { sub: 'alice', scopes: new Set<string>() };
      throw new Error('bad token');
    };
    const limiter = createRateLimiter({ kv: createMemoryStore().kv, authenticator: { authenticate }, logger: silentLogger, perMinute: 1 });
    const forged = await limiter.bucketOf('Bearer forged-for-alice', '10.0.0.1');
    expect(forged).toBe(await limiter.bucketOf(undefined, '10.0.0.1'));
    expect(forged).not.toBe(await limiter.bucketOf('Bearer forged-for-alice', '10.0.0.2'));
    expect(forged).toMatch(/^ip:/);
  });
});

describe.each(STORE_KINDS)('a per-caller rate limit (%s store)', (kind) => {
  let env: TestEnvironment;
  let first: Gateway;
  let second: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // Two instances on one store (with Redis, one redis-server): they share each caller's budget.
    first = await env.startGateway({ rateLimitPerMinute: LIMIT });
    second = await env.startGateway({ rateLimitPerMinute: LIMIT });
  });
  afterAll(() => env.close());
  beforeEach(awayFromWindowEdge, 15_000);

  it('answers 429 with Retry-After and RATE_LIMITED once the budget is spent, across instances, and executes nothing', async () => {
    const shop = await tokenFor('orders:create', `rl-shop-${kind}`);
    const before = await intergiroOrderCount(env.intergiro);
    for (const gateway of [first, second, first, second]) {
      const allowed = await gql(gateway.url, CREATE, {}, shop);
      expect(allowed.status).toBe(200);
      expect(allowed.errors).toBeUndefined();
    }
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + LIMIT);

    const response = await fetch(`${second.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: CREATE }),
    });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(61);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0]?.message).toMatch(/Rate limit/);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + LIMIT);

    // Another caller has a budget of its own.
    const other = await tokenFor('orders:create', `rl-other-${kind}`);
    expect((await gql(first.url, READ, {}, other)).status).toBe(200);
  });

  it("does not let a forged token spend the budget of the sub it names (it counts by address)", async () => {
    const victim = `rl-victim-${kind}`;
    const forged = await signClientToken('not-the-gateway-secret-000000000', { sub: victim, scope: 'orders:create' });
    const spentByForger: number[] = [];
    for (let i = 0; i <= LIMIT; i++) spentByForger.push((await gql(first.url, READ, {}, forged)).status);
    // The forged token is refused (401) until the address bucket is spent (429)...
    expect(spentByForger).toEqual([401, 401, 401, 401, 429]);
    // ...and the address bucket is not anyone's token bucket: the victim still has its whole budget.
    const real = await tokenFor('orders:create', victim);
    for (let i = 0; i < LIMIT; i++) expect((await gql(second.url, READ, {}, real)).status).toBe(200);
    expect((await gql(second.url, READ, {}, real)).status).toBe(429);
  });

  it('counts anonymous callers by the address the trusted proxy saw, and ignores X-Forwarded-For without one', async () => {
    const anonymous = async (url: string, forwardedFor: string): Promise<number> =>
      (await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ query: READ }),
      })).status;
    const behindProxy = await env.startGateway({ rateLimitPerMinute: LIMIT, trustedProxies: 1 });
    // The client wrote the first entry itself; the proxy appended the address it saw.
    const spent = [];
    for (let i = 0; i <= LIMIT; i++) spent.push(await anonymous(behindProxy.url, `10.0.0.${i}, 198.51.100.7`));
    expect(spent.at(-1)).toBe(429);
    expect(await anonymous(behindProxy.url, '10.0.0.1, 198.51.100.8')).not.toBe(429);

    // An IPv6 client is its /64 (one host's network, whose addresses it picks at will).
    const sixes = [];
    for (let i = 0; i <= LIMIT; i++) sixes.push(await anonymous(behindProxy.url, `2001:db8:7:9:${i.toString(16)}::${i + 1}`));
    expect(sixes.at(-1)).toBe(429);
    expect(await anonymous(behindProxy.url, '2001:db8:7:a::1')).not.toBe(429);

    // Without trusted proxies the header is anyone's to write: every value is the socket's bucket.
    const direct = [];
    for (let i = 0; i <= LIMIT; i++) direct.push(await anonymous(first.url, `203.0.113.${i}`));
    expect(direct.at(-1)).toBe(429);
  });

  it('counts graphql-ws subscriptions too: one over budget gets RATE_LIMITED, the socket stays', async () => {
    const watcher = await tokenFor('orders:read', `rl-watcher-${kind}`);
    const subscriptions = Array.from({ length: LIMIT + 1 }, () => subscribe(first.url, watcher, 'subscription { orderUpdates { eventId } }'));
    // Exactly one of them (the last to be counted) is refused; the others stay open.
    await eventually(async () => subscriptions.filter((s) => s.errors.length > 0).length === 1);
    const refused = subscriptions.find((s) => s.errors.length > 0)!;
    expect(JSON.stringify(refused.errors)).toContain('RATE_LIMITED');
    expect(JSON.stringify(refused.errors)).not.toMatch(/4401|4403|close/i);
    await Promise.all(subscriptions.map((s) => s.dispose()));
  });

  it('never limits webhooks or health checks (providers retry; probes must see the truth)', async () => {
    for (let i = 0; i < LIMIT * 2; i++) {
      expect((await fetch(`${first.url}/health/live`)).status).toBe(200);
      const webhook = await fetch(`${first.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(webhook.status).not.toBe(429);
    }
  });
});

describe('a rate limit whose store fails', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const store = createMemoryStore();
    const broken: Store = { ...store, kv: { ...store.kv, increment: () => Promise.reject(new Error('store unavailable')) } };
    gateway = await startGateway(
      { port: 0, auth: { jwtSecret: AUTH_SECRET }, sandbox: false, sandboxSecrets: {}, reconcileIntervalMs: 60_000, providerTimeoutMs: 1500, rateLimitPerMinute: 1 },
      { logger: silentLogger, store: broken, shutdownGraceMs: 200, pollerDisabled: true },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await env.close();
  });

  it('lets requests through (fails open) instead of refusing everyone', async () => {
    const shop = await tokenFor('orders:create', 'rl-open');
    for (let i = 0; i < 3; i++) expect((await gql(gateway.url, READ, {}, shop)).status).toBe(200);
  });
});
