import { describe, expect, it } from 'vitest';
import { configWarnings, loadConfig, MIN_AUTH_SECRET_LENGTH, redisTargetOf } from '../../src/config.js';
import { DEFAULT_SUBSCRIPTIONS_PER_CALLER } from '../../src/server/subscription-limit.js';
import { DEFAULT_SOCKETS_PER_CALLER } from '../../src/server/socket-limit.js';
import { configProblems } from '../support/config-problems.js';

/** A client-token secret long enough for loadConfig (MIN_AUTH_SECRET_LENGTH). */
const AUTH_SECRET = 'unit-test-auth-secret-0123456789abcdef';

describe('configuration', () => {
  it('runs in sandbox mode with nothing set: port 4000, in-process store, 2 s reconciliation', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, sandbox: true, reconcileIntervalMs: 2000, reconcileCallbackGraceMs: 30_000, listingShareMs: 5000 });
    expect(config.redisUrl).toBeUndefined();
  });

  it('switches to real providers when a provider URL is set, and then needs client auth', () => {
    expect(() => loadConfig({ INTERGIRO_URL: 'https://merchant.intergiro.com', INTERGIRO_API_KEY: 'k' })).toThrow(/AUTH_JWT_SECRET/);
    const config = loadConfig({ INTERGIRO_URL: 'https://merchant.intergiro.com/', INTERGIRO_API_KEY: 'k', AUTH_JWT_SECRET: AUTH_SECRET, REDIS_URL: 'redis://cache:6379' });
    expect(config.sandbox).toBe(false);
    expect(config.intergiro).toEqual({ url: 'https://merchant.intergiro.com', apiKey: 'k' });
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('names a Redis Cluster or a Sentinel-watched master instead of REDIS_URL, and how many replicas a write waits for', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: 'redis-1:6379, redis-2:6380,[::1]:7000', REDIS_WAIT_REPLICAS: '1' });
    expect(cluster.redisClusterNodes).toEqual([
      { host: 'redis-1', port: 6379 },
      { host: 'redis-2', port: 6380 },
      { host: '::1', port: 7000 },
    ]);
    expect(cluster).toMatchObject({ redisWaitReplicas: 1, redisWaitTimeoutMs: 1000 });
    expect(redisTargetOf(cluster)).toEqual({ clusterNodes: cluster.redisClusterNodes });
    const sentinel = loadConfig({ REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379', REDIS_SENTINEL_NAME: 'payments' });
    expect(redisTargetOf(sentinel)).toEqual({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26379 },
      ],
      sentinelName: 'payments',
    });
    expect(sentinel.redisWaitReplicas).toBe(0);
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://cache:6379' }))).toEqual({ url: 'redis://cache:6379' });
    expect(redisTargetOf(loadConfig({}))).toBeUndefined();
  });

  it('refuses every wrong Redis setting at once, each by name', () => {
    const problems = configProblems({
      REDIS_URL: 'redis://cache:6379',
      REDIS_CLUSTER_NODES: 'redis-1',
      REDIS_SENTINELS: 'sentinel-1:26379',
      REDIS_WAIT_REPLICAS: '-1',
    });
    expect(problems).toMatch(/REDIS_CLUSTER_NODES: comma-separated host:port/);
    expect(problems).toMatch(/REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS: set only one of them/);
    expect(problems).toMatch(/REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/);
    expect(problems).toMatch(/REDIS_WAIT_REPLICAS: /);
    expect(configProblems({ REDIS_SENTINEL_NAME: 'payments' })).toMatch(/REDIS_SENTINEL_NAME: only with REDIS_SENTINELS/);
    expect(configProblems({ REDIS_WAIT_REPLICAS: '1' })).toMatch(/REDIS_WAIT_REPLICAS: needs a Redis/);
    expect(configProblems({ REDIS_CLUSTER_NODES: 'redis-1:99999' })).toMatch(/REDIS_CLUSTER_NODES/);
    expect(configProblems({ REDIS_SENTINELS: ',', REDIS_SENTINEL_NAME: 'payments' })).toMatch(/REDIS_SENTINELS/);
  });

  it('reads credentials for the data nodes and, apart, for the sentinels', () => {
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: 'redis-1:6379', REDIS_USERNAME: 'gateway', REDIS_PASSWORD: 'data-pw' });
    expect(redisTargetOf(cluster)).toEqual({ clusterNodes: [{ host: 'redis-1', port: 6379 }], credentials: { username: 'gateway', password: 'data-pw' } });
    const sentinel = loadConfig({
      REDIS_SENTINELS: 'sentinel-1:26379',
      REDIS_SENTINEL_NAME: 'payments',
      REDIS_PASSWORD: 'data-pw',
      REDIS_SENTINEL_USERNAME: 'watcher',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    expect(redisTargetOf(sentinel)).toEqual({
      sentinels: [{ host: 'sentinel-1', port: 26379 }],
      sentinelName: 'payments',
      credentials: { password: 'data-pw' },
      sentinelCredentials: { username: 'watcher', password: 'sentinel-pw' },
    });
    // A password beside a URL without one: kept out of the URL (a secret store's variable).
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_PASSWORD: 'data-pw' }))).toEqual({
      url: 'redis://cache:6379',
      credentials: { password: 'data-pw' },
    });
    expect(redisTargetOf(loadConfig({ REDIS_URL: 'redis://:url-pw@cache:6379' }))).toEqual({ url: 'redis://:url-pw@cache:6379' });
  });

  it('refuses credentials that open nothing or compete, naming variables and never a value', () => {
    const secrets = ['data-pw', 'sentinel-pw', 'url-pw'];
    const problems = [
      configProblems({ REDIS_CLUSTER_NODES: 'redis-1:6379', REDIS_USERNAME: 'gateway' }),
      configProblems({ REDIS_SENTINELS: 'sentinel-1:26379', REDIS_SENTINEL_NAME: 'payments', REDIS_SENTINEL_USERNAME: 'watcher' }),
      configProblems({ REDIS_PASSWORD: 'data-pw' }),
      configProblems({ REDIS_CLUSTER_NODES: 'redis-1:6379', REDIS_SENTINEL_PASSWORD: 'sentinel-pw' }),
      configProblems({ REDIS_URL: 'redis://:url-pw@cache:6379', REDIS_PASSWORD: 'data-pw' }),
      configProblems({ REDIS_URL: 'redis://admin@cache:6379', REDIS_USERNAME: 'gateway', REDIS_PASSWORD: 'data-pw' }),
    ];
    expect(problems[0]).toMatch(/REDIS_PASSWORD is required with REDIS_USERNAME/);
    expect(problems[1]).toMatch(/REDIS_SENTINEL_PASSWORD is required with REDIS_SENTINEL_USERNAME/);
    expect(problems[2]).toMatch(/REDIS_PASSWORD: only with a Redis \(REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS\)/);
    expect(problems[3]).toMatch(/REDIS_SENTINEL_PASSWORD: only with REDIS_SENTINELS/);
    expect(problems[4]).toMatch(/REDIS_PASSWORD: REDIS_URL already carries credentials; give them in one place/);
    expect(problems[5]).toMatch(/REDIS_USERNAME, REDIS_PASSWORD: REDIS_URL already carries credentials/);
    for (const message of problems) for (const secret of [...secrets, 'cache:6379']) expect(message).not.toContain(secret);
  });

  it('names the variable that is wrong', () => {
    expect(configProblems({ PORT: 'eighty' })).toMatch(/PORT/);
    expect(configProblems({ REDIS_URL: 'http://not-redis' })).toMatch(/REDIS_URL/);
    expect(configProblems({ RECONCILE_INTERVAL_MS: '5' })).toMatch(/RECONCILE_INTERVAL_MS/);
    expect(configProblems({ RECONCILE_CALLBACK_GRACE_MS: '5' })).toMatch(/RECONCILE_CALLBACK_GRACE_MS/);
    expect(configProblems({ LISTING_SHARE_MS: '-1' })).toMatch(/LISTING_SHARE_MS/);
    expect(configProblems({ INTERGIRO_URL: 'https://x.example' })).toMatch(/INTERGIRO_API_KEY/);
    expect(configProblems({ PEI_URL: 'https://api.pei.is', PEI_CLIENT_ID: 'c' })).toMatch(/PEI_TOKEN_URL, PEI_CLIENT_SECRET, PEI_MERCHANT_ID, PEI_CHECKOUT_URL are required with PEI_URL/);
    expect(configProblems({ DINTERO_API_URL: 'https://api.dintero.com' })).toMatch(/DINTERO_CHECKOUT_URL.*DINTERO_CLIENT_SECRET are required with DINTERO_API_URL/);
    expect(configProblems({ PAYWAY_URL: 'https://backend.worldoftulo.com' })).toMatch(/PAYWAY_TOKEN, PAYWAY_WEBHOOK_SECRET are required with PAYWAY_URL/);
    expect(configProblems({ PAYWAY_URL: 'https://backend.worldoftulo.com', PAYWAY_TOKEN: 't' })).toMatch(/PAYWAY_WEBHOOK_SECRET is required with PAYWAY_URL/);
    expect(configProblems({ PEI_MERCHANT_ID: 'merchant-four' })).toMatch(/PEI_MERCHANT_ID/);
    expect(configProblems({ PAYWAY_URL: 'ftp://backend.worldoftulo.com', PAYWAY_TOKEN: 't' })).toMatch(/PAYWAY_URL/);
  });

  it('reads the token lifetime limit in seconds or with a unit, HOST, and the money fields per operation', () => {
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '12h' }).auth.maxTokenTtlSeconds).toBe(43_200);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '900' }).auth.maxTokenTtlSeconds).toBe(900);
    expect(loadConfig({}).auth.maxTokenTtlSeconds).toBeUndefined(); // the authenticator's 24 h
    expect(configProblems({ AUTH_MAX_TOKEN_TTL: 'forever' })).toMatch(/AUTH_MAX_TOKEN_TTL/);
    expect(configProblems({ AUTH_MAX_TOKEN_TTL: '30s' })).toMatch(/AUTH_MAX_TOKEN_TTL: at least 60 seconds/);
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).maxMoneyFields).toBe(20);
    expect(configProblems({ QUERY_MAX_MONEY_FIELDS: '0' })).toMatch(/QUERY_MAX_MONEY_FIELDS/);
  });

  it('warns of an AUTH_JWT_SECRET shorter than 32 characters (256 bits of HS256 key), without echoing it, and still starts', () => {
    const short = 'x'.repeat(MIN_AUTH_SECRET_LENGTH - 1);
    const config = loadConfig({ INTERGIRO_URL: 'https://merchant.intergiro.com', INTERGIRO_API_KEY: 'k', AUTH_JWT_SECRET: short });
    const warnings = configWarnings(config).join('\n');
    expect(warnings).toMatch(/AUTH_JWT_SECRET is shorter than 32 characters/);
    expect(warnings).not.toContain(short);
    expect(configWarnings(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(MIN_AUTH_SECRET_LENGTH) }))).toEqual([]);
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });

  it('warns of a JWKS without an audience and of an open /metrics outside sandbox mode, and not when they are set', () => {
    const real = { INTERGIRO_URL: 'https://merchant.intergiro.com', INTERGIRO_API_KEY: 'k' };
    const jwks = { ...real, AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json' };
    expect(configWarnings(loadConfig(jwks)).join('\n')).toMatch(/AUTH_JWKS_URL without AUTH_AUDIENCE[\s\S]*METRICS_TOKEN is not set/);
    expect(configWarnings(loadConfig({ ...jwks, AUTH_AUDIENCE: 'gateway', METRICS_TOKEN: 'scrape-token' }))).toEqual([]);
    // Sandbox mode: a dev gateway on loopback, its metrics open as documented.
    expect(configWarnings(loadConfig({}))).toEqual([]);
  });

  it('reads the open subscriptions per caller: 20,000 unless set, 0 for no bound', () => {
    expect(loadConfig({}).subscriptionsPerCaller).toBe(DEFAULT_SUBSCRIPTIONS_PER_CALLER);
    expect(loadConfig({ SUBSCRIPTIONS_PER_CALLER: '0' }).subscriptionsPerCaller).toBe(0);
    expect(configProblems({ SUBSCRIPTIONS_PER_CALLER: '-1' })).toMatch(/SUBSCRIPTIONS_PER_CALLER/);
  });

  it('reads the open sockets and SSE streams per caller: 50 unless set, 0 for no bound, apart from the subscriptions', () => {
    expect(DEFAULT_SOCKETS_PER_CALLER).toBe(50);
    expect(loadConfig({}).socketsPerCaller).toBe(DEFAULT_SOCKETS_PER_CALLER);
    expect(loadConfig({ SOCKETS_PER_CALLER: '500', SUBSCRIPTIONS_PER_CALLER: '7' })).toMatchObject({ socketsPerCaller: 500, subscriptionsPerCaller: 7 });
    expect(loadConfig({ SOCKETS_PER_CALLER: '0' }).socketsPerCaller).toBe(0);
    expect(configProblems({ SOCKETS_PER_CALLER: '-1' })).toMatch(/SOCKETS_PER_CALLER/);
  });

  it('reads how long a client may take to send a request: 30 s unless set, at least 1 s', () => {
    expect(loadConfig({}).requestTimeoutMs).toBe(30_000);
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(5000);
    expect(configProblems({ REQUEST_TIMEOUT_MS: '10' })).toMatch(/REQUEST_TIMEOUT_MS/);
  });

  it('builds one section per configured provider, and none in sandbox mode', () => {
    const config = loadConfig({
      AUTH_JWT_SECRET: AUTH_SECRET,
      PEI_URL: 'https://api.pei.is/',
      PEI_TOKEN_URL: 'https://auth.pei.is/core/connect/token',
      PEI_CLIENT_ID: 'client',
      PEI_CLIENT_SECRET: 'secret',
      PEI_MERCHANT_ID: '4',
      PEI_CHECKOUT_URL: 'https://gattin.pei.is/',
      INTERSHOP_URL: 'https://shop.example/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/',
      DINTERO_API_URL: 'https://api.dintero.com',
      DINTERO_CHECKOUT_URL: 'https://checkout.dintero.com',
      DINTERO_ACCOUNT_ID: 'T11223344',
      DINTERO_CLIENT_ID: 'id',
      DINTERO_CLIENT_SECRET: 'secret',
      PAYWAY_URL: 'https://backend.worldoftulo.com',
      PAYWAY_TOKEN: 'identity-token',
      PAYWAY_WEBHOOK_SECRET: 'hook-secret',
    });
    expect(config.sandbox).toBe(false);
    expect(config.intergiro).toBeUndefined();
    expect(config.pei).toEqual({
      url: 'https://api.pei.is',
      tokenUrl: 'https://auth.pei.is/core/connect/token',
      clientId: 'client',
      clientSecret: 'secret',
      merchantId: '4',
      checkoutUrl: 'https://gattin.pei.is',
    });
    expect(config.intershop).toEqual({ url: 'https://shop.example/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-' });
    expect(config.dintero).toEqual({
      apiUrl: 'https://api.dintero.com',
      checkoutUrl: 'https://checkout.dintero.com',
      accountId: 'T11223344',
      clientId: 'id',
      clientSecret: 'secret',
    });
    expect(config.payway).toEqual({ url: 'https://backend.worldoftulo.com', token: 'identity-token', webhookSecret: 'hook-secret' });

    const sandbox = loadConfig({ SANDBOX: '1', PAYWAY_URL: 'https://backend.worldoftulo.com', PAYWAY_WEBHOOK_SECRET: 'hook-secret' });
    expect(sandbox.payway).toBeUndefined();
    expect(sandbox.sandboxSecrets).toEqual({ paywayWebhookSecret: 'hook-secret' });
  });
});
