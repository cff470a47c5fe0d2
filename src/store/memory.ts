import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import { createLogger } from '../log.js';
import { assertSuccessor, changesBetween, historyLimitOf } from './changes.js';
import { compareKeysNewestFirst, DEFAULT_FEED_RETENTION_MS, HistoryExpiredError, keyOf, matches, type Cursor } from './feed.js';
import { carriesProviderOrder, claimProviderOrder, createThenAlong } from './create-along.js';
import { createMemoryFeedLog } from './memory-feed.js';
import { ttlMillis } from './ttl.js';
import {
  ConcurrentUpdateError,
  DuplicateOrderError,
  type ChangeFeed,
  type FeedLog,
  type KeyValueStore,
  type OrderStore,
  type ReconcileSchedule,
  type Store,
  type UpdateResult,
} from './types.js';

export interface MemoryStoreOptions {
  /** The clock TTLs are measured against, epoch ms. Default `Date.now`; tests pass a fake one. */
  now?: () => number;
  /** Changes kept per order for `changesAfter` (the newest ones). Default 1000. */
  historyLimit?: number;
  /** How long the gateway-wide feed keeps a change (FEED_RETENTION_HOURS). Default 7 days. */
  feedRetentionMs?: number;
  /**
   * Told about a change-feed listener that threw; the other listeners and the writer carry on.
   * Default: an `error` line through `createLogger()` (src/log.ts, which scrubs secrets).
   */
  onError?: (error: unknown) => void;
}

/**
 * The store of one gateway process (`npm start` without Redis). Everything is copied with
 * `structuredClone` on the way in and out, so no caller can change stored state by mutating an
 * object it passed or got back, exactly as with Redis where every read is a fresh parse.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  const feed = createFeed(options.onError ?? defaultOnError);
  const log = createMemoryFeedLog(now, options.feedRetentionMs ?? DEFAULT_FEED_RETENTION_MS);
  const { claimEntry, ...orders } = createOrders(feed.publish, historyLimitOf(options.historyLimit), log);
  const kv = createKeyValues(now);
  const schedule = createSchedule();
  // createAlong goes through `create` as the store has it now (a test may wrap it to fail).
  const withAlong: OrderStore = {
    ...orders,
    createAlong: (order, along) =>
      createThenAlong(
        { claim: (next) => claimProviderOrder({ claim: async (...args) => claimEntry(...args), get: (id) => withAlong.get(id) }, next), create: (next) => withAlong.create(next), kv, schedule },
        order,
        along,
      ),
  };
  return {
    orders: withAlong,
    changes: feed,
    feed: log,
    kv,
    schedule,
    async ping() {},
    async close() {
      feed.clear();
    },
  };
}

const defaultLogger = createLogger();
const defaultOnError = (error: unknown) =>
  defaultLogger.log('error', 'memory store: change listener failed', { error });

/** Matches Redis' retry budget; in one process a conflict needs a re-entrant update (see below). */
const MAX_ATTEMPTS = 50;

function createOrders(
  publish: (changes: OrderStatusChange[]) => void,
  historyLimit: number,
  log: FeedLog & { append(change: OrderStatusChange): Cursor; positionNow(): string },
): Omit<OrderStore, 'createAlong'> & { claimEntry(order: Order, replaceable: string): string } {
  // Stored orders and history entries are never mutated, only replaced, so a history entry may
  // share the stored order it was published with.
  const orders = new Map<string, Order>();
  const history = new Map<string, OrderStatusChange[]>();
  const byProviderOrderId = new Map<string, string>();
  const providerKey = (provider: Provider, providerOrderId: string) => `${provider}:${providerOrderId}`;

  function commit(previous: Order | null, stored: Order): OrderStatusChange[] {
    orders.set(stored.id, stored);
    if (stored.providerOrderId !== undefined) {
      byProviderOrderId.set(providerKey(stored.provider, stored.providerOrderId), stored.id);
    }
    // Each change takes its place in the gateway-wide feed in the same step as the write.
    const changes = changesBetween(previous, stored).map((change) => {
      const cursor = log.append(change);
      return { ...change, cursor: `${cursor.ms}-${cursor.seq}` };
    });
    const list = history.get(stored.id) ?? [];
    list.push(...changes);
    if (list.length > historyLimit) list.splice(0, list.length - historyLimit);
    history.set(stored.id, list);
    // Listeners get their own copy (one per commit, shared by its changes, as Redis' subscribers
    // share one parse per message), so they cannot reach into stored state either.
    publish(structuredClone(changes));
    return changes;
  }

  return {
    /** claimProviderOrder's step (create-along.ts), synchronous here. */
    claimEntry(order, replaceable) {
      const key = providerKey(order.provider, order.providerOrderId ?? '');
      const holder = byProviderOrderId.get(key);
      if (holder === undefined || holder === order.id || (replaceable !== '' && holder === replaceable)) byProviderOrderId.set(key, order.id);
      return byProviderOrderId.get(key) ?? order.id;
    },

    async create(order) {
      if (orders.has(order.id)) throw new DuplicateOrderError(order.id);
      const stored: Order = { ...structuredClone(order), version: 1 };
      commit(null, stored);
      return structuredClone(stored);
    },

    async get(id) {
      const order = orders.get(id);
      return order ? structuredClone(order) : null;
    },

    async version(id) {
      return orders.get(id)?.version ?? null;
    },

    async snapshot(id) {
      const order = orders.get(id);
      return { order: order ? structuredClone(order) : null, cursor: log.positionNow() };
    },

    async findByProviderOrderId(provider, providerOrderId) {
      const id = byProviderOrderId.get(providerKey(provider, providerOrderId));
      const order = id === undefined ? undefined : orders.get(id);
      return carriesProviderOrder(order, provider, providerOrderId) ? structuredClone(order) : null;
    },

    async update(id, mutate): Promise<UpdateResult | null> {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const current = orders.get(id);
        if (!current) return null;
        const proposed = mutate(structuredClone(current));
        // mutate is synchronous, but it could still update this order itself (re-entrantly);
        // committing on top of that would lose the inner write, so treat it as a conflict.
        if (orders.get(id) !== current) continue;
        if (proposed === null) return { order: structuredClone(current), changes: [] };
        assertSuccessor(current, proposed);
        const stored: Order = { ...structuredClone(proposed), version: current.version + 1 };
        const changes = commit(current, stored);
        return structuredClone({ order: stored, changes });
      }
      throw new ConcurrentUpdateError(id);
    },

    async changesAfter(id, afterEventId) {
      const list = history.get(id) ?? [];
      const oldest = list[0];
      if (oldest && Number(oldest.eventId) > afterEventId + 1) throw new HistoryExpiredError(`Event ${afterEventId}`);
      return structuredClone(list.filter((change) => Number(change.eventId) > afterEventId));
    },

    // One process, a few thousand orders at most: a scan is the index (sorted on the way out).
    async list(query) {
      const found = [...orders.values()].filter((order) => matches(order, query));
      found.sort((a, b) => compareKeysNewestFirst(keyOf(a), keyOf(b)));
      return structuredClone(found.slice(0, query.limit));
    },
  };
}

type Listener = (change: OrderStatusChange) => void;

function createFeed(onError: (error: unknown) => void) {
  // One entry per subscription, so subscribing the same function twice is two subscriptions.
  const subscriptions = new Set<{ listener: Listener }>();
  const pending: OrderStatusChange[] = [];
  let dispatching = false;

  /**
   * Delivers synchronously after the commit. A listener that commits another write from inside
   * its callback gets that write queued behind the changes still being delivered, so every
   * listener sees all changes in commit order.
   */
  function publish(changes: OrderStatusChange[]): void {
    pending.push(...changes);
    if (dispatching) return;
    dispatching = true;
    try {
      for (let change = pending.shift(); change !== undefined; change = pending.shift()) {
        for (const subscription of subscriptions) {
          try {
            subscription.listener(change);
          } catch (error) {
            report(error);
          }
        }
      }
    } finally {
      dispatching = false;
    }
  }

  function report(error: unknown): void {
    try {
      onError(error);
    } catch {
      // The error reporter itself failed; the writer must still not see a listener's problem.
    }
  }

  const feed: ChangeFeed & { publish: typeof publish; clear(): void } = {
    async subscribe(listener) {
      const subscription = { listener };
      subscriptions.add(subscription);
      return () => {
        subscriptions.delete(subscription);
      };
    },
    publish,
    clear() {
      subscriptions.clear();
    },
  };
  return feed;
}

type Entry =
  | { kind: 'string'; value: string; expiresAt: number | null }
  | { kind: 'list'; values: string[]; expiresAt: number | null };

/** Expired entries nobody reads again are swept after this many writes, keeping memory bounded. */
const SWEEP_EVERY_WRITES = 1000;

function createKeyValues(now: () => number): KeyValueStore {
  const entries = new Map<string, Entry>();
  let writesSinceSweep = 0;

  const expired = (entry: Entry, at: number) => entry.expiresAt !== null && at >= entry.expiresAt;

  /** The entry unless its TTL has run out (then it is dropped, as Redis does lazily too). */
  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && expired(entry, now())) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function write(key: string, entry: Entry): void {
    entries.set(key, entry);
    if (++writesSinceSweep < SWEEP_EVERY_WRITES) return;
    writesSinceSweep = 0;
    const at = now();
    for (const [k, e] of entries) if (expired(e, at)) entries.delete(k);
  }

  // Redis refuses string commands on a list and the reverse; so does this store, so a key mix-up
  // fails in development instead of only in production.
  const wrongType = (key: string, kind: Entry['kind']) =>
    new TypeError(`WRONGTYPE key "${key}" holds a ${kind === 'list' ? 'list' : 'string'} value`);

  function stringValue(key: string): string | null {
    const entry = live(key);
    if (!entry) return null;
    if (entry.kind !== 'string') throw wrongType(key, entry.kind);
    return entry.value;
  }

  return {
    async get(key) {
      return stringValue(key);
    },
    async set(key, value, ttlMs) {
      const expiresAt = ttlMs === undefined ? null : now() + ttlMillis(ttlMs);
      write(key, { kind: 'string', value, expiresAt });
    },
    async setIfAbsent(key, value, ttlMs) {
      const ttl = ttlMillis(ttlMs);
      if (live(key)) return false;
      write(key, { kind: 'string', value, expiresAt: now() + ttl });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async deleteIfEquals(key, expected) {
      if (stringValue(key) !== expected) return false;
      entries.delete(key);
      return true;
    },
    async append(key, value, ttlMs) {
      const expiresAt = now() + ttlMillis(ttlMs);
      const entry = live(key);
      if (entry && entry.kind !== 'list') throw wrongType(key, entry.kind);
      write(key, { kind: 'list', values: [...(entry?.values ?? []), value], expiresAt });
    },
    async takeAll(key) {
      const entry = live(key);
      if (!entry) return [];
      if (entry.kind !== 'list') throw wrongType(key, entry.kind);
      entries.delete(key);
      return entry.values;
    },
    async increment(key, ttlMs) {
      const ttl = ttlMillis(ttlMs);
      const entry = live(key);
      if (entry && entry.kind !== 'string') throw wrongType(key, entry.kind);
      // Redis' INCR refuses a string that is not an integer; so does this store.
      const count = entry ? Number(entry.value) : 0;
      if (!Number.isSafeInteger(count)) throw new TypeError(`ERR value of "${key}" is not an integer`);
      write(key, { kind: 'string', value: String(count + 1), expiresAt: entry?.expiresAt ?? now() + ttl });
      return count + 1;
    },
  };
}

function createSchedule(): ReconcileSchedule {
  const dueAtById = new Map<string, number>();
  // The earliest due time of the asks no read has taken yet (ReconcileSchedule.ask).
  const askedById = new Map<string, number>();
  const finite = (dueAt: number) => {
    if (!Number.isFinite(dueAt)) throw new RangeError(`dueAt must be epoch ms, got ${dueAt}`);
  };
  return {
    async schedule(orderId, dueAt) {
      finite(dueAt);
      dueAtById.set(orderId, Math.min(dueAt, askedById.get(orderId) ?? dueAt));
    },
    async ask(orderId, dueAt) {
      finite(dueAt);
      askedById.set(orderId, Math.min(dueAt, askedById.get(orderId) ?? dueAt));
      dueAtById.set(orderId, Math.min(dueAt, dueAtById.get(orderId) ?? dueAt));
    },
    async takeAsk(orderId) {
      askedById.delete(orderId);
    },
    async unschedule(orderId) {
      dueAtById.delete(orderId);
      askedById.delete(orderId);
    },
    async due(now, limit) {
      const count = Math.floor(limit);
      if (!(count > 0)) return [];
      return [...dueAtById]
        .filter(([, dueAt]) => dueAt <= now)
        // Same order as a Redis sorted set: by score, ties by id.
        .sort(([idA, a], [idB, b]) => a - b || (idA < idB ? -1 : idA > idB ? 1 : 0))
        .slice(0, count)
        .map(([id]) => id);
    },
    async size() {
      return dueAtById.size;
    },
  };
}
