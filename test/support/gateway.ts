import { afterAll, beforeAll } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import type { Config, ProviderConfigs } from '../../src/config.js';
import type { Logger } from '../../src/log.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { signClientToken } from '../../src/server/auth.js';
import type { IntergiroSandbox } from '../../src/sandboxes/intergiro/index.js';
import { startSandboxes, type Sandboxes, type SandboxTuning } from '../../src/sandboxes/index.js';
import { startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { recordSecrets, secretsOf, testLogger } from './test-logs.js';

export const AUTH_SECRET = 'test-auth-secret-0123456789abcdef';
export const INTERGIRO_API_KEY = 'test-intergiro-key';
export const INTERGIRO_CALLBACK_SECRET = 'test-intergiro-callback-secret';

/** `redis-cluster`: a real three-master Redis Cluster (not in STORE_KINDS: its own suites use it). */
export type StoreKind = 'memory' | 'redis' | 'redis-cluster';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

export type { IntergiroSandbox };

/** Sandbox delays shortened for tests; a suite's own tuning is merged over these, per provider. */
const TEST_TUNING: SandboxTuning = {
  intergiro: { pendingSettleMs: 300, callbackRetryDelaysMs: [50, 200, 500] },
  payway: { pendingSettleMs: 200, eventRetryDelaysMs: [50, 200, 500] },
  intershop: { notificationMs: 100 },
  pei: { recurringChargeMs: 150, postbackRetryDelaysMs: [50, 200, 500] },
  dintero: { callbackDelayMs: 30, callbackRetryDelaysMs: [50, 200, 500] },
};

/** A token as the frontends and back offices would hold it. */
export function tokenFor(scope: string, sub = 'shop-frontend', expiresIn: string | number = '1h'): Promise<string> {
  return signClientToken(AUTH_SECRET, { sub, scope }, expiresIn);
}

export interface GatewayOptions {
  pollerDisabled?: boolean;
  logger?: Logger;
  /** Providers this gateway is not configured for (they answer NOT_SUPPORTED). */
  without?: (keyof ProviderConfigs)[];
  /** How long close() lets requests in flight finish; default 200 ms, so tests stop fast. */
  shutdownGraceMs?: number;
  /** Wraps the gateway's store, e.g. to lose some writes the way a crash would. */
  wrapStore?: (store: Store) => Store;
  /** How long this gateway's store keeps the change feed (a fresh store in memory); default 7 days. */
  feedRetentionMs?: number;
  /** The order use cases' clock (e.g. to move past a pending operation's 10 minutes); default the system clock. */
  now?: () => Date;
}

export interface TestEnvironment {
  kind: StoreKind;
  redis?: RedisServer;
  cluster?: RedisCluster;
  intergiro: IntergiroSandbox;
  /** Every provider's sandbox, each on its own port. */
  sandboxes: Sandboxes;
  /** Starts one more gateway instance on the same store backend and sandboxes. */
  startGateway(overrides?: Partial<Config>, options?: GatewayOptions): Promise<Gateway>;
  /** A store for a gateway; with Redis a new connection to the same server each time. */
  newStore(options?: { feedRetentionMs?: number }): Store;
  close(): Promise<void>;
}


/**
 * Real parts for black-box tests: a real redis-server on a free port (for the Redis kind), every
 * provider sandbox on its own port, and gateways configured exactly as in production
 * (INTERGIRO_URL etc.), listening on free ports.
 */
export async function startTestEnvironment(kind: StoreKind, tuning: SandboxTuning = {}): Promise<TestEnvironment> {
  const redis = kind === 'redis' ? await startRedisServer() : undefined;
  const cluster = kind === 'redis-cluster' ? await startRedisCluster(3) : undefined;
  const running = await startSandboxes({
    secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET },
    tuning: Object.fromEntries(
      (['intergiro', 'pei', 'intershop', 'dintero', 'payway'] as const).map((name) => [name, { ...TEST_TUNING[name], ...tuning[name] }]),
    ),
  });
  // The log scan after the suite looks for these (the sandboxes' credentials are random per start).
  recordSecrets([AUTH_SECRET, ...secretsOf(running.configs)]);
  const intergiro = running.sandboxes.intergiro;
  const memory = kind === 'memory' ? createMemoryStore() : undefined;
  const gateways: Gateway[] = [];
  const stores: Store[] = [];
  const environment: TestEnvironment = {
    kind,
    intergiro,
    sandboxes: running.sandboxes,
    ...(redis ? { redis } : {}),
    ...(cluster ? { cluster } : {}),
    newStore({ feedRetentionMs } = {}) {
      if (memory && !feedRetentionMs) return memory;
      if (!redis && !cluster) return createMemoryStore({ ...(feedRetentionMs ? { feedRetentionMs } : {}) });
      const store = createRedisStore({
        ...(cluster ? { clusterNodes: cluster.nodes } : { url: redis!.url }),
        onError: () => undefined,
        ...(feedRetentionMs ? { feedRetentionMs } : {}),
      });
      stores.push(store);
      return store;
    },
    async startGateway(overrides = {}, options = {}) {
      const config: Config = {
        port: 0,
        auth: { jwtSecret: AUTH_SECRET },
        sandbox: false,
        sandboxSecrets: {},
        reconcileIntervalMs: 200,
        providerTimeoutMs: 1500,
        ...running.configs,
        ...overrides,
      };
      for (const provider of options.without ?? []) delete config[provider];
      const gateway = await startGateway(config, {
        // Everything at debug level to test/.logs, for the scan after the suite (test-logs.ts).
        logger: options.logger ?? testLogger(),
        shutdownGraceMs: options.shutdownGraceMs ?? 200,
        store: (options.wrapStore ?? ((store: Store) => store))(environment.newStore(options.feedRetentionMs ? { feedRetentionMs: options.feedRetentionMs } : {})),
        ...(options.pollerDisabled ? { pollerDisabled: true } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      gateways.push(gateway);
      // Sandboxes that call the gateway unasked (Payway's purchase events) call the newest one.
      running.setGatewayUrl(gateway.url);
      return gateway;
    },
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await Promise.all(stores.map((store) => store.close()));
      if (memory) await memory.close();
      await running.close();
      await redis?.stop();
      await cluster?.stop();
    },
  };
  return environment;
}

/** Polls `check` until it returns a value (bounded): for effects that happen on another process. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** A describe block's one gateway on the in-process store, and a token for it; set before its tests. */
export interface MemoryGatewaySuite {
  /** For more gateways on the same sandboxes and store. */
  readonly env: TestEnvironment;
  readonly gateway: Gateway;
  readonly token: string;
}

/**
 * Starts one gateway on the in-process store before the calling describe block's tests (and a
 * token of `scope` for `sub`), and closes it after them: the setup most gateway-level suites share.
 */
export function memoryGatewaySuite(scope: string, sub?: string): MemoryGatewaySuite {
  let env: TestEnvironment | undefined;
  let gateway: Gateway | undefined;
  let token: string | undefined;
  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    token = await tokenFor(scope, sub);
  });
  afterAll(() => env?.close());
  return {
    get env() {
      if (!env) throw new Error('memoryGatewaySuite: read before its beforeAll ran');
      return env;
    },
    get gateway() {
      if (!gateway) throw new Error('memoryGatewaySuite: read before its beforeAll ran');
      return gateway;
    },
    get token() {
      if (token === undefined) throw new Error('memoryGatewaySuite: read before its beforeAll ran');
      return token;
    },
  };
}
