import { randomUUID } from 'node:crypto';
import { createLogger } from '../log.js';
import { historyLimitOf } from './changes.js';
import { keyLayout } from './keys.js';
import { connectRedis, createWriter, probeWrite, shutdown, withLastNodeError, type HostPort, type RedisCredentials, type RedisTarget } from './redis-client.js';
import type { RedisTls } from './redis-tls.js';
import { DEFAULT_FEED_RETENTION_MS } from './feed.js';
import { createRedisFeedLog } from './redis-feed.js';
import { createOutboxRelay, type CrashPoint } from './redis-outbox.js';
import { createOrders, type FeedMode, type FeedWrite } from './redis-orders.js';
import { createFeed } from './redis-change-feed.js';
import { createKeyValues } from './redis-key-values.js';
import { createSchedule } from './redis-schedule.js';
import type { Store } from './types.js';

export interface RedisStoreOptions {
  /**
   * Where the Redis all gateway instances share is; exactly one of `url`, `clusterNodes`,
   * `sentinels` (with `sentinelName`). `url`: `redis://[user:password@]host:port[/db]`.
   */
  url?: string;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); ioredis finds the others. */
  clusterNodes?: HostPort[];
  /** Sentinels watching the master named `sentinelName` (REDIS_SENTINELS, REDIS_SENTINEL_NAME). */
  sentinels?: HostPort[];
  sentinelName?: string;
  /**
   * AUTH on the data nodes, whichever the target (REDIS_USERNAME, REDIS_PASSWORD): every node of a
   * cluster, the master behind Sentinel, the `url`'s server (whose URL then carries none).
   */
  credentials?: RedisCredentials;
  /** AUTH on the sentinels themselves (REDIS_SENTINEL_USERNAME, REDIS_SENTINEL_PASSWORD); only with `sentinels`. */
  sentinelCredentials?: RedisCredentials;
  /** TLS to the data nodes, whichever the target (REDIS_TLS, REDIS_TLS_CA_FILE; a rediss:// url is TLS by itself). */
  tls?: RedisTls;
  /** TLS to the sentinels themselves (REDIS_SENTINEL_TLS); only with `sentinels`. */
  sentinelTls?: RedisTls;
  /**
   * Replicas that must hold a write before it resolves (REDIS_WAIT_REPLICAS): a WAIT behind every
   * write that acknowledges something (orders, their history, idempotency keys, parked callbacks,
   * the schedule, leases), not behind rate-limit counters, whose loss lets a few requests more
   * through at worst. Default 0 (no WAIT).
   */
  waitReplicas?: number;
  /** How long a WAIT may take before the write is reported as not safe (StoreUnavailableError). Default 1000. */
  waitTimeoutMs?: number;
  /** This gateway instance's name in the readiness probe's key. Default a random UUID. */
  instanceId?: string;
  /**
   * Prepended to every key and to the change channels, so several gateways (or test runs) can
   * share one Redis without seeing each other. No `{` or `}` in it (keys.ts). Default `'gw:'`.
   */
  keyPrefix?: string;
  /**
   * The clock the feed's retention is measured against (its trim bound and HISTORY_EXPIRED, the
   * same clock for both so they agree); other keys expire on Redis' own clock. Default `Date.now`.
   */
  now?: () => number;
  /** How long the gateway-wide feed keeps a change (FEED_RETENTION_HOURS). Default 7 days. */
  feedRetentionMs?: number;
  /** Changes kept per order for `changesAfter` (LTRIM to the newest ones). Default 1000. */
  historyLimit?: number;
  /**
   * Told about connection errors (one per failed reconnect while Redis is down), feed messages
   * that do not parse, and feed listeners that threw. None of them stops the store.
   * Default: an `error` line through `createLogger()` (src/log.ts, which scrubs secrets).
   */
  onError?: (error: unknown) => void;
  /**
   * ioredis auto-pipelining: commands issued in the same event-loop tick (the HGETs of many
   * concurrent `order(id)` reads) go to Redis in one write. Replies and their order are the same.
   * Default false (ioredis' default); the gateway turns it on (REDIS_AUTO_PIPELINING).
   */
  autoPipelining?: boolean;
  /**
   * Cluster: how often one instance of the fleet (a lease) relays what writers that died between
   * an order's write and its relay left in the outboxes (redis-outbox.ts); a sweep reads the 1024
   * outboxes. 0 turns the sweep off in this instance. Default 30 000 ms.
   */
  outboxSweepMs?: number;
  /**
   * The gateway-wide feed and the order index. Default true. False only to measure what they cost
   * (`npm run bench`, FEED_AND_INDEX=0): orders are then in neither, so `orders(filter)` and
   * `orderUpdates` miss them, and changes are published without a cursor.
   */
  feedAndIndex?: boolean;
  /**
   * Tests only: asked at each step of a cluster order write's relay; true makes the write stop
   * there, failing as an instance that died at that point would: 'before-relay' right after the
   * order's script (only the sweep can relay it), 'before-publish' right after the relay script
   * (the change is in the feed, its outbox entry is left, nothing is published). Default: never.
   */
  crashAt?: (step: CrashPoint) => boolean;
}

// The key layout, for one Redis and for a cluster alike, is in keys.ts. The parts assembled here:
// redis-orders.ts, redis-change-feed.ts, redis-feed.ts, redis-key-values.ts, redis-schedule.ts.

/**
 * The store shared by all gateway instances. Each order write is one Lua script that checks the
 * version read before (optimistic concurrency), writes the order, appends its changes to the
 * order's history and PUBLISHes them: atomically, so a crash never separates a write from its
 * changes.
 */
export function createRedisStore(options: RedisStoreOptions): Store {
  // Validated before a connection exists, so a bad option leaks no socket.
  const historyLimit = historyLimitOf(options.historyLimit);
  const prefix = options.keyPrefix ?? 'gw:';
  const report = options.onError ?? defaultOnError;
  const onError = (error: unknown) => {
    try {
      report(error);
    } catch {
      // A failing reporter must not break the writer, the feed or ioredis' event loop.
    }
  };
  // A brace in the prefix would become the hash tag of every key (keys.ts): all in one slot.
  if (/[{}]/.test(prefix)) throw new RangeError('keyPrefix must not contain { or }');
  const target = targetOf(options);
  const waitReplicas = options.waitReplicas ?? 0;
  if (!Number.isSafeInteger(waitReplicas) || waitReplicas < 0) throw new RangeError(`waitReplicas must be a whole number >= 0, got ${waitReplicas}`);
  const { client: redis, isCluster } = connectRedis(target, options.autoPipelining ?? false);
  redis.on('error', (error: unknown) => onError(withLastNodeError(error)));

  const keys = keyLayout(prefix, isCluster);
  const write = createWriter(redis, waitReplicas, options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS);
  const feed = createFeed(redis, isCluster, keys.channels(), onError);
  const probeKey = keys.health(options.instanceId ?? randomUUID());
  let closing: Promise<void> | null = null;
  const now = options.now ?? Date.now;
  const retentionMs = options.feedRetentionMs ?? DEFAULT_FEED_RETENTION_MS;
  const minId = () => String(Math.max(0, Math.floor(now() - retentionMs)));
  const publish = isCluster ? 'SPUBLISH' : 'PUBLISH';
  const mode: FeedMode = options.feedAndIndex === false ? 'none' : isCluster ? 'outbox' : 'inline';
  const crashAt = options.crashAt ?? (() => false);
  const relay = createOutboxRelay(redis, write, keys, publish, minId, crashAt);
  const sweepMs = options.outboxSweepMs ?? DEFAULT_OUTBOX_SWEEP_MS;
  const stopSweep = mode === 'outbox' && sweepMs > 0 ? relay.start(sweepMs, onError) : () => undefined;
  const fed: FeedWrite = { mode, minId, relay, crashAt };

  const kv = createKeyValues(redis, write, keys);
  const schedule = createSchedule(redis, write, keys);
  return {
    orders: createOrders(redis, write, keys, publish, historyLimit, fed, !isCluster, { kv, schedule }, options.autoPipelining ?? false),
    changes: feed,
    // In a cluster, changes of different buckets are published on different shards' channels.
    feed: createRedisFeedLog(redis, keys, retentionMs, now, !isCluster),
    kv,
    schedule,
    ping: () => probeWrite(redis, isCluster, write, probeKey),
    close() {
      stopSweep();
      closing ??= Promise.all([feed.close(), shutdown(redis)]).then(() => undefined);
      return closing;
    },
  };
}

const DEFAULT_WAIT_TIMEOUT_MS = 1000;
const DEFAULT_OUTBOX_SWEEP_MS = 30_000;

/** The one target the options name (config.ts has told the operator about every other mix). */
function targetOf(options: RedisStoreOptions): RedisTarget {
  const given = [options.url, options.clusterNodes, options.sentinels].filter((value) => value !== undefined).length;
  if (given !== 1) throw new Error('createRedisStore needs exactly one of url, clusterNodes, sentinels');
  const common = { ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.tls ? { tls: options.tls } : {}) };
  if (options.sentinelCredentials && !options.sentinels) throw new Error('createRedisStore: sentinelCredentials need sentinels');
  if (options.sentinelTls && !options.sentinels) throw new Error('createRedisStore: sentinelTls needs sentinels');
  if (options.clusterNodes) return { clusterNodes: options.clusterNodes, ...common };
  if (options.sentinels) {
    if (!options.sentinelName) throw new Error('createRedisStore: sentinels need sentinelName');
    return {
      sentinels: options.sentinels,
      sentinelName: options.sentinelName,
      ...common,
      ...(options.sentinelCredentials ? { sentinelCredentials: options.sentinelCredentials } : {}),
      ...(options.sentinelTls ? { sentinelTls: options.sentinelTls } : {}),
    };
  }
  return { url: options.url!, ...common };
}

const defaultLogger = createLogger();
const defaultOnError = (error: unknown) => defaultLogger.log('error', 'redis store', { error });
