import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_PERFORMANCE, providerSecrets, redisTargetOf, type Config, type ProviderConfigs } from './config.js';
import { OrderService } from './domain/orders/service.js';
import { WebhookHintThrottle } from './domain/refresh-lease.js';
import { createLogger, type Logger } from './log.js';
import { createAdapters } from './providers/adapters.js';
import { configureProviderResilience, DEFAULT_PROVIDER_RESILIENCE } from './providers/resilience/settings.js';
import { startObservability } from './observability/index.js';
import type { RunningSandboxes, Sandboxes } from './sandboxes/index.js';
import { ReconcilePoller } from './reconcile/poller.js';
import { createAuthenticator, DEFAULT_MAX_TOKEN_TTL_SECONDS, signClientToken } from './server/auth.js';
import { createCachingAuthenticator } from './server/token-cache.js';
import { attachGraphQLWs } from './server/graphql-ws.js';
import { createSocketLimit, DEFAULT_SOCKETS_PER_CALLER } from './server/socket-limit.js';
import { createRequestHandler } from './server/http-server.js';
import { createRateLimiter } from './server/rate-limit.js';
import { cachedGraphQLRoute, OrderReadCache } from './server/read-cache.js';
import { createWebhookHandler } from './server/webhooks.js';
import { createGraphQLHandler } from './server/yoga.js';
import { createPersistedOperations } from './server/persisted-operations.js';
import { createDemoRoute } from './demo/routes.js';
import { createTextScrubber } from './scrub.js';
import { createDevHostCheck } from './server/dev-hosts.js';
import { ChangeHub } from './store/change-hub.js';
import { createMemoryStore } from './store/memory.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';

export interface Gateway {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  server: Server;
  store: Store;
  service: OrderService;
  poller: ReconcilePoller;
  /** Sandbox mode: a token with every scope, for GraphiQL and the README walk-through. */
  devToken?: string;
  /** Whether `/demo` is served (sandbox mode with a secret made up at this start). */
  demo: boolean;
  /** Sandbox mode: the secret client tokens are signed with. */
  authSecret?: string;
  /** Sandbox mode: where the built-in provider sandboxes listen. */
  sandboxes: Partial<Sandboxes>;
  close(): Promise<void>;
}

export interface GatewayOverrides {
  logger?: Logger;
  /** Use this store instead of building one from the config (tests share one across instances). */
  store?: Store;
  /** Don't start the reconciliation poller (tests that drive it by hand). */
  pollerDisabled?: boolean;
  /** How long `close` lets requests in flight finish before cutting them. Default: the provider timeout + 2 s. */
  shutdownGraceMs?: number;
  /** The order use cases' clock (tests that move past a bound, e.g. a pending operation's 10 minutes). Default: the system clock. */
  now?: () => Date;
}

/** REQUEST_TIMEOUT_MS unless set: a 256 KiB body needs under 9 KB/s to arrive in time. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Node's bounds on receiving a request: the whole of it within `ms` (Node's default is 5 minutes,
 * which let a client trickling a body hold its connection that long without a token), its headers
 * too, checked often enough that a request is cut within half as long again.
 */
function requestTimeouts(ms: number): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return { requestTimeout: ms, headersTimeout: ms, connectionsCheckingInterval: Math.max(250, Math.min(30_000, Math.floor(ms / 2))) };
}

/**
 * How long shutdown waits for requests in flight beyond the provider timeout: a webhook or a
 * mutation under way is waiting on a provider call at most that long, and its effect must be
 * stored before the gateway stops (the provider got, or will get, its answer).
 */
const SHUTDOWN_GRACE_BEYOND_PROVIDER_MS = 2000;
/** One order's change lease outlives this many provider timeouts, and never less than the minimum (ms). */
const CHANGE_LEASE_TIMEOUTS = 8;
const CHANGE_LEASE_MIN_MS = 30_000;
/** Provider timeouts a creation may take before its lost answer is looked for upstream (see creationSettleMs). */
const CREATION_SETTLE_TIMEOUTS = 4;
const CREATION_STORE_RETRIES_MS = 3_000;

/**
 * HOST, else every interface; but a sandbox gateway (dev token in its GraphiQL page, tokens from
 * its demo page, made-up providers) listens on loopback only unless HOST says otherwise.
 */
function listenHost(config: Config): string | undefined {
  return config.host ?? (config.sandbox ? '127.0.0.1' : undefined);
}

/** Wires config -> store, sandboxes, adapters, service, HTTP + WebSocket server, poller; listens. */
export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const logger = overrides.logger ?? createLogger();
  // Read before listening: a missing manifest stops the gateway before it takes any request.
  const persistedOperations = createPersistedOperations(config.persistedOperations ?? { mode: 'off' });
  const performance = config.performance ?? DEFAULT_PERFORMANCE;
  // Loaded only in sandbox mode: the simulators are no part of a gateway that talks to real
  // providers (the build splits them into chunks that dist/main.mjs loads only here). Loaded
  // before listening: a request must not reach the server before its handler is attached.
  const sandboxes = config.sandbox ? await import('./sandboxes/index.js') : undefined;
  // Listening starts before everything is wired (the port is needed for PUBLIC_URL): a request in
  // between (a readiness probe) is answered 503 at once instead of hanging with no listener.
  const wired: { handle?: RequestListener } = {};
  const server = createServer(requestTimeouts(config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS), (request, response) => {
    if (wired.handle) return wired.handle(request, response);
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    response.end(JSON.stringify({ status: 'starting' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, listenHost(config), () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

  const onStoreError = (error: unknown): void => logger.log('error', 'store error', { error });
  const redis = redisTargetOf(config);
  const store =
    overrides.store ??
    (redis
      ? createRedisStore({
          ...redis,
          onError: onStoreError,
          autoPipelining: performance.redisAutoPipelining,
          feedAndIndex: performance.feedAndIndex ?? true,
          waitReplicas: config.redisWaitReplicas ?? 0,
          ...(config.feedRetentionMs ? { feedRetentionMs: config.feedRetentionMs } : {}),
          ...(config.redisWaitTimeoutMs ? { waitTimeoutMs: config.redisWaitTimeoutMs } : {}),
        })
      : createMemoryStore({ onError: onStoreError, ...(config.feedRetentionMs ? { feedRetentionMs: config.feedRetentionMs } : {}) }));
  let authSecret = config.auth.jwtSecret;
  // The dev token (all scopes) is minted only with a secret the gateway made up itself: one the
  // operator set (or a JWKS) is shared with other deployments, where such a token would be real.
  const ownDevSecret = config.sandbox && !config.auth.jwtSecret && !config.auth.jwksUrl;
  let providers: ProviderConfigs = config;
  let running: RunningSandboxes | undefined;
  if (sandboxes) {
    authSecret ??= randomBytes(24).toString('base64url');
    running = await sandboxes.startSandboxes({
      gatewayUrl: publicUrl,
      secrets: config.sandboxSecrets,
      ...(config.sandboxPort ? { published: { firstPort: config.sandboxPort, publicHost: new URL(publicUrl).hostname } } : {}),
    });
    providers = running.configs;
  }
  configureProviderResilience(config.providerResilience ?? DEFAULT_PROVIDER_RESILIENCE);
  const adapters = createAdapters(providers, { publicUrl, timeoutMs: config.providerTimeoutMs, kv: store.kv });

  const authenticator = createCachingAuthenticator(
    createAuthenticator({
      ...config.auth,
      ...(authSecret ? { jwtSecret: authSecret } : {}),
      // A secret made up at this start: a refused token is likely a dev token of an earlier start.
      ...(ownDevSecret ? { devSecret: true } : {}),
    }),
    { maxEntries: performance.tokenCacheSize },
  );
  // The demo checkout hands out orders:create tokens: sandbox mode only, never against real
  // providers, and like the dev token only signed with this start's own secret (one the operator
  // set may be other deployments', where its tokens would be real).
  const demoServed = Boolean(config.sandbox && authSecret && !config.auth.jwtSecret);
  const devToken =
    ownDevSecret && authSecret
      ? await signClientToken(
          authSecret,
          { sub: 'dev', scope: 'orders:create orders:read orders:manage', ...config.auth },
          // As long as the gateway accepts (the secret dies with the process anyway).
          `${config.auth.maxTokenTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS}s`,
        )
      : undefined;

  const service = new OrderService({
    store,
    adapters,
    ...(overrides.now ? { now: overrides.now } : {}),
    reconcileIntervalMs: config.reconcileIntervalMs,
    ...(config.reconcileCallbackGraceMs !== undefined ? { callbackGraceMs: config.reconcileCallbackGraceMs } : {}),
    ...(config.listingShareMs !== undefined ? { listingShareMs: config.listingShareMs } : {}),
    // A change's provider calls (a batch, a re-read after a lost answer) each last at most the timeout.
    changeLeaseTtlMs: Math.max(CHANGE_LEASE_MIN_MS, config.providerTimeoutMs * CHANGE_LEASE_TIMEOUTS),
    // A creation is a few provider calls (Dintero's three, Pei's lookup after a lost Pay), then the store's ~3 s of retries.
    creationSettleMs: config.providerTimeoutMs * CREATION_SETTLE_TIMEOUTS + CREATION_STORE_RETRIES_MS,
  });
  const hub = new ChangeHub(store.changes);
  const observability = await startObservability({ config, logger, store });
  const rateLimiter = config.rateLimitPerMinute
    ? createRateLimiter({ kv: store.kv, authenticator, logger, perMinute: config.rateLimitPerMinute, trustedProxies: config.trustedProxies ?? 0 })
    : undefined;
  const readCache = new OrderReadCache({
    orders: store.orders,
    answersFromStore: (order) => service.answersFromStore(order),
    maxEntries: performance.readCacheSize,
    hitCounter: (operation) => observability.metrics.readCacheHit(operation),
  });
  if (readCache.enabled) readCache.watch(store.changes, (error) => logger.log('warn', 'the read cache hears no changes (its version check still holds)', { error }));
  const stopping = new AbortController();
  // Where the dev token (GraphiQL) and demo tokens go: a loopback Host, or PUBLIC_URL's (dev-hosts.ts).
  const devHosts = createDevHostCheck(publicUrl);
  // One count per caller for its graphql-ws sockets and SSE streams together.
  const sockets = createSocketLimit(config.socketsPerCaller ?? DEFAULT_SOCKETS_PER_CALLER);
  const yoga = createGraphQLHandler({
    stopping: stopping.signal,
    service,
    orders: store.orders,
    feed: store.feed,
    hub,
    authenticator,
    logger,
    ...(devToken ? { graphiqlToken: devToken, graphiqlTokenHosts: devHosts } : {}),
    performance,
    ...(config.queryLimits ? { queryLimits: config.queryLimits } : {}),
    ...(config.maxMoneyFields !== undefined ? { maxMoneyFields: config.maxMoneyFields } : {}),
    ...(config.subscriptionsPerCaller !== undefined ? { subscriptionsPerCaller: config.subscriptionsPerCaller } : {}),
    sockets,
    // A provider's words may quote what the gateway sent it: its credentials are masked verbatim.
    scrub: createTextScrubber([...providerSecrets(providers), authSecret, config.metricsToken, config.redisCredentials?.password]),
    ...(rateLimiter ? { rateLimiter } : {}),
    ...(persistedOperations ? { persistedOperations } : {}),
    observabilityPlugins: observability.plugins,
    ...(readCache.enabled ? { readCache } : {}),
  });
  const hints = new WebhookHintThrottle(store, config.reconcileIntervalMs);
  const webhooks = observability.observeWebhooks(createWebhookHandler({ service, adapters, logger, hints }));
  wired.handle = createRequestHandler({
    yoga,
    ...(readCache.enabled
      ? {
          graphql: cachedGraphQLRoute({
            yoga,
            cache: readCache,
            authenticator,
            ...(rateLimiter ? { rateLimiter } : {}),
            onStale: () => observability.metrics.readCacheLookup('stale'),
          }),
        }
      : {}),
    webhooks,
    store,
    logger,
    metrics: observability.metricsRoute,
    aroundRequest: observability.aroundRequest,
    ...(demoServed && authSecret
      ? {
          demo: createDemoRoute({
            authSecret,
            ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}),
            ...(config.auth.audience ? { audience: config.auth.audience } : {}),
            persisted: persistedOperations?.mode ?? 'off',
            tokenHosts: devHosts,
            // The Intergiro card's 3-D Secure runs in a frame of the sandbox's ACS page.
            ...(running ? { threeDSOrigins: [new URL(running.sandboxes.intergiro.url).origin] } : {}),
          }),
        }
      : {}),
  });
  const ws = attachGraphQLWs({
    server,
    yoga,
    authenticator,
    logger,
    ...(rateLimiter ? { rateLimiter } : {}),
    ...(persistedOperations ? { persistedOperations } : {}),
    sockets,
    inOperationContext: observability.inOperationContext,
    push: performance.subscriptionPush,
  });
  const poller = new ReconcilePoller({ store, service, logger, intervalMs: config.reconcileIntervalMs, inPass: observability.inReconcilePass });
  if (!overrides.pollerDisabled) poller.start();

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    store,
    service,
    poller,
    sandboxes: running?.sandboxes ?? {},
    ...(devToken ? { devToken } : {}),
    demo: demoServed,
    ...(config.sandbox && authSecret ? { authSecret } : {}),
    close: () =>
      (closing ??= (async () => {
        await poller.stop();
        await readCache.close();
        await ws.close();
        // SSE subscriptions end, so their streams complete.
        stopping.abort();
        // Stop accepting and let requests in flight (a webhook being stored) finish. A keep-alive
        // connection whose request finishes becomes idle and is closed at the next sweep, not
        // after its keep-alive timeout; whatever is still open after the grace period is cut.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const grace = setTimeout(() => server.closeAllConnections(), overrides.shutdownGraceMs ?? config.providerTimeoutMs + SHUTDOWN_GRACE_BEYOND_PROVIDER_MS);
        await closed;
        clearInterval(sweep);
        clearTimeout(grace);
        // Unhooks its provider-call observer and flushes buffered spans.
        await observability.close();
        await running?.close();
        if (!overrides.store) await store.close();
      })()),
  };
}

