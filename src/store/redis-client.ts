import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTls } from './redis-tls.js';
import { GuardedSentinelConnector, GuardedStandaloneConnector } from './redis-socket-guard.js';
import { StoreUnavailableError } from './types.js';

/** One Redis, a Redis Cluster or a master behind Sentinel: the same commands on any. */
export type RedisClient = Redis | Cluster;

export interface HostPort {
  host: string;
  port: number;
}

/** What a connection sends as `AUTH [username] password`; no username = Redis' `default` user. */
export interface RedisCredentials {
  username?: string;
  password: string;
}

/**
 * Where the store's Redis is: exactly one of the three (CONTRACT §6). `credentials` open the data
 * nodes (every cluster node; the master behind Sentinel); `sentinelCredentials` the sentinels,
 * which keep their own. None: connections send no AUTH (a URL may carry its own).
 */
export type RedisTarget = (
  | { url: string }
  | { clusterNodes: HostPort[] }
  | { sentinels: HostPort[]; sentinelName: string; sentinelCredentials?: RedisCredentials; sentinelTls?: RedisTls }
) & { credentials?: RedisCredentials; tls?: RedisTls };

/** Options every connection gets, whatever the target. */
const COMMON: RedisOptions = {
  // A dead Redis fails a queued command after 3 failed reconnect attempts (a fraction of a
  // second when the port refuses, connectTimeout each when the host is unreachable) instead of
  // keeping it forever; a Redis that is merely restarting answers it after the reconnect.
  maxRetriesPerRequest: 3,
  enableOfflineQueue: true,
  // Also inherited by the feed's duplicate(): it re-subscribes after every reconnect.
  autoResubscribe: true,
  // A command in flight when the connection drops is sent again; the write scripts recognise a
  // copy that had already run (redis-lua.ts), so this never duplicates a write.
  autoResendUnfulfilledCommands: true,
};

/** Rounds over all the sentinels one connect attempt makes before it fails (see sentinelRetryStrategy). */
const SENTINEL_ROUNDS = 3;

/** Opens the client for `target`; `isCluster` tells the store which pub/sub and key layout to use. */
export function connectRedis(target: RedisTarget, autoPipelining: boolean): { client: RedisClient; isCluster: boolean } {
  // SUBSCRIBE is never auto-pipelined by ioredis, so the feed's duplicate() may inherit this.
  const enableAutoPipelining = autoPipelining;
  // Every connection ioredis opens from these options authenticates: the feed's duplicate(), a
  // cluster's per-node, slot-refresh and sharded-subscriber connections (all built from
  // redisOptions), the master found through Sentinel.
  // TLS the same way: every data-node connection (ioredis' `tls` reaches each of them as AUTH does).
  // Every connection's socket keeps an error listener of its own (redis-socket-guard.ts): a second
  // error on one socket must not end the process.
  const common: RedisOptions = { ...COMMON, Connector: GuardedStandaloneConnector, ...auth(target.credentials), ...(target.tls ? { tls: tlsOptions(target.tls) } : {}) };
  if ('clusterNodes' in target) {
    const client = new Cluster(target.clusterNodes, {
      redisOptions: common,
      enableOfflineQueue: true,
      enableAutoPipelining,
      // SSUBSCRIBE goes to the master of each channel's slot (ioredis >= 5.9), and is renewed there
      // when slots move; without this ioredis would send it to one random node.
      shardedSubscribers: true,
      // Writes and the reads that must see them go to masters only.
      scaleReads: 'master',
      // ioredis auto-pipelines SSUBSCRIBE (its list of commands never pipelined has SUBSCRIBE but
      // not SSUBSCRIBE), and a cluster pipeline sends every command of it down the connection the
      // first one chose: an SSUBSCRIBE behind a read of the same master (a subscription's order
      // snapshot and its feed's subscribe, in one turn) went down that master's command
      // connection, which then refused every other command for good ("Connection in subscriber
      // mode"), and a read in front of an SSUBSCRIBE went to the subscriber's.
      autoPipeliningIgnoredCommands: ['ssubscribe', 'sunsubscribe'],
    });
    return { client, isCluster: true };
  }
  if ('sentinels' in target) {
    const client = new Redis({
      ...common,
      Connector: GuardedSentinelConnector,
      enableAutoPipelining,
      sentinels: target.sentinels,
      name: target.sentinelName,
      // The master found through the sentinels gets `tls` only with this flag; the sentinels
      // themselves get `sentinelTLS` (their own port may be TLS or not, whatever the data nodes do).
      ...(target.tls ? { enableTLSForSentinelMode: true } : {}),
      ...(target.sentinelTls ? { sentinelTLS: tlsOptions(target.sentinelTls) } : {}),
      // The sentinels' own AUTH (ioredis' sentinel connections, its +switch-master listener too).
      ...(target.sentinelCredentials
        ? { sentinelUsername: target.sentinelCredentials.username, sentinelPassword: target.sentinelCredentials.password }
        : {}),
      // ioredis asks the sentinels round after round inside one connect, for ever by default, so
      // a gateway no sentinel answers (down, or refusing its AUTH) kept every command queued and
      // its stop waiting. After SENTINEL_ROUNDS the connect fails instead: the ordinary reconnect
      // takes over (asking the sentinels again each time), and maxRetriesPerRequest fails the
      // queued commands as for a dead Redis (SERVICE_UNAVAILABLE), until a sentinel answers.
      sentinelRetryStrategy: (rounds) => (rounds > SENTINEL_ROUNDS ? null : Math.min(rounds * 100, 500)),
      role: 'master',
      // Listen to the sentinels' +switch-master, so a failover moves the connection at once
      // instead of when the old master's socket finally errors.
      failoverDetector: true,
      // A master demoted to replica answers writes with READONLY: reconnect (asking the
      // sentinels for the master again) and resend the command there.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    });
    // What ioredis does for its own Sentinel connector (it does not for one given as `Connector`):
    // the client hears the connector's sentinelReconnecting / failoverSubscribed.
    (client as unknown as { connector: { emitter: unknown } }).connector.emitter = client;
    return { client, isCluster: false };
  }
  // config.ts refuses credentials beside a URL that carries its own, so these never compete.
  return { client: new Redis(target.url, { ...common, enableAutoPipelining }), isCluster: false };
}

/** Node's TLS options for a Redis: the CA when one is named (certificates are always verified). */
function tlsOptions(tls: RedisTls): { ca?: string } {
  return tls.ca ? { ca: tls.ca } : {};
}

/** ioredis' username/password options; absent keys (not undefined ones) when there are none. */
function auth(credentials: RedisCredentials | undefined): Pick<RedisOptions, 'username' | 'password'> {
  if (!credentials) return {};
  return { ...(credentials.username ? { username: credentials.username } : {}), password: credentials.password };
}

/**
 * A connection error as a log line (name and message) should tell it: a cluster that cannot
 * refresh its slots says only "Failed to refresh slots cache." and keeps why (NOAUTH, WRONGPASS,
 * ECONNREFUSED) in `lastNodeError`, so that goes into the message. Redis' replies never quote a
 * password back.
 */
export function withLastNodeError(error: unknown): unknown {
  const last = (error as { lastNodeError?: unknown } | null | undefined)?.lastNodeError;
  if (!(error instanceof Error) || !(last instanceof Error)) return error;
  const described = new Error(`${error.message} Last node error: ${last.message}`);
  described.name = error.name;
  return described;
}

/**
 * Write commands, and with `replicas` > 0 a WAIT for that many replicas right behind each one: in
 * the same round trip, on the same connection (WAIT counts the replicas that acknowledged every
 * write this connection made so far, so the write just sent is among them). In a cluster the
 * pipeline goes to the master of the write's slot. Fewer replicas than asked within `timeoutMs`
 * is a StoreUnavailableError: the write may be lost in a failover, so nothing may acknowledge it.
 */
export function createWriter(client: RedisClient, replicas: number, timeoutMs: number) {
  async function writeAndWait(command: string, args: (string | number)[]): Promise<[Error | null, unknown][]> {
    for (let attempt = 1; ; attempt++) {
      const replies = ((await client.pipeline().call(command, ...args).call('wait', replicas, timeoutMs).exec()) ?? []) as [Error | null, unknown][];
      const refused = replies[0]?.[0];
      // ioredis follows a redirection for a lone command, not for a pipeline with a WAIT in it
      // (WAIT, not read-only, already ran on the wrong node): MOVED means the write did not run,
      // so learn the new slot map and send both again; ASK (a slot being migrated) the same after a
      // pause, until the migration is done with the key or the attempts run out.
      if (!refused || !/^(MOVED|ASK|TRYAGAIN) /.test(refused.message) || attempt >= REDIRECT_ATTEMPTS) return replies;
      if (client instanceof Cluster) await new Promise<void>((resolve) => client.refreshSlotsCache(() => resolve()));
      await new Promise((resolve) => setTimeout(resolve, REDIRECT_PAUSE_MS * attempt));
    }
  }

  return async function write(command: string, ...args: (string | number)[]): Promise<unknown> {
    if (replicas <= 0) return client.call(command, ...args);
    const [written, waited] = await writeAndWait(command, args);
    if (!written || !waited) throw new Error(`${command}: no reply from Redis`);
    if (written[0]) throw written[0];
    if (waited[0]) throw waited[0];
    if (typeof waited[1] !== 'number' || waited[1] < replicas) {
      throw new StoreUnavailableError(`only ${String(waited[1])} of ${replicas} replicas acknowledged the write within ${timeoutMs} ms`);
    }
    return written[1];
  };
}

/** Tries of a write + WAIT that a cluster redirects (MOVED, ASK, TRYAGAIN), and the pause between them. */
const REDIRECT_ATTEMPTS = 5;
const REDIRECT_PAUSE_MS = 50;

export type Write = ReturnType<typeof createWriter>;

/**
 * Readiness: can the store take a write now? A real write to `probeKey` (through `write`, so
 * replicas count too), refused by a replica (READONLY), by a cluster node without the slot
 * (MOVED) or with no master at all. A cluster node behind a plain REDIS_URL is refused outright:
 * writes there only work for the slots that node happens to serve.
 */
export async function probeWrite(client: RedisClient, isCluster: boolean, write: Write, probeKey: string): Promise<void> {
  if (!isCluster) {
    const info = String(await client.call('info', 'cluster'));
    if (/cluster_enabled:1/.test(info)) {
      throw new StoreUnavailableError('REDIS_URL names a Redis Cluster node: configure REDIS_CLUSTER_NODES instead');
    }
  } else {
    const info = String(await client.call('cluster', 'info'));
    if (!/cluster_state:ok/.test(info)) throw new StoreUnavailableError('the Redis Cluster reports cluster_state not ok');
  }
  await write('set', probeKey, String(Date.now()), 'PX', PROBE_TTL_MS);
}

/** The probe key outlives a few readiness checks, then goes away with its instance. */
const PROBE_TTL_MS = 60_000;

/** QUIT (lets replies in flight arrive), or drop the socket if Redis does not answer in time. */
export async function shutdown(connection: RedisClient): Promise<void> {
  if (connection.status === 'end') return;
  const controller = new AbortController();
  const quit = connection.quit().then(
    () => 'quit' as const,
    () => 'failed' as const,
  );
  const timeout = sleep(QUIT_TIMEOUT_MS, 'timeout' as const, { signal: controller.signal, ref: false }).catch(
    () => 'aborted' as const,
  );
  const outcome = await Promise.race([quit, timeout]);
  controller.abort();
  if (outcome !== 'quit') connection.disconnect();
}

/** How long `close` waits for QUIT before dropping the socket (Redis may already be gone). */
const QUIT_TIMEOUT_MS = 1000;
