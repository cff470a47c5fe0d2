import { redisTlsOf } from './store/redis-tls.js';
import { schema } from './config/env-schema.js';
import type { Config } from './config/gateway-config.js';
import { missingCompanions, PROVIDER_URLS, providerConfigs } from './config/providers.js';
import { credentialsOf, redisProblems } from './config/redis.js';
import { tracingConfig } from './config/tracing.js';

/*
 * The gateway's configuration, read from the environment. The parts live in config/: the variables'
 * schema (env-schema.ts), the Config shape (gateway-config.ts), provider sections (providers.ts),
 * Redis (redis.ts), tracing (tracing.ts), start-up warnings (warnings.ts). Re-exported here, so
 * the rest of the gateway imports its configuration from this one module.
 */
export type { Env } from './config/env-schema.js';
export { DEFAULT_PERFORMANCE, type Config, type PerformanceConfig, type SandboxSecrets } from './config/gateway-config.js';
export { providerSecrets, type DinteroConfig, type IntergiroConfig, type IntershopConfig, type PaywayConfig, type PeiConfig, type ProviderConfigs } from './config/providers.js';
export { redisTargetOf } from './config/redis.js';
export { DEFAULT_SERVICE_NAME, type TracingConfig } from './config/tracing.js';
export { configWarnings, MIN_AUTH_SECRET_LENGTH } from './config/warnings.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The environment, parsed once (CONTRACT §6). The only reader of process.env: everything else
 * receives a Config. A wrong value stops the gateway at start with the variable's name.
 */
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
