import { z } from 'zod';
import type { ProviderResilience } from './providers/resilience/settings.js';
import type { QueryLimits } from './server/query-limits.js';
import type { PersistedOperationsConfig } from './server/persisted-operations.js';
import { DEFAULT_SUBSCRIPTIONS_PER_CALLER } from './server/subscription-limit.js';
import { DEFAULT_SOCKETS_PER_CALLER } from './server/socket-limit.js';
import type { HostPort, RedisCredentials, RedisTarget } from './store/redis-client.js';
import { redisTlsOf, type RedisTlsSettings } from './store/redis-tls.js';

/**
 * The environment, parsed once (CONTRACT §6). The only reader of process.env: everything else
 * receives a Config. A wrong value stops the gateway at start with the variable's name.
 */
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const optionalString = z.string().min(1).optional();

/** AUTH_JWT_SECRET's shortest safe length: 256 bits of HS256 key (see configWarnings). */
export const MIN_AUTH_SECRET_LENGTH = 32;

/** `host:port,host:port`: Redis Cluster seed nodes or Sentinels. */
const hostPorts = z
  .string()
  .transform((value, context): HostPort[] => {
    const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    const parsed = entries.map((entry) => /^([^\s:,]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(entry));
    if (!entries.length || parsed.some((match) => !match || Number(match[2]) < 1 || Number(match[2]) > 65535)) {
      context.addIssue({ code: 'custom', message: 'comma-separated host:port entries, e.g. redis-1:6379,redis-2:6379' });
      return z.NEVER;
    }
    return parsed.map((match) => ({ host: match![1]!.replace(/^\[|\]$/g, ''), port: Number(match![2]) }));
  })
  .optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** The interface to listen on (not in the contract); unset: all interfaces, but loopback only in sandbox mode. */
  HOST: optionalString,
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_CLUSTER_NODES: hostPorts,
  REDIS_SENTINELS: hostPorts,
  REDIS_SENTINEL_NAME: optionalString,
  /**
   * AUTH on the data nodes, whichever way Redis is named (not in the contract): REDIS_URL's server
   * (whose URL then carries none), every cluster node, the master behind Sentinel.
   */
  REDIS_USERNAME: optionalString,
  REDIS_PASSWORD: optionalString,
  /** AUTH on the sentinels themselves, which keep their own (not in the contract). */
  REDIS_SENTINEL_USERNAME: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  /** TLS to Redis (not in the contract; store/redis-tls.ts). */
  REDIS_TLS: z.enum(['0', '1']).optional(),
  REDIS_SENTINEL_TLS: z.enum(['0', '1']).optional(),
  REDIS_TLS_CA_FILE: optionalString,
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).default(0),
  /** How long a write waits for REDIS_WAIT_REPLICAS before it is refused, ms (not in the contract). */
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(1).default(1000),
  AUTH_JWT_SECRET: optionalString,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  /** Longest lifetime a client token may claim: seconds, or a number with s, m, h or d (not in the contract). */
  AUTH_MAX_TOKEN_TTL: z
    .string()
    .regex(/^\d+[smhd]?$/, 'seconds, or a number with s, m, h or d (e.g. 12h)')
    .transform(durationSeconds)
    .pipe(z.number().int().min(60, 'at least 60 seconds'))
    .optional(),
  SANDBOX: z.enum(['0', '1']).optional(),
  /** Sandbox mode: the first port of the provider sandboxes, on all interfaces (not in the contract). */
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  INTERGIRO_URL: optionalUrl,
  INTERGIRO_API_KEY: optionalString,
  INTERGIRO_CALLBACK_SECRET: optionalString,
  INTERGIRO_CALLBACK_JWKS_URL: optionalUrl,
  PEI_URL: optionalUrl,
  PEI_TOKEN_URL: optionalUrl,
  PEI_CLIENT_ID: optionalString,
  PEI_CLIENT_SECRET: optionalString,
  /** Pei's merchant ids are numbers (the seed's MerchantId is an integer). */
  PEI_MERCHANT_ID: z.string().regex(/^\d+$/, 'a whole number').optional(),
  PEI_CHECKOUT_URL: optionalUrl,
  INTERSHOP_URL: optionalUrl,
  INTERSHOP_AUTH_TOKEN: optionalString,
  DINTERO_API_URL: optionalUrl,
  DINTERO_CHECKOUT_URL: optionalUrl,
  DINTERO_ACCOUNT_ID: optionalString,
  DINTERO_CLIENT_ID: optionalString,
  DINTERO_CLIENT_SECRET: optionalString,
  DINTERO_PROFILE_ID: optionalString,
  PAYWAY_URL: optionalUrl,
  PAYWAY_TOKEN: optionalString,
  PAYWAY_WEBHOOK_SECRET: optionalString,
  PUBLIC_URL: optionalUrl,
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  /** How long apart the gateway reads an order whose provider calls back on its own (Intergiro), ms. */
  RECONCILE_CALLBACK_GRACE_MS: z.coerce.number().int().min(50).default(30_000),
  /**
   * How long a provider's listing for `orders(filter)` is handed out again to requests asking for
   * the same provider and range, ms (not in the contract; src/domain/orders/listing-share.ts).
   */
  LISTING_SHARE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  // Hours, decimals allowed (a test keeps a second); the contract asks for at least 7 days.
  FEED_RETENTION_HOURS: z.coerce.number().positive().max(24 * 366).default(7 * 24),
  /** Upper bound for one provider call, ms (not in the contract; a safe default). */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  // Provider resilience (not in the contract; see src/providers/resilience/settings.ts).
  /** Attempts of a safe (GET/HEAD) provider call, the first included; 1 turns retries off. */
  PROVIDER_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /** Full-jitter backoff window of the first retry, ms; it doubles per retry up to PROVIDER_RETRY_CAP_MS. */
  PROVIDER_RETRY_BASE_MS: z.coerce.number().int().min(0).default(100),
  PROVIDER_RETRY_CAP_MS: z.coerce.number().int().min(0).default(1000),
  /** Consecutive failed calls to one provider that open its circuit breaker. */
  PROVIDER_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  /** How long an open breaker fails calls fast before it lets one trial call through, ms. */
  PROVIDER_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).default(5000),
  // Speed switches (not in the contract), each measured by `npm run bench`; the defaults are the
  // fast, behaviour-preserving setting, `0` gives back stock behaviour for comparison.
  /** Yoga's cache of parsed and validated documents (on by default in Yoga). */
  GRAPHQL_PARSE_CACHE: z.enum(['0', '1']).default('1'),
  /**
   * Execute queries through graphql-jit (compiled once per document); mutations and
   * subscriptions stay on graphql-js (src/server/performance.ts says why). Off by default: the
   * order(id) answer cache serves repeated reads without executing at all, and measured first.
   */
  GRAPHQL_JIT: z.enum(['0', '1']).default('0'),
  /**
   * The gateway-wide feed and the order index in the Redis store's order writes. `0` only to
   * measure what they cost (`npm run bench`): orders(filter) and orderUpdates then miss orders.
   */
  FEED_AND_INDEX: z.enum(['0', '1']).default('1'),
  /** Verified client tokens kept (until their exp, at most a minute) so jose runs once per token; 0 = off. */
  AUTH_TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
  /** ioredis auto-pipelining: commands issued in the same tick share one write to Redis. */
  REDIS_AUTO_PIPELINING: z.enum(['0', '1']).default('1'),
  /**
   * Answers of `order(id)` kept per caller and checked against the order's version on every
   * read (src/server/read-cache.ts: never a stale read); 0 = off.
   */
  READ_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
  /**
   * graphql-ws `orderStatusChanged`: a live change's `next` message is executed and serialised
   * once for every subscriber of the same order with the same document, and sent to each socket
   * from the change feed's dispatch (src/server/shared-push.ts); 0 = each through its own
   * executor and graphql-ws loop.
   */
  SUBSCRIPTION_PUSH: z.enum(['0', '1']).default('1'),
  // Hostile input (not in the contract; see src/server/rate-limit.ts and query-limits.ts).
  /** GraphQL operations per caller (verified token's iss+sub, else client address) per minute, shared through Redis; 0 = off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Reverse proxies in front of the gateway that append to X-Forwarded-For; 0 = trust none. */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Document limits; the defaults leave every client document of this repo well inside. */
  QUERY_MAX_DEPTH: z.coerce.number().int().min(1).default(15),
  QUERY_MAX_COST: z.coerce.number().int().min(1).default(60_000),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).default(5000),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(10),
  /** Orders created or money movements (order events) per mutation operation (src/server/money-fields.ts). */
  QUERY_MAX_MONEY_FIELDS: z.coerce.number().int().min(1).default(20),
  /**
   * How long a client may take to send a whole request (headers and body), ms (not in the
   * contract). Node's own bound is 5 minutes: a client trickling a body a byte at a time held a
   * connection (and its file descriptor) that long, without a token. SSE streams and WebSockets are
   * not cut: their requests are complete once sent.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Subscriptions one caller (token sub) may hold open per gateway instance, SSE and graphql-ws together (src/server/subscription-limit.ts); 0 = no bound. */
  SUBSCRIPTIONS_PER_CALLER: z.coerce.number().int().min(0).default(DEFAULT_SUBSCRIPTIONS_PER_CALLER),
  /** graphql-ws sockets and SSE streams one caller (token sub) may hold open per gateway instance, together (src/server/socket-limit.ts); 0 = no bound. */
  SOCKETS_PER_CALLER: z.coerce.number().int().min(0).default(DEFAULT_SOCKETS_PER_CALLER),
  // Trusted documents (not in the contract; see src/server/persisted-operations.ts).
  /** off: any document runs; allow: manifest hashes run beside documents; require: only manifest documents run. */
  PERSISTED_OPERATIONS: z.enum(['off', 'allow', 'require']).default('off'),
  /** The manifest of hash -> document; default the one `npm run codegen` writes (src/client/generated/persisted-documents.json). */
  PERSISTED_OPERATIONS_FILE: optionalString,
  // Observability (not in the contract; see src/observability/).
  /** The least severe log level written. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** When set, `/metrics` wants `Authorization: Bearer <it>`; unset = open (behind a private network). */
  METRICS_TOKEN: optionalString,
  /** OpenTelemetry's own names: traces are exported (OTLP/HTTP) only when an endpoint is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: optionalString,
});

export type Env = z.infer<typeof schema>;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90" (seconds), "15m", "12h", "7d" -> seconds. */
function durationSeconds(text: string): number {
  const unit = /[smhd]$/.test(text) ? text.slice(-1) : 's';
  return Number.parseInt(text, 10) * (UNIT_SECONDS[unit] ?? 1);
}

export interface IntergiroConfig {
  url: string;
  apiKey: string;
  callbackSecret?: string;
  callbackJwksUrl?: string;
}

export interface PeiConfig {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  merchantId: string;
  /** The buyer's confirmation page is `<checkoutUrl>/<orderId>`. */
  checkoutUrl: string;
}

export interface IntershopConfig {
  /** The site's REST base up to `/-`. */
  url: string;
  authToken?: string;
}

export interface DinteroConfig {
  apiUrl: string;
  checkoutUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  profileId?: string;
}

export interface PaywayConfig {
  url: string;
  token: string;
  webhookSecret?: string;
}

/** The credentials in provider configs: never shown to a client (src/scrub.ts), nor logged. */
export function providerSecrets(configs: ProviderConfigs): string[] {
  return [
    configs.intergiro?.apiKey,
    configs.intergiro?.callbackSecret,
    configs.pei?.clientSecret,
    configs.intershop?.authToken,
    configs.dintero?.clientSecret,
    configs.payway?.token,
    configs.payway?.webhookSecret,
  ].filter((value): value is string => value !== undefined);
}

/** One section per provider that is configured (from the environment, or the sandboxes). */
export interface ProviderConfigs {
  intergiro?: IntergiroConfig;
  pei?: PeiConfig;
  intershop?: IntershopConfig;
  dintero?: DinteroConfig;
  payway?: PaywayConfig;
}

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

export interface TracingConfig {
  /** The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; default the package's name. */
  serviceName: string;
}

/** The service name traces carry when OTEL_SERVICE_NAME is unset: package.json's name. */
export const DEFAULT_SERVICE_NAME = 'payments-graphql-gateway';

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

/** The provider URL variables: setting any of them means "real providers" unless SANDBOX=1. */
const PROVIDER_URLS = ['INTERGIRO_URL', 'PEI_URL', 'INTERSHOP_URL', 'DINTERO_API_URL', 'PAYWAY_URL'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const given = Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  const parsed = schema.safeParse(given);
  // Every problem at once, each naming its variable and never its value (it may be a secret).
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const sandbox = given.SANDBOX ? given.SANDBOX === '1' : PROVIDER_URLS.every((name) => given[name] === undefined);
  if (!sandbox) problems.push(...missingCompanions(given));
  problems.push(...redisProblems(given));
  const redisTls = redisTlsOf(given);
  problems.push(...redisTls.problems);
  if (!sandbox && !given.AUTH_JWT_SECRET && !given.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL is required outside sandbox mode');
  }
  if (!parsed.success || problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const env = parsed.data;
  return {
    port: env.PORT,
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/$/, '') } : {}),
    auth: {
      ...(env.AUTH_JWT_SECRET ? { jwtSecret: env.AUTH_JWT_SECRET } : {}),
      ...(env.AUTH_JWKS_URL ? { jwksUrl: env.AUTH_JWKS_URL } : {}),
      ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
      ...(env.AUTH_AUDIENCE ? { audience: env.AUTH_AUDIENCE } : {}),
      ...(env.AUTH_MAX_TOKEN_TTL ? { maxTokenTtlSeconds: env.AUTH_MAX_TOKEN_TTL } : {}),
    },
    sandbox,
    ...(env.SANDBOX_PORT ? { sandboxPort: env.SANDBOX_PORT } : {}),
    sandboxSecrets: {
      ...(env.INTERGIRO_API_KEY ? { intergiroApiKey: env.INTERGIRO_API_KEY } : {}),
      ...(env.INTERGIRO_CALLBACK_SECRET ? { intergiroCallbackSecret: env.INTERGIRO_CALLBACK_SECRET } : {}),
      ...(env.PAYWAY_WEBHOOK_SECRET ? { paywayWebhookSecret: env.PAYWAY_WEBHOOK_SECRET } : {}),
    },
    reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
    reconcileCallbackGraceMs: env.RECONCILE_CALLBACK_GRACE_MS,
    listingShareMs: env.LISTING_SHARE_MS,
    feedRetentionMs: Math.round(env.FEED_RETENTION_HOURS * 60 * 60 * 1000),
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
    providerResilience: {
      retryAttempts: env.PROVIDER_RETRY_ATTEMPTS,
      retryBaseMs: env.PROVIDER_RETRY_BASE_MS,
      retryCapMs: env.PROVIDER_RETRY_CAP_MS,
      breakerFailures: env.PROVIDER_BREAKER_FAILURES,
      breakerCooldownMs: env.PROVIDER_BREAKER_COOLDOWN_MS,
    },
    performance: {
      parseCache: env.GRAPHQL_PARSE_CACHE === '1',
      jit: env.GRAPHQL_JIT === '1',
      tokenCacheSize: env.AUTH_TOKEN_CACHE_SIZE,
      redisAutoPipelining: env.REDIS_AUTO_PIPELINING === '1',
      readCacheSize: env.READ_CACHE_SIZE,
      feedAndIndex: env.FEED_AND_INDEX === '1',
      subscriptionPush: env.SUBSCRIPTION_PUSH === '1',
    },
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    trustedProxies: env.TRUSTED_PROXIES,
    queryLimits: {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxCost: env.QUERY_MAX_COST,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxDirectives: env.QUERY_MAX_DIRECTIVES,
    },
    maxMoneyFields: env.QUERY_MAX_MONEY_FIELDS,
    subscriptionsPerCaller: env.SUBSCRIPTIONS_PER_CALLER,
    socketsPerCaller: env.SOCKETS_PER_CALLER,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    persistedOperations: {
      mode: env.PERSISTED_OPERATIONS,
      ...(env.PERSISTED_OPERATIONS_FILE ? { file: env.PERSISTED_OPERATIONS_FILE } : {}),
    },
    logLevel: env.LOG_LEVEL,
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    ...tracingConfig(env),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(env.REDIS_CLUSTER_NODES ? { redisClusterNodes: env.REDIS_CLUSTER_NODES } : {}),
    ...(env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME
      ? {
          redisSentinel: {
            sentinels: env.REDIS_SENTINELS,
            name: env.REDIS_SENTINEL_NAME,
            ...credentialsOf(env.REDIS_SENTINEL_USERNAME, env.REDIS_SENTINEL_PASSWORD),
          },
        }
      : {}),
    ...(env.REDIS_PASSWORD ? { redisCredentials: credentialsOf(env.REDIS_USERNAME, env.REDIS_PASSWORD).credentials } : {}),
    ...(redisTls.settings.data || redisTls.settings.sentinels ? { redisTls: redisTls.settings } : {}),
    redisWaitReplicas: env.REDIS_WAIT_REPLICAS,
    redisWaitTimeoutMs: env.REDIS_WAIT_TIMEOUT_MS,
    ...(sandbox ? {} : providerConfigs(env)),
  };
}

/**
 * What the gateway starts with but should not (told at start as warnings; each names its
 * variable, never a value). Not refused: deployments and harnesses that set them keep starting,
 * and are told.
 * - An AUTH_JWT_SECRET under 32 characters: RFC 7518 §3.2 wants an HS256 key of 256 bits or
 *   more, and anyone holding one token (a browser's) can test guesses of a shorter one offline;
 *   the secret found signs tokens with every scope.
 * - AUTH_JWKS_URL without AUTH_AUDIENCE: every token that identity provider signs for any of its
 *   applications is taken, as long as it carries an orders scope.
 * - Outside sandbox mode, no METRICS_TOKEN: GET /metrics answers anyone who reaches the port.
 * - AUTH_JWT_SECRET and AUTH_JWKS_URL together without AUTH_ISSUER (security probe 4): an order's
 *   owner is its token's `sub` alone (CONTRACT §4) and orders store only it, so the identity
 *   provider's `sub: X` and the shop's own `sub: X` are one caller, each seeing the other's
 *   orders. Warned, not refused: the contract names both settings and the check of `iss` as
 *   optional, and a deployment (or an acceptance harness) that sets both must keep starting.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const secret = config.auth.jwtSecret;
  if (secret !== undefined && secret.length < MIN_AUTH_SECRET_LENGTH) {
    warnings.push(
      `AUTH_JWT_SECRET is shorter than ${MIN_AUTH_SECRET_LENGTH} characters (RFC 7518 §3.2: an HS256 key of 256 bits or more); a shorter one can be guessed offline from any client token. Use e.g. \`openssl rand -hex 32\``,
    );
  }
  if (config.auth.jwksUrl !== undefined && config.auth.audience === undefined) {
    warnings.push('AUTH_JWKS_URL without AUTH_AUDIENCE: any token the identity provider signs (for any application) with an orders scope is accepted; set AUTH_AUDIENCE (and AUTH_ISSUER)');
  }
  if (config.auth.jwtSecret !== undefined && config.auth.jwksUrl !== undefined && config.auth.issuer === undefined) {
    warnings.push(
      'AUTH_JWT_SECRET and AUTH_JWKS_URL are both set without AUTH_ISSUER: an order belongs to its token\'s sub, so a token of either kind naming the same sub is the same caller and sees its orders; set AUTH_ISSUER (every token must then carry it as iss), or keep only one of the two',
    );
  }
  if (!config.sandbox && config.metricsToken === undefined) {
    warnings.push('METRICS_TOKEN is not set: GET /metrics answers anyone who reaches the port');
  }
  return warnings;
}

/** OTLP/HTTP's rule: the general endpoint gets the signal's path, the per-signal one is used as is. */
function tracingConfig(env: Env): { tracing?: TracingConfig } {
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (general ? `${general.replace(/\/$/, '')}/v1/traces` : undefined);
  return tracesUrl ? { tracing: { tracesUrl, serviceName: env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME } } : {};
}

/** `{ credentials }` when a password is given (redisProblems has refused a username without one). */
function credentialsOf(username: string | undefined, password: string | undefined): { credentials?: RedisCredentials } {
  return password ? { credentials: { ...(username ? { username } : {}), password } } : {};
}

/** The Redis the config names (exactly one, loadConfig has checked), or none: the in-process store. */
export function redisTargetOf(config: Config): RedisTarget | undefined {
  const tls = config.redisTls?.data;
  const common = { ...(config.redisCredentials ? { credentials: config.redisCredentials } : {}), ...(tls ? { tls } : {}) };
  if (config.redisClusterNodes) return { clusterNodes: config.redisClusterNodes, ...common };
  if (config.redisSentinel) {
    const { sentinels, name, credentials: sentinelCredentials } = config.redisSentinel;
    const sentinelTls = config.redisTls?.sentinels;
    return { sentinels, sentinelName: name, ...common, ...(sentinelCredentials ? { sentinelCredentials } : {}), ...(sentinelTls ? { sentinelTls } : {}) };
  }
  return config.redisUrl ? { url: config.redisUrl, ...common } : undefined;
}

/** The store's Redis is named one way only, Sentinel with its master's name, WAIT only with a Redis. */
function redisProblems(given: Record<string, string>): string[] {
  const problems: string[] = [];
  const named = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((name) => given[name] !== undefined);
  if (named.length > 1) problems.push(`${named.join(', ')}: set only one of them (one Redis, a Redis Cluster, or Redis behind Sentinel)`);
  if (given.REDIS_SENTINELS !== undefined && given.REDIS_SENTINEL_NAME === undefined) {
    problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
  }
  if (given.REDIS_SENTINEL_NAME !== undefined && given.REDIS_SENTINELS === undefined) {
    problems.push('REDIS_SENTINEL_NAME: only with REDIS_SENTINELS');
  }
  if (given.REDIS_WAIT_REPLICAS !== undefined && given.REDIS_WAIT_REPLICAS !== '0' && !named.length) {
    problems.push('REDIS_WAIT_REPLICAS: needs a Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS)');
  }
  return [...problems, ...credentialProblems(given, named.length > 0)];
}

/**
 * Credentials go with what they open: a username only beside its password (AUTH takes both),
 * data-node ones only with a Redis, sentinel ones only with REDIS_SENTINELS, and never beside a
 * REDIS_URL that carries its own (two passwords for one server: which one is meant?). Each
 * problem names variables, never a value: the URL itself may hold a password.
 */
function credentialProblems(given: Record<string, string>, hasRedis: boolean): string[] {
  const problems: string[] = [];
  const set = (...names: string[]) => names.filter((name) => given[name] !== undefined);
  for (const prefix of ['REDIS', 'REDIS_SENTINEL']) {
    if (given[`${prefix}_USERNAME`] !== undefined && given[`${prefix}_PASSWORD`] === undefined) {
      problems.push(`${prefix}_PASSWORD is required with ${prefix}_USERNAME`);
    }
  }
  const dataNodes = set('REDIS_USERNAME', 'REDIS_PASSWORD');
  if (dataNodes.length && !hasRedis) problems.push(`${dataNodes.join(', ')}: only with a Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS)`);
  const sentinels = set('REDIS_SENTINEL_USERNAME', 'REDIS_SENTINEL_PASSWORD');
  if (sentinels.length && given.REDIS_SENTINELS === undefined) problems.push(`${sentinels.join(', ')}: only with REDIS_SENTINELS`);
  if (dataNodes.length && given.REDIS_URL !== undefined && urlCarriesCredentials(given.REDIS_URL)) {
    problems.push(`${dataNodes.join(', ')}: REDIS_URL already carries credentials; give them in one place (the URL, or REDIS_USERNAME and REDIS_PASSWORD)`);
  }
  return problems;
}

function urlCarriesCredentials(url: string): boolean {
  if (!URL.canParse(url)) return false; // the schema reports a malformed REDIS_URL
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}

/** Each provider's base URL brings the variables it cannot work without. */
const REQUIRED_WITH: Record<(typeof PROVIDER_URLS)[number], (keyof Env)[]> = {
  INTERGIRO_URL: ['INTERGIRO_API_KEY'],
  PEI_URL: ['PEI_TOKEN_URL', 'PEI_CLIENT_ID', 'PEI_CLIENT_SECRET', 'PEI_MERCHANT_ID', 'PEI_CHECKOUT_URL'],
  INTERSHOP_URL: [],
  DINTERO_API_URL: ['DINTERO_CHECKOUT_URL', 'DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'],
  // Without the secret every purchase event would be refused and pending purchases never settle.
  PAYWAY_URL: ['PAYWAY_TOKEN', 'PAYWAY_WEBHOOK_SECRET'],
};

/** One problem per provider URL set without its companions (from the raw variables, so it is told even beside a malformed one). */
function missingCompanions(given: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [base, required] of Object.entries(REQUIRED_WITH) as [keyof typeof REQUIRED_WITH, (keyof Env)[]][]) {
    if (given[base] === undefined) continue;
    const missing = required.filter((name) => given[name] === undefined);
    if (missing.length) problems.push(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required with ${base}`);
  }
  return problems;
}

const base = (url: string): string => url.replace(/\/$/, '');

/** The configured providers (missingCompanions has checked each section is complete). */
function providerConfigs(env: Env): ProviderConfigs {
  return {
    ...(env.INTERGIRO_URL && env.INTERGIRO_API_KEY
      ? {
          intergiro: {
            url: base(env.INTERGIRO_URL),
            apiKey: env.INTERGIRO_API_KEY,
            ...(env.INTERGIRO_CALLBACK_SECRET ? { callbackSecret: env.INTERGIRO_CALLBACK_SECRET } : {}),
            ...(env.INTERGIRO_CALLBACK_JWKS_URL ? { callbackJwksUrl: env.INTERGIRO_CALLBACK_JWKS_URL } : {}),
          },
        }
      : {}),
    ...(env.PEI_URL && env.PEI_TOKEN_URL && env.PEI_CLIENT_ID && env.PEI_CLIENT_SECRET && env.PEI_MERCHANT_ID && env.PEI_CHECKOUT_URL
      ? {
          pei: {
            url: base(env.PEI_URL),
            tokenUrl: env.PEI_TOKEN_URL,
            clientId: env.PEI_CLIENT_ID,
            clientSecret: env.PEI_CLIENT_SECRET,
            merchantId: env.PEI_MERCHANT_ID,
            checkoutUrl: base(env.PEI_CHECKOUT_URL),
          },
        }
      : {}),
    ...(env.INTERSHOP_URL
      ? { intershop: { url: base(env.INTERSHOP_URL), ...(env.INTERSHOP_AUTH_TOKEN ? { authToken: env.INTERSHOP_AUTH_TOKEN } : {}) } }
      : {}),
    ...(env.DINTERO_API_URL && env.DINTERO_CHECKOUT_URL && env.DINTERO_ACCOUNT_ID && env.DINTERO_CLIENT_ID && env.DINTERO_CLIENT_SECRET
      ? {
          dintero: {
            apiUrl: base(env.DINTERO_API_URL),
            checkoutUrl: base(env.DINTERO_CHECKOUT_URL),
            accountId: env.DINTERO_ACCOUNT_ID,
            clientId: env.DINTERO_CLIENT_ID,
            clientSecret: env.DINTERO_CLIENT_SECRET,
            ...(env.DINTERO_PROFILE_ID ? { profileId: env.DINTERO_PROFILE_ID } : {}),
          },
        }
      : {}),
    ...(env.PAYWAY_URL && env.PAYWAY_TOKEN
      ? {
          payway: {
            url: base(env.PAYWAY_URL),
            token: env.PAYWAY_TOKEN,
            ...(env.PAYWAY_WEBHOOK_SECRET ? { webhookSecret: env.PAYWAY_WEBHOOK_SECRET } : {}),
          },
        }
      : {}),
  };
}

/**
 * What `npm run token` (scripts/token.ts) needs to sign a client token the gateway accepts: the
 * same AUTH_JWT_SECRET, AUTH_ISSUER and AUTH_AUDIENCE, read the same way (empty counts as unset).
 */
export function loadTokenSigning(environment: Record<string, string | undefined> = process.env): {
  secret?: string;
  issuer?: string;
  audience?: string;
} {
  const pick = (name: string): string | undefined => (environment[name] ? environment[name] : undefined);
  const [secret, issuer, audience] = [pick('AUTH_JWT_SECRET'), pick('AUTH_ISSUER'), pick('AUTH_AUDIENCE')];
  return { ...(secret ? { secret } : {}), ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
}
