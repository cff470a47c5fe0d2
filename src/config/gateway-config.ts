import type { ProviderResilience } from '../providers/resilience/settings.js';
import type { QueryLimits } from '../server/query-limits.js';
import type { PersistedOperationsConfig } from '../server/persisted-operations.js';
import type { HostPort, RedisCredentials } from '../store/redis-client.js';
import type { RedisTlsSettings } from '../store/redis-tls.js';
import type { ProviderConfigs } from './providers.js';
import type { TracingConfig } from './tracing.js';

/* The Config every part of the gateway receives (loadConfig builds it; tests build it by hand), with its speed switches and sandbox secrets. */

export interface Config extends ProviderConfigs {
  port: number;
  /**
   * HOST: the interface the server listens on. Unset: every interface, except in sandbox mode,
   * where it is 127.0.0.1 (a sandbox gateway hands out tokens and pages to whoever reaches it).
   */
  host?: string;
  /** PUBLIC_URL; when unset the gateway uses http://localhost:<the port it listens on>. */
  publicUrl?: string;
  /** REDIS_URL; or one of the next two; none = the in-process store. */
  redisUrl?: string;
  /** REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster. */
  redisClusterNodes?: HostPort[];
  /**
   * REDIS_SENTINELS and REDIS_SENTINEL_NAME: a master behind Sentinel; `credentials`
   * (REDIS_SENTINEL_USERNAME, REDIS_SENTINEL_PASSWORD) open the sentinels, not the master.
   */
  redisSentinel?: { sentinels: HostPort[]; name: string; credentials?: RedisCredentials };
  /** REDIS_USERNAME and REDIS_PASSWORD: AUTH on the data nodes of whichever of the three is named. */
  redisCredentials?: RedisCredentials;
  /** REDIS_TLS, REDIS_SENTINEL_TLS, REDIS_TLS_CA_FILE (and a rediss:// REDIS_URL): which connections speak TLS. */
  redisTls?: RedisTlsSettings;
  /** REDIS_WAIT_REPLICAS (absent = 0): replicas that must hold a write before it is acknowledged. */
  redisWaitReplicas?: number;
  /** REDIS_WAIT_TIMEOUT_MS (absent = 1000): how long that wait may take before the write is refused. */
  redisWaitTimeoutMs?: number;
  /** maxTokenTtlSeconds: AUTH_MAX_TOKEN_TTL; absent = DEFAULT_MAX_TOKEN_TTL_SECONDS (src/server/auth.ts). */
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string; maxTokenTtlSeconds?: number };
  /** Start the built-in provider sandboxes and point every adapter at them. */
  sandbox: boolean;
  /**
   * SANDBOX_PORT: where the sandboxes listen (Intergiro on it, later providers on the next ports),
   * on all interfaces, so their pages can be published from a container. Unset: free loopback ports.
   */
  sandboxPort?: number;
  /**
   * Sandbox mode: secrets given in the environment are used by the sandboxes too (so a client can
   * sign a test callback with INTERGIRO_CALLBACK_SECRET); unset ones are random per start.
   */
  sandboxSecrets: SandboxSecrets;
  reconcileIntervalMs: number;
  /**
   * How long apart an order still waiting on a provider that calls back is read (its callbacks
   * are the news; the reads only catch a lost one); absent = reconcileIntervalMs.
   */
  reconcileCallbackGraceMs?: number;
  /**
   * LISTING_SHARE_MS (which loadConfig always fills, default 5000): how long one provider listing
   * answers every request for the same provider and range. Absent = 0 (only listings under way are
   * shared), so configs built by hand (tests) see a change at the provider on the next listing.
   */
  listingShareMs?: number;
  /** How long the gateway-wide change feed keeps a change (FEED_RETENTION_HOURS); default 7 days. */
  feedRetentionMs?: number;
  providerTimeoutMs: number;
  /** Retries and circuit breakers of provider calls; absent = DEFAULT_PROVIDER_RESILIENCE. */
  providerResilience?: ProviderResilience;
  /** Speed switches; absent = every default (see PerformanceConfig). */
  performance?: PerformanceConfig;
  /**
   * GraphQL operations per caller per minute (RATE_LIMIT_PER_MINUTE, which loadConfig always
   * fills); absent or 0 = no limit, so configs built by hand (tests) are not limited unasked.
   */
  rateLimitPerMinute?: number;
  /** Reverse proxies in front of the gateway (TRUSTED_PROXIES): whose X-Forwarded-For entries count. */
  trustedProxies?: number;
  /** Document size limits; absent = DEFAULT_QUERY_LIMITS (src/server/query-limits.ts). */
  queryLimits?: QueryLimits;
  /** Orders created or money movements per operation; absent = DEFAULT_MAX_MONEY_FIELDS (src/server/money-fields.ts). */
  maxMoneyFields?: number;
  /** REQUEST_TIMEOUT_MS: longest a client may take to send a request; absent = DEFAULT_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /** Open subscriptions per caller and instance; absent = DEFAULT_SUBSCRIPTIONS_PER_CALLER, 0 = no bound (src/server/subscription-limit.ts). */
  subscriptionsPerCaller?: number;
  /** Open graphql-ws sockets and SSE streams per caller and instance; absent = DEFAULT_SOCKETS_PER_CALLER, 0 = no bound (src/server/socket-limit.ts). */
  socketsPerCaller?: number;
  /** Trusted documents; absent = off (any document runs). */
  persistedOperations?: PersistedOperationsConfig;
  /** LOG_LEVEL; absent = info. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** METRICS_TOKEN: the bearer `/metrics` wants; absent = open. */
  metricsToken?: string;
  /** Trace export (OTEL_*); absent = no tracing at all. */
  tracing?: TracingConfig;
}

/** The measured speed-ups (README "Benchmarks"); each can be turned off to compare. */
export interface PerformanceConfig {
  parseCache: boolean;
  jit: boolean;
  /** Entries of the verified-token cache; 0 = off. */
  tokenCacheSize: number;
  redisAutoPipelining: boolean;
  /** Entries of the order(id) answer cache; 0 = off. */
  readCacheSize: number;
  /** The feed and the order index in Redis order writes (FEED_AND_INDEX); default true, false only to measure them. */
  feedAndIndex?: boolean;
  /** graphql-ws live changes executed once per document and pushed (src/server/shared-push.ts, SUBSCRIPTION_PUSH); default true. */
  subscriptionPush?: boolean;
}

export const DEFAULT_PERFORMANCE: PerformanceConfig = {
  parseCache: true,
  jit: false,
  tokenCacheSize: 10_000,
  redisAutoPipelining: true,
  readCacheSize: 10_000,
  subscriptionPush: true,
};

/** Credentials from the environment that the sandboxes adopt, so clients can use them too. */
export interface SandboxSecrets {
  intergiroApiKey?: string;
  intergiroCallbackSecret?: string;
  paywayWebhookSecret?: string;
}
