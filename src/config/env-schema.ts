import { z } from 'zod';
import { DEFAULT_SUBSCRIPTIONS_PER_CALLER } from '../server/subscription-limit.js';
import { DEFAULT_SOCKETS_PER_CALLER } from '../server/socket-limit.js';
import type { HostPort } from '../store/redis-client.js';

/* The environment variables the gateway reads and the form of each (zod); loadConfig (config.ts) checks them together and builds a Config. */

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
const optionalString = z.string().min(1).optional();

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

export const schema = z.object({
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
