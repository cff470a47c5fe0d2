import { readFileSync } from 'node:fs';

/** TLS to a Redis: `ca` (PEM) is trusted instead of the system's CAs when given. */
export interface RedisTls {
  ca?: string;
}

/** Which connections speak TLS: the data nodes, and (behind Sentinel) the sentinels themselves. */
export interface RedisTlsSettings {
  /** REDIS_URL's server, every cluster node, the master (and replicas) behind Sentinel. */
  data?: RedisTls;
  /** The sentinels: they listen on a port of their own, TLS or not, set apart. */
  sentinels?: RedisTls;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * TLS from the environment (not in the contract):
 * - REDIS_TLS=1: TLS to the data nodes; a `rediss://` REDIS_URL says so by itself (REDIS_TLS=0
 *   beside one is a contradiction);
 * - REDIS_SENTINEL_TLS (default: as REDIS_TLS): TLS to the sentinels;
 * - REDIS_TLS_CA_FILE: a PEM file of the CA(s) that signed the servers' certificates, for a
 *   private CA; without it the system's trusted CAs. Certificates are always verified: a gateway
 *   that would accept any certificate would hand its Redis password to whoever answers.
 * Problems name variables, never a value.
 */
export function redisTlsOf(given: Record<string, string>): { settings: RedisTlsSettings; problems: string[] } {
  const problems: string[] = [];
  const urlSaysTls = given.REDIS_URL?.startsWith('rediss:') ?? false;
  const hasRedis = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'].some((name) => given[name] !== undefined);
  if (given.REDIS_TLS === '0' && urlSaysTls) problems.push('REDIS_TLS=0: REDIS_URL is rediss://, which is TLS');
  if (given.REDIS_TLS !== undefined && !hasRedis) problems.push('REDIS_TLS: only with a Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS)');
  if (given.REDIS_SENTINEL_TLS !== undefined && given.REDIS_SENTINELS === undefined) problems.push('REDIS_SENTINEL_TLS: only with REDIS_SENTINELS');
  const data = hasRedis && (given.REDIS_TLS === '1' || urlSaysTls);
  const sentinels = given.REDIS_SENTINELS !== undefined && (given.REDIS_SENTINEL_TLS ?? given.REDIS_TLS) === '1';
  let ca: string | undefined;
  const caFile = given.REDIS_TLS_CA_FILE;
  if (caFile !== undefined) {
    if (!data && !sentinels) problems.push('REDIS_TLS_CA_FILE: only with TLS (REDIS_TLS=1, a rediss:// REDIS_URL, or REDIS_SENTINEL_TLS=1)');
    else {
      try {
        ca = readFileSync(caFile, 'utf8');
        if (!ca.includes(PEM_CERTIFICATE)) problems.push('REDIS_TLS_CA_FILE: not a PEM certificate file');
      } catch (error) {
        problems.push(`REDIS_TLS_CA_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  const tls: RedisTls = ca ? { ca } : {};
  return { settings: { ...(data ? { data: tls } : {}), ...(sentinels ? { sentinels: tls } : {}) }, problems };
}
