import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import { createLogger } from '../log.js';
import { assertSuccessor, changesBetween, historyLimitOf } from './changes.js';
import { APPEND, CREATE_ORDER, DELETE_IF_EQUALS, INCREMENT, TAKE_ALL, UPDATE_ORDER } from './redis-lua.js';
import { ttlMillis } from './ttl.js';
import {
  ConcurrentUpdateError,
  DuplicateOrderError,
  type ChangeFeed,
  type KeyValueStore,
  type OrderStore,
  type ReconcileSchedule,
  type Store,
} from './types.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` of the Redis all gateway instances share. */
  url: string;
  /**
   * Prepended to every key and to the change channel, so several gateways (or test runs) can
   * share one Redis without seeing each other. Default `'gw:'`.
   */
  keyPrefix?: string;
  /**
   * Accepted so both stores take the same options; unused here: Redis expires keys on its own
   * clock. Default `Date.now`.
   */
  now?: () => number;
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
}

/*
 * Key layout (P = keyPrefix):
 *   P order:{id}                                 hash: version, data (order JSON), write (see redis-lua.ts)
 *   P order:{id}:changes                         list: change JSON, oldest first, newest `historyLimit` kept
 *   P provider-order:{provider}:{providerOrderId} string: order id
 *   P kv:{key}                                   KeyValueStore strings and lists (own namespace: a kv key
 *                                                 can never clash with an order key)
 *   P reconcile                                  sorted set: order id scored by due time (epoch ms)
 *   channel P changes                            every change, as JSON
 */

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
  const redis = new Redis(options.url, {
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
    // SUBSCRIBE is never auto-pipelined by ioredis, so the feed's duplicate() may inherit this.
    enableAutoPipelining: options.autoPipelining ?? false,
  });
  redis.on('error', onError);

  const channel = `${prefix}changes`;
  const feed = createFeed(redis, channel, onError);
  let closing: Promise<void> | null = null;

  return {
    orders: createOrders(redis, prefix, channel, historyLimit),
    changes: feed,
    kv: createKeyValues(redis, `${prefix}kv:`),
    schedule: createSchedule(redis, `${prefix}reconcile`),
    async ping() {
      await redis.ping();
    },
    close() {
      closing ??= Promise.all([feed.close(), shutdown(redis)]).then(() => undefined);
      return closing;
    },
  };
}

function createOrders(redis: Redis, prefix: string, channel: string, historyLimit: number): OrderStore {
  const orderKey = (id: string) => `${prefix}order:${id}`;
  const changesKey = (id: string) => `${prefix}order:${id}:changes`;
  const providerKey = (provider: Provider, providerOrderId: string) =>
    `${prefix}provider-order:${provider}:${providerOrderId}`;

  /** Keys of a write; the provider index only when the write sets a new providerOrderId. */
  function writeKeys(previous: Order | null, next: Order): string[] {
    const keys = [orderKey(next.id), changesKey(next.id)];
    const providerOrderId = next.providerOrderId;
    if (providerOrderId !== undefined && providerOrderId !== previous?.providerOrderId) {
      keys.push(providerKey(next.provider, providerOrderId));
    }
    return keys;
  }

  async function get(id: string): Promise<Order | null> {
    const data = await redis.hget(orderKey(id), 'data');
    return data === null ? null : parseOrder(data);
  }

  async function version(id: string): Promise<number | null> {
    const value = await redis.hget(orderKey(id), 'version');
    return value === null ? null : Number(value);
  }

  return {
    async create(order) {
      const data = JSON.stringify({ ...order, version: 1 });
      const stored = parseOrder(data);
      const changes = changesBetween(null, stored);
      const outcome = await CREATE_ORDER.run(redis, writeKeys(null, stored), [
        stored.id,
        data,
        randomUUID(),
        channel,
        historyLimit,
        ...changes.map((change) => JSON.stringify(change)),
      ]);
      if (outcome === 0) throw new DuplicateOrderError(stored.id);
      return stored;
    },

    get,
    version,

    async findByProviderOrderId(provider, providerOrderId) {
      const id = await redis.get(providerKey(provider, providerOrderId));
      const order = id === null ? null : await get(id);
      // The index is not cleaned when an order's providerOrderId changes; the order decides.
      if (!order || order.provider !== provider || order.providerOrderId !== providerOrderId) return null;
      return order;
    },

    async update(id, mutate) {
      for (let attempt = 1; ; attempt++) {
        const [version, data] = await redis.hmget(orderKey(id), 'version', 'data');
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
        const outcome = await UPDATE_ORDER.run(redis, writeKeys(current, next), [
          id,
          version,
          nextVersion,
          nextData,
          randomUUID(),
          channel,
          historyLimit,
          ...changes.map((change) => JSON.stringify(change)),
        ]);
        if (outcome === 1) return { order: next, changes };
        if (outcome === -1) return null;
        // Another writer got there first: read again and let mutate decide again.
        if (attempt >= MAX_UPDATE_ATTEMPTS) throw new ConcurrentUpdateError(id);
        // Random pause so writers that collided do not collide again in lockstep.
        await sleep(Math.random() * Math.min(2 ** attempt, MAX_BACKOFF_MS));
      }
    },

    async changesAfter(id, afterEventId) {
      const entries = await redis.lrange(changesKey(id), 0, -1);
      // Event ids increase along the list, so walk back from the newest and stop at the first
      // one already seen: a resuming subscriber usually needs only the last few.
      const later: OrderStatusChange[] = [];
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i];
        if (entry === undefined) break;
        const change = parseChange(entry);
        if (Number(change.eventId) <= afterEventId) break;
        later.push(change);
      }
      return later.reverse();
    },
  };
}

type Listener = (change: OrderStatusChange) => void;

/**
 * One subscriber connection per store (a subscribed Redis connection can do nothing else),
 * opened on the first `subscribe` and fanning each message out to the local listeners.
 *
 * Redis pub/sub does not buffer: a change published while the subscriber is reconnecting is not
 * delivered. Consumers that must not miss one resume from `changesAfter` with the last eventId
 * they saw.
 */
function createFeed(redis: Redis, channel: string, onError: (error: unknown) => void) {
  // One entry per subscription, so subscribing the same function twice is two subscriptions.
  const subscriptions = new Set<{ listener: Listener }>();
  let subscriber: Redis | null = null;
  let closed = false;

  function deliver(from: string, message: string): void {
    if (from !== channel) return;
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

  function connection(): Redis {
    if (!subscriber) {
      subscriber = redis.duplicate();
      subscriber.on('error', onError);
      subscriber.on('message', deliver);
    }
    return subscriber;
  }

  const feed: ChangeFeed & { close(): Promise<void> } = {
    async subscribe(listener) {
      if (closed) throw new Error('The store is closed');
      const subscription = { listener };
      subscriptions.add(subscription);
      try {
        // SUBSCRIBE again on every call, not only the first: it is idempotent, and its reply proves
        // the subscription is live on the current connection, also while one is being re-established.
        await connection().subscribe(channel);
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
      if (subscriber) await shutdown(subscriber);
    },
  };
  return feed;
}

function createKeyValues(redis: Redis, prefix: string): KeyValueStore {
  const key = (name: string) => prefix + name;
  return {
    get: (name) => redis.get(key(name)),
    async set(name, value, ttlMs) {
      if (ttlMs === undefined) await redis.set(key(name), value);
      else await redis.set(key(name), value, 'PX', ttlMillis(ttlMs));
    },
    async setIfAbsent(name, value, ttlMs) {
      return (await redis.set(key(name), value, 'PX', ttlMillis(ttlMs), 'NX')) === 'OK';
    },
    async delete(name) {
      await redis.del(key(name));
    },
    async deleteIfEquals(name, expected) {
      return (await DELETE_IF_EQUALS.run(redis, [key(name)], [expected])) === 1;
    },
    async append(name, value, ttlMs) {
      await APPEND.run(redis, [key(name)], [value, ttlMillis(ttlMs)]);
    },
    async takeAll(name) {
      const values = await TAKE_ALL.run(redis, [key(name)], []);
      if (!Array.isArray(values) || !values.every((value): value is string => typeof value === 'string')) {
        throw new Error(`takeAll(${name}): unexpected reply from Redis`);
      }
      return values;
    },
    async increment(name, ttlMs) {
      const count = await INCREMENT.run(redis, [key(name)], [ttlMillis(ttlMs)]);
      if (typeof count !== 'number') throw new Error(`increment(${name}): unexpected reply from Redis`);
      return count;
    },
  };
}

function createSchedule(redis: Redis, key: string): ReconcileSchedule {
  return {
    async schedule(orderId, dueAt) {
      if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
      await redis.zadd(key, dueAt, orderId);
    },
    async unschedule(orderId) {
      await redis.zrem(key, orderId);
    },
    async due(now, limit) {
      const count = Math.floor(limit);
      if (!(count > 0)) return [];
      return redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, count);
    },
    size: () => redis.zcard(key),
  };
}

/** QUIT (lets replies in flight arrive), or drop the socket if Redis does not answer in time. */
async function shutdown(connection: Redis): Promise<void> {
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
