import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import { createLogger } from '../log.js';
import { assertSuccessor, changesBetween, historyLimitOf } from './changes.js';
import { keyLayout, type KeyLayout } from './keys.js';
import { connectRedis, createWriter, probeWrite, withLastNodeError, type HostPort, type RedisClient, type RedisCredentials, type RedisTarget, type Write } from './redis-client.js';
import type { RedisTls } from './redis-tls.js';
import { APPEND, CLAIM_ENTRY, DELETE_IF_EQUALS, INCREMENT, type LuaScript, TAKE_ALL, type Send } from './redis-lua.js';
import { DEFAULT_FEED_RETENTION_MS, HistoryExpiredError } from './feed.js';
import { createRedisFeedLog, indexChanges, listOrders, readPosition } from './redis-feed.js';
import { CREATE_ORDER_ALONG, CREATE_ORDER_FED, UPDATE_ORDER_FED } from './redis-feed-lua.js';
import { carriesProviderOrder, claimProviderOrder, createThenAlong, holdingOrder } from './create-along.js';
import { createOutboxRelay, type CrashPoint, type OutboxRelay, type OutboxWrite } from './redis-outbox.js';
import { ttlMillis } from './ttl.js';
import {
  ConcurrentUpdateError,
  DuplicateOrderError,
  ProviderOrderTakenError,
  type AlongWithCreate,
  type ChangeFeed,
  type CreatedAlong,
  type KeyValueStore,
  type OrderStore,
  type ReconcileSchedule,
  type Store,
} from './types.js';

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

// The key layout, for one Redis and for a cluster alike, is in keys.ts.

/** Attempts `update` makes against concurrent writers before giving up. */
const MAX_UPDATE_ATTEMPTS = 50;
/** Upper bound of the random pause between attempts; grows 2, 4, 8, 16, then stays at 20 ms. */
const MAX_BACKOFF_MS = 20;
/** How long `close` waits for QUIT before dropping the socket (Redis may already be gone). */
const QUIT_TIMEOUT_MS = 1000;

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

/**
 * How order writes reach the feed and the index: in the order's own script ('inline', one Redis /
 * Sentinel), through the bucket's outbox and the relay right after it ('outbox', cluster), or not
 * at all ('none', the benchmark's off switch).
 */
type FeedMode = 'inline' | 'outbox' | 'none';

interface FeedWrite {
  mode: FeedMode;
  /** The trim bound: entries older than the retention go (XADD MINID ~). */
  minId(): string;
  relay: OutboxRelay;
  crashAt(step: CrashPoint): boolean;
}

/**
 * `oneConnection`: every write goes down one connection to one Redis (not a cluster), which runs
 * them in the order sent, so a write sent right behind another without waiting for its reply
 * still runs after it.
 */
function createOrders(
  redis: RedisClient,
  write: Write,
  keys: KeyLayout,
  publish: 'PUBLISH' | 'SPUBLISH',
  historyLimit: number,
  fed: FeedWrite,
  oneConnection: boolean,
  /** Where `createAlong`'s parts go when they cannot be in the order's script. */
  others: { kv: KeyValueStore; schedule: ReconcileSchedule },
  /** ioredis auto-pipelining is on (OrderStore.readsAtTurnEnd). */
  autoPipelining: boolean,
): OrderStore {
  /**
   * Runs the order's script with the feed and index keys when they may share it (one Redis), or
   * with the bucket's outbox (cluster), whose entries it answers for the relay that follows at
   * once (redis-outbox.ts: the relay writes the feed and the index and publishes the changes with
   * their cursors; the sweep relays what a writer that died here left).
   */
  async function writeOrder(
    script: LuaScript,
    previous: Order | null,
    next: Order,
    data: string,
    versions: [string | number, string | number],
    changes: OrderStatusChange[],
    along?: { along: AlongWithCreate; replaceable: string },
  ): Promise<unknown> {
    const { add, remove } = indexChanges(keys, previous, next);
    const score = Date.parse(next.createdAt);
    const pairs = changes.flatMap((change) => [change.eventId, JSON.stringify(change)]);
    const bucket = keys.orderBucket(next.id);
    const extraKeys = fed.mode === 'inline' ? [keys.feed(), ...add, ...remove] : fed.mode === 'outbox' ? [keys.outbox(bucket)] : [];
    const outboxWrite: OutboxWrite = { o: next.id, s: score, a: add, r: remove, e: changes.map((change) => change.eventId) };
    const args = [
      fed.mode, fed.mode === 'outbox' ? '' : publish, keys.channel(next.id), historyLimit, randomUUID(), data, next.id, score, fed.minId(),
      add.length, remove.length, fed.mode === 'outbox' ? JSON.stringify(outboxWrite) : '', ...versions, ...pairs,
    ];
    if (along) {
      // CREATE_ORDER_ALONG ('inline' only): its reply is the caller's to read.
      const { take, forget, scheduleAt } = along.along;
      const indexKeys = next.providerOrderId === undefined ? [] : [keys.providerOrder(next.provider, next.providerOrderId)];
      const alongKeys = [keys.schedule(next.id), ...take.map(keys.kv), ...forget.map(keys.kv), ...indexKeys];
      const spec = `${scheduleAt === null ? '-' : Math.round(scheduleAt)} ${take.length} ${forget.length} ${indexKeys.length}`;
      return script.run(write, [keys.order(next.id), keys.orderChanges(next.id), ...extraKeys, ...alongKeys], [...args, along.replaceable, spec]);
    }
    const reply = await script.run(write, [keys.order(next.id), keys.orderChanges(next.id), ...extraKeys], args);
    if (!Array.isArray(reply)) return reply;
    // 'outbox': stored with its outbox entry; relay it (and whatever else waits in the bucket) now.
    if (fed.crashAt('before-relay')) throw new Error('crashAt before-relay: the write stopped before its relay');
    const own = typeof reply[2] === 'string' ? { id: reply[2], write: outboxWrite, changes: changes.map((change) => JSON.stringify(change)) } : undefined;
    await fed.relay.drain(bucket, reply[1], own);
    return reply[0];
  }

  /**
   * The provider's id of an order is indexed before the write that introduces it: the index lives
   * in another slot than the order (keys.ts), so it cannot be in the order's script. Written first,
   * a crash in between leaves an entry naming an order that does not carry that id yet, which
   * findByProviderOrderId ignores; written after, it could leave an order nobody finds by it.
   */
  async function index(previous: Order | null, next: Order): Promise<void> {
    const providerOrderId = next.providerOrderId;
    if (providerOrderId === undefined || providerOrderId === previous?.providerOrderId) return;
    await write('set', keys.providerOrder(next.provider, providerOrderId), next.id);
  }

  /**
   * The index entry, then the order's write. On one connection both are sent at once (one round
   * trip) and still run in that order; what would refuse the entry (a replica, no memory left, a
   * lost connection, whose commands ioredis resends in order) refuses the script behind it too.
   * In a cluster they may go to two nodes: the order's write waits for the entry's reply.
   */
  async function indexThenWrite(previous: Order | null, next: Order, writing: () => Promise<unknown>): Promise<unknown> {
    if (!oneConnection) {
      await index(previous, next);
      return writing();
    }
    const [indexed, written] = await Promise.allSettled([index(previous, next), writing()]);
    if (indexed.status === 'rejected') throw indexed.reason;
    if (written.status === 'rejected') throw written.reason;
    return written.value;
  }

  async function get(id: string): Promise<Order | null> {
    const data = await redis.hget(keys.order(id), 'data');
    return data === null ? null : parseOrder(data);
  }

  async function version(id: string): Promise<number | null> {
    const value = await redis.hget(keys.order(id), 'version');
    return value === null ? null : Number(value);
  }

  /** One script with the order on one Redis; in a cluster the position first, then the order (types.ts). */
  async function snapshot(id: string): Promise<{ order: Order | null; cursor: string }> {
    if (fed.mode === 'outbox') {
      const { cursor } = await readPosition(redis, keys);
      return { order: await get(id), cursor };
    }
    const { cursor, data } = await readPosition(redis, keys, keys.order(id));
    return { order: data === null ? null : parseOrder(data), cursor };
  }

  /** A new order (version 1); DuplicateOrderError when the id exists. */
  async function create(order: Order): Promise<Order> {
    return createIndexed(order, true);
  }

  /** `create`; its provider-order index entry set first (`indexed`), or already claimed (createAlong in a cluster). */
  async function createIndexed(order: Order, indexed: boolean): Promise<Order> {
    const data = JSON.stringify({ ...order, version: 1 });
    const stored = parseOrder(data);
    const writing = () => writeOrder(CREATE_ORDER_FED, null, stored, data, [0, 0], changesBetween(null, stored));
    const reply = await (indexed ? indexThenWrite(null, stored, writing) : writing());
    if (reply === 0) throw new DuplicateOrderError(stored.id);
    return stored;
  }

  /** claimProviderOrder's step (create-along.ts): one script on the entry's slot. */
  async function claimEntry(order: Order, replaceable: string): Promise<string> {
    const reply = await CLAIM_ENTRY.run(write, [keys.providerOrder(order.provider, order.providerOrderId ?? '')], [order.id, replaceable]);
    return String(reply);
  }

  /**
   * createAlong on one Redis: CREATE_ORDER_ALONG writes the provider-order index entry in the
   * order's own step, refusing one that names another order. Such an entry may be stale (a crash
   * between an entry and its order's write, an order whose provider id changed): the order it
   * names is read (and waited for, when not stored yet: create-along.ts holdingOrder), and only
   * when that order does not carry the provider order is the entry taken over, and only from that
   * holder (the script compares).
   */
  async function createAlongInline(order: Order, along: AlongWithCreate): Promise<CreatedAlong> {
    const data = JSON.stringify({ ...order, version: 1 });
    const stored = parseOrder(data);
    let replaceable = '';
    for (let attempt = 1; ; attempt++) {
      const reply = await writeOrder(CREATE_ORDER_ALONG, null, stored, data, [0, 0], changesBetween(null, stored), { along, replaceable });
      if (reply === 0) throw new DuplicateOrderError(stored.id);
      if (Array.isArray(reply) && reply[0] === 2) {
        // An entry set apart from its order's write (`create`, `update`) may be one round trip ahead of it.
        const holder = await holdingOrder(get, String(reply[1]), stored);
        if (holder !== null) throw new ProviderOrderTakenError(holder);
        // Another stale holder each time would be entries changing under us: give up, as a store error.
        if (attempt >= 3) throw new Error(`the provider-order index entry of order ${stored.id} kept changing`);
        replaceable = String(reply[1]);
        continue;
      }
      const taken = Array.isArray(reply) && Array.isArray(reply[1]) ? (reply[1] as unknown[]).map((list) => (Array.isArray(list) ? list.map(String) : [])) : [];
      // 1: this very write had run before (a resend after a lost reply); its takes went to that first reply.
      return { order: stored, taken: along.take.map((_, index) => taken[index] ?? []) };
    }
  }

  async function findByProviderOrderId(provider: Provider, providerOrderId: string): Promise<Order | null> {
    const id = await redis.get(keys.providerOrder(provider, providerOrderId));
    const order = id === null ? null : await get(id);
    return carriesProviderOrder(order, provider, providerOrderId) ? order : null;
  }

  return {
    create,
    readsAtTurnEnd: autoPipelining,

    async createAlong(order, along) {
      // The feed and index keys share the script only on one Redis ('inline'); elsewhere the parts follow the write.
      if (fed.mode !== 'inline') {
        const claim = (next: Order) => claimProviderOrder({ claim: claimEntry, get }, next);
        return createThenAlong({ claim, create: (next) => createIndexed(next, false), ...others }, order, along);
      }
      return createAlongInline(order, along);
    },

    get,
    version,
    snapshot,
    findByProviderOrderId,

    async update(id, mutate) {
      for (let attempt = 1; ; attempt++) {
        const [version, data] = await redis.hmget(keys.order(id), 'version', 'data');
        if (version == null || data == null) return null;
        const current = parseOrder(data);
        // mutate gets its own parse: it may modify its argument, `current` must stay as read.
        const proposed = mutate(parseOrder(data));
        if (proposed === null) return { order: current, changes: [] };
        assertSuccessor(current, proposed);

        const nextVersion = Number(version) + 1;
        const nextData = JSON.stringify({ ...proposed, version: nextVersion });
        const next = parseOrder(nextData);
        const changes = changesBetween(current, next);
        const outcome = await indexThenWrite(current, next, () => writeOrder(UPDATE_ORDER_FED, current, next, nextData, [version, nextVersion], changes));
        // `changes` as returned carry no cursor (Redis assigns it inside the script); the
        // published copies and the history do.
        if (outcome === 1) return { order: next, changes };
        if (outcome === -1) return null;
        // Another writer got there first: read again and let mutate decide again.
        if (attempt >= MAX_UPDATE_ATTEMPTS) throw new ConcurrentUpdateError(id);
        // Random pause so writers that collided do not collide again in lockstep.
        await sleep(Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS));
      }
    },

    async changesAfter(id, afterEventId) {
      const entries = await redis.lrange(keys.orderChanges(id), 0, -1);
      // Event ids increase along the list, so walk back from the newest and stop at the first
      // one already seen: a resuming subscriber usually needs only the last few.
      const later: OrderStatusChange[] = [];
      let reached = false;
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i];
        if (entry === undefined) break;
        const change = parseChange(entry);
        if (Number(change.eventId) <= afterEventId + 1) reached = true;
        if (Number(change.eventId) <= afterEventId) break;
        later.push(change);
      }
      // The oldest kept change is later than the one after `afterEventId`: LTRIM dropped some.
      if (entries.length && !reached) throw new HistoryExpiredError(`Event ${afterEventId}`);
      return later.reverse();
    },

    list: (query) => listOrders(redis, keys, query, (ids) => Promise.all(ids.map(get))),
  };
}

type Listener = (change: OrderStatusChange) => void;

/**
 * One subscription per store, opened on the first `subscribe` and fanning each message out to
 * the local listeners. On one Redis (or behind Sentinel) a duplicate connection SUBSCRIBEs to the
 * one change channel (a subscribed connection can do nothing else). In a cluster the client's own
 * sharded subscribers (one connection per master, redis-client.ts) SSUBSCRIBE to every order
 * bucket's channel, each on the master of its slot, so a change crosses no cluster bus.
 *
 * Redis pub/sub does not buffer: a change published while the subscriber is reconnecting is not
 * delivered. Consumers that must not miss one resume from `changesAfter` with the last eventId
 * they saw.
 */
function createFeed(redis: RedisClient, sharded: boolean, channels: string[], onError: (error: unknown) => void) {
  // One entry per subscription, so subscribing the same function twice is two subscriptions.
  const subscriptions = new Set<{ listener: Listener }>();
  const wanted = new Set(channels);
  let subscriber: RedisClient | null = null;
  let closed = false;

  function deliver(from: string, message: string): void {
    if (!wanted.has(from)) return;
    let change: OrderStatusChange;
    try {
      change = parseChange(message);
    } catch (error) {
      onError(error);
      return;
    }
    for (const subscription of subscriptions) {
      try {
        subscription.listener(change);
      } catch (error) {
        onError(error);
      }
    }
  }

  function connection(): RedisClient {
    if (!subscriber) {
      if (sharded) {
        subscriber = redis;
        subscriber.on('smessage', deliver);
      } else {
        subscriber = (redis as Redis).duplicate();
        subscriber.on('error', onError);
        subscriber.on('message', deliver);
      }
    }
    return subscriber;
  }

  const feed: ChangeFeed & { close(): Promise<void> } = {
    async subscribe(listener) {
      if (closed) throw new Error('The store is closed');
      const subscription = { listener };
      subscriptions.add(subscription);
      try {
        // (S)SUBSCRIBE again on every call, not only the first: it is idempotent, and its reply
        // proves the subscription is live on the current connection, also while one is being
        // re-established. A sharded channel per call: SSUBSCRIBE takes channels of one slot only.
        const client = connection();
        if (sharded) await Promise.all(channels.map((channel) => (client as Cluster).ssubscribe(channel)));
        else await (client as Redis).subscribe(...channels);
      } catch (error) {
        subscriptions.delete(subscription);
        throw error;
      }
      return () => {
        subscriptions.delete(subscription);
      };
    },
    async close() {
      closed = true;
      subscriptions.clear();
      // The cluster's sharded subscribers end with the cluster client itself.
      if (subscriber && subscriber !== redis) await shutdown(subscriber);
    },
  };
  return feed;
}

function createKeyValues(redis: RedisClient, write: Write, keys: KeyLayout): KeyValueStore {
  const key = keys.kv;
  // Counters are not worth a WAIT (see RedisStoreOptions.waitReplicas): sent as they are.
  const send: Send = (command, ...args) => redis.call(command, ...args);
  return {
    get: (name) => redis.get(key(name)),
    async set(name, value, ttlMs) {
      if (ttlMs === undefined) await write('set', key(name), value);
      else await write('set', key(name), value, 'PX', ttlMillis(ttlMs));
    },
    async setIfAbsent(name, value, ttlMs) {
      return (await write('set', key(name), value, 'PX', ttlMillis(ttlMs), 'NX')) === 'OK';
    },
    async delete(name) {
      await write('del', key(name));
    },
    async deleteIfEquals(name, expected) {
      return (await DELETE_IF_EQUALS.run(write, [key(name)], [expected])) === 1;
    },
    async append(name, value, ttlMs) {
      await APPEND.run(write, [key(name)], [value, ttlMillis(ttlMs)]);
    },
    async takeAll(name) {
      const values = await TAKE_ALL.run(write, [key(name)], []);
      if (!Array.isArray(values) || !values.every((value): value is string => typeof value === 'string')) {
        throw new Error(`takeAll(${name}): unexpected reply from Redis`);
      }
      return values;
    },
    async increment(name, ttlMs) {
      const count = await INCREMENT.run(send, [key(name)], [ttlMillis(ttlMs)]);
      if (typeof count !== 'number') throw new Error(`increment(${name}): unexpected reply from Redis`);
      return count;
    },
  };
}

/**
 * The schedule is SCHEDULE_BUCKETS sorted sets (keys.ts), an order's entry in the bucket of its
 * id. `due` asks every bucket for its earliest `limit` and merges them, so the answer is the same
 * as from one sorted set: earliest first, ties by id.
 */
function createSchedule(redis: RedisClient, write: Write, keys: KeyLayout): ReconcileSchedule {
  const buckets = keys.scheduleBuckets();
  return {
    async schedule(orderId, dueAt) {
      if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
      await write('zadd', keys.schedule(orderId), dueAt, orderId);
    },
    async scheduleBy(orderId, dueAt) {
      if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
      // Not ZADD LT (Redis >= 6.2 only). Read then write: a poller that moves the entry in between
      // moves it to its next interval, no earlier than this, so the worst case is today's.
      const current = await redis.zscore(keys.schedule(orderId), orderId);
      if (current === null || dueAt < Number(current)) await write('zadd', keys.schedule(orderId), dueAt, orderId);
    },
    async unschedule(orderId) {
      await write('zrem', keys.schedule(orderId), orderId);
    },
    async due(now, limit) {
      const count = Math.floor(limit);
      if (!(count > 0)) return [];
      const replies = await Promise.all(buckets.map((key) => redis.zrangebyscore(key, '-inf', now, 'WITHSCORES', 'LIMIT', 0, count)));
      const entries: { id: string; dueAt: number }[] = [];
      for (const reply of replies) {
        for (let i = 0; i + 1 < reply.length; i += 2) entries.push({ id: reply[i]!, dueAt: Number(reply[i + 1]) });
      }
      entries.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return entries.slice(0, count).map((entry) => entry.id);
    },
    async size() {
      const sizes = await Promise.all(buckets.map((key) => redis.zcard(key)));
      return sizes.reduce((sum, size) => sum + size, 0);
    },
  };
}

/** QUIT (lets replies in flight arrive), or drop the socket if Redis does not answer in time. */
async function shutdown(connection: RedisClient): Promise<void> {
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

const defaultLogger = createLogger();
const defaultOnError = (error: unknown) => defaultLogger.log('error', 'redis store', { error });

// Our own JSON, written by this module: parsed without re-validating every field.
const parseOrder = (data: string): Order => JSON.parse(data) as Order;
const parseChange = (data: string): OrderStatusChange => JSON.parse(data) as OrderStatusChange;
