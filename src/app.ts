import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config, ProviderConfigs } from './config.js';
import { OrderService } from './domain/order-service.js';
import { createLogger, type Logger } from './log.js';
import { createAdapters } from './providers/adapters.js';
import { startSandboxes, type RunningSandboxes, type Sandboxes } from './providers/sandboxes.js';
import { ReconcilePoller } from './reconcile/poller.js';
import { createAuthenticator, signClientToken } from './server/auth.js';
import { attachGraphQLWs } from './server/graphql-ws.js';
import { createRequestHandler } from './server/http-server.js';
import { createWebhookHandler } from './server/webhooks.js';
import { createGraphQLHandler } from './server/yoga.js';
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
  /** How long `close` lets requests in flight finish before cutting them. Default 3000 ms. */
  shutdownGraceMs?: number;
}

/** How long shutdown waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 3000;

/** Wires config -> store, sandboxes, adapters, service, HTTP + WebSocket server, poller; listens. */
export async function startGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const logger = overrides.logger ?? createLogger();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;

  const onStoreError = (error: unknown): void => logger.log('error', 'store error', { error });
  const store =
    overrides.store ??
    (config.redisUrl ? createRedisStore({ url: config.redisUrl, onError: onStoreError }) : createMemoryStore({ onError: onStoreError }));
  let authSecret = config.auth.jwtSecret;
  let providers: ProviderConfigs = config;
  let running: RunningSandboxes | undefined;
  if (config.sandbox) {
    authSecret ??= randomBytes(24).toString('base64url');
    running = await startSandboxes({
      gatewayUrl: publicUrl,
      secrets: config.sandboxSecrets,
      ...(config.sandboxPort ? { published: { firstPort: config.sandboxPort, publicHost: new URL(publicUrl).hostname } } : {}),
    });
    providers = running.configs;
  }
  const adapters = createAdapters(providers, { publicUrl, timeoutMs: config.providerTimeoutMs, kv: store.kv });

  const authenticator = createAuthenticator({ ...config.auth, ...(authSecret ? { jwtSecret: authSecret } : {}) });
  const devToken =
    config.sandbox && authSecret
      ? await signClientToken(authSecret, { sub: 'dev', scope: 'orders:create orders:read orders:manage', ...config.auth }, '30d')
      : undefined;

  const service = new OrderService({ store, adapters, reconcileIntervalMs: config.reconcileIntervalMs });
  const hub = new ChangeHub(store.changes);
  const yoga = createGraphQLHandler({
    service,
    orders: store.orders,
    hub,
    authenticator,
    logger,
    ...(devToken ? { graphiqlToken: devToken } : {}),
  });
  const webhooks = createWebhookHandler({ service, adapters, logger });
  server.on('request', createRequestHandler({ yoga, webhooks, store, logger }));
  const ws = attachGraphQLWs({ server, yoga, authenticator, logger });
  const poller = new ReconcilePoller({ store, service, logger, intervalMs: config.reconcileIntervalMs });
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
    ...(config.sandbox && authSecret ? { authSecret } : {}),
    close: () =>
      (closing ??= (async () => {
        await poller.stop();
        await ws.close();
        // Stop accepting, let requests in flight (a webhook being stored) finish, then cut what
        // is left (open SSE streams) after a grace period.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), overrides.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(grace);
        await running?.close();
        if (!overrides.store) await store.close();
      })()),
  };
}

