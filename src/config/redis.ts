import type { RedisCredentials, RedisTarget } from '../store/redis-client.js';
import type { Config } from './gateway-config.js';

/* Which Redis the config names, and the problems of the REDIS_* variables taken together (one Redis, credentials beside what they open). */

/** `{ credentials }` when a password is given (redisProblems has refused a username without one). */
export function credentialsOf(username: string | undefined, password: string | undefined): { credentials?: RedisCredentials } {
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
export function redisProblems(given: Record<string, string>): string[] {
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
