import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import type { OrderQuery } from './feed.js';

/**
 * Where orders, their history and the gateway's small shared state live. Two implementations:
 * `memory.ts` (one process, for `npm start` without Redis) and `redis.ts` (several gateway
 * instances on one Redis). Both pass the same suite in test/store.test.ts.
 */
export interface Store {
  readonly orders: OrderStore;
  readonly changes: ChangeFeed;
  /** The gateway-wide feed's kept history (store/feed.ts): replay after a cursor. */
  readonly feed: FeedLog;
  readonly kv: KeyValueStore;
  readonly schedule: ReconcileSchedule;
  /**
   * Readiness: resolves when the backend can take a write now (with Redis, a real write, so a
   * replica, a cluster node without the slot or a missing master all reject).
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Thrown by `OrderStore.update` when the mutate function keeps losing the race
 * (more than `maxAttempts` concurrent writers in a row).
 */
export class ConcurrentUpdateError extends Error {
  constructor(orderId: string) {
    super(`Order ${orderId} kept changing under a concurrent writer`);
    this.name = 'ConcurrentUpdateError';
  }
}

/**
 * The store cannot take or keep a write now: fewer replicas than REDIS_WAIT_REPLICAS acknowledged
 * it in time, or the backend cannot accept writes at all. Nothing may be acknowledged on it
 * (CONTRACT §3 SERVICE_UNAVAILABLE); the caller retries, with the same idempotency key.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export class DuplicateOrderError extends Error {
  constructor(orderId: string) {
    super(`Order ${orderId} already exists`);
    this.name = 'DuplicateOrderError';
  }
}

/** `createAlong` refused an order whose provider order another stored order (`holder`) already carries. */
export class ProviderOrderTakenError extends Error {
  constructor(readonly holder: Order) {
    super(`Provider order ${holder.provider} ${holder.providerOrderId ?? ''} is already order ${holder.id}'s`);
    this.name = 'ProviderOrderTakenError';
  }
}

/**
 * What storing a just-accepted order does with it (domain/orders/store-accepted.ts). On one Redis
 * or Sentinel it is inside the order's own script: one atomic step, one round trip. In memory and
 * in a cluster (whose keys sit on other slots) it follows right after the order is stored. None of
 * it happens when the order is not stored (a duplicate, a failed write).
 */
export interface AlongWithCreate {
  /** The order's reconciliation schedule entry (epoch ms), or null: none. */
  scheduleAt: number | null;
  /** Key-value lists taken whole (as KeyValueStore.takeAll): the callbacks parked for the order. */
  take: readonly string[];
  /** Key-value entries deleted (as KeyValueStore.delete): the creation's intent. */
  forget: readonly string[];
}

/** What `createAlong` did: the stored order, and what `take` took (a list per key, oldest first). */
export interface CreatedAlong {
  order: Order;
  taken: string[][];
  /**
   * A part of `along` that failed after the order was stored (not in one step with it: memory
   * never, a cluster may); what was taken is in `taken` all the same, so it is not lost.
   */
  alongFailed?: unknown;
}

export interface OrderStore {
  /**
   * Stores a new order (version 1). Every event already in `order.events` is appended to the
   * order's change history and published on the change feed, in the same atomic step.
   * Indexes `providerOrderId` when set. Throws DuplicateOrderError if the id exists.
   */
  create(order: Order): Promise<Order>;

  /**
   * `create`, and `along` with it (AlongWithCreate). Throws as `create` does, with nothing of
   * `along` done; and ProviderOrderTakenError, with nothing written, when another stored order
   * carries `order.providerOrderId` (a stale index entry naming an order that does not carry it
   * is no holder). On one Redis / Sentinel the check is in the write's own atomic step; elsewhere
   * (memory, a cluster, where the index is on another slot) the entry is claimed, set only when
   * free, just before the write (create-along.ts claimProviderOrder). Either way two writes of one
   * provider order at once store one of them; an entry naming an order not stored yet is waited
   * for (IN_FLIGHT_GRACE_MS) before it is taken for stale.
   */
  createAlong(order: Order, along: AlongWithCreate): Promise<CreatedAlong>;

  get(id: string): Promise<Order | null>;

  /**
   * The stored order's `version`, or null when there is none: what a cached answer about the
   * order is checked against (server/read-cache.ts). One small read (Redis: one HGET).
   */
  version(id: string): Promise<number | null>;

  /**
   * True when `version` (and every read) is sent at the end of the current event-loop turn, not
   * when called: ioredis' auto-pipelining (REDIS_AUTO_PIPELINING). Reads asked for in one turn then
   * all see the store as of after that turn's requests arrived, so the read cache may share one.
   */
  readonly readsAtTurnEnd?: boolean;

  /**
   * The order as stored now and the feed position it reflects (feed.ts positionAt): every change
   * of the order up to `cursor` is in it, and every change stored later is after `cursor`, so
   * `FeedLog.after(cursor)` sends nothing the order already shows and misses nothing it does not.
   * Read in one atomic step in memory and on one Redis / Sentinel. In a cluster the position is
   * read first, then the order: nothing is missed, but a change stored meanwhile (or one whose
   * relay was late, redis-outbox.ts) may be both in the order and after the cursor.
   */
  snapshot(id: string): Promise<{ order: Order | null; cursor: string }>;

  /** The order that a provider knows by `providerOrderId`, if the gateway has stored it. */
  findByProviderOrderId(provider: Provider, providerOrderId: string): Promise<Order | null>;

  /**
   * Read-modify-write with optimistic concurrency. `mutate` receives the current order and returns
   * the next one, or null for "no change" (nothing is written). The write succeeds only if nobody
   * wrote the order in between; otherwise `mutate` runs again on the fresh order (so it must be
   * pure), up to a bounded number of attempts, then ConcurrentUpdateError.
   *
   * On success the stored order has `version` + 1 and `updatedAt` as mutate set it; every event in
   * the new `events` beyond the old ones is appended to the change history and published, in the
   * same atomic step as the write (a crash never leaves a write without its changes or the reverse).
   * A `providerOrderId` that appears or changes is indexed.
   *
   * Returns null when the order does not exist; otherwise the stored order and the changes published.
   */
  update(id: string, mutate: (order: Order) => Order | null): Promise<UpdateResult | null>;

  /**
   * The stored changes of one order with eventId greater than `afterEventId`, oldest first.
   * Throws HistoryExpiredError (feed.ts) when the history no longer reaches back to it.
   */
  changesAfter(id: string, afterEventId: number): Promise<OrderStatusChange[]>;

  /**
   * The order index: orders answering `query`, newest first (createdAt, then id, descending), at
   * most `query.limit`. Stable under inserts: a page after `query.after` never repeats or skips an
   * order stored meanwhile. Every order the store holds is in it, whichever provider.
   */
  list(query: OrderQuery): Promise<Order[]>;
}

/**
 * The kept history of the gateway-wide change feed: every change any instance stored, each with
 * its `cursor`, kept `feedRetentionMs` (default 7 days, FEED_RETENTION_HOURS).
 */
export interface FeedLog {
  /**
   * Up to `limit` changes after `cursor`, oldest first (an empty list when caught up). Throws
   * HistoryExpiredError when `cursor` is older than the kept history, RangeError when it is not
   * a cursor at all. Each change carries the order as that change stored it.
   */
  after(cursor: string, limit: number): Promise<OrderStatusChange[]>;
  /** The newest cursor, or null when the feed is empty: where a listener without `after` starts. */
  head(): Promise<string | null>;
  /** The feed's position now (feed.ts positionAt): every change stored later is after it. */
  position(): Promise<string>;
  /** The first cursor after `cursor`, or null when none is: is a live change the next one? */
  firstAfter(cursor: string): Promise<string | null>;
  /**
   * Whether the live feed (ChangeFeed) delivers changes in cursor order: true in memory and on one
   * Redis (one channel, published inside the write); false in a cluster, where changes of
   * different order buckets travel on different shards' channels (order-updates.ts checks them).
   */
  readonly liveInCursorOrder: boolean;
}

export interface UpdateResult {
  order: Order;
  /** Empty when mutate returned null. */
  changes: OrderStatusChange[];
}

/** Every change published by any gateway instance sharing the store, as it happens. */
export interface ChangeFeed {
  /**
   * Calls `listener` for each change published from now on (by this or, with Redis, any other
   * instance), in publish order per order. Resolves once the subscription is live, so a change
   * committed after the promise resolves is never missed. Returns the unsubscribe function.
   * Every change carries its feed `cursor` (store/feed.ts); the read cache and `orderUpdates`
   * may rely on it (a change of an order is a new cursor; cursors increase in commit order).
   */
  subscribe(listener: (change: OrderStatusChange) => void): Promise<() => void>;
}

/** Small shared state: idempotency keys, provider tokens, leases, parked webhooks. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only if absent; true when this call set it. The race-free primitive for claims and leases. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes only if the current value is `expected` (releasing a lease one still holds). */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Appends to a list (kept `ttlMs` from the last append). */
  append(key: string, value: string, ttlMs: number): Promise<void>;
  /** Removes and returns the whole list, atomically, oldest first. */
  takeAll(key: string): Promise<string[]>;
  /**
   * Adds one to a counter and returns the new count, atomically (one round trip with Redis).
   * The first increment (or one finding the counter without a TTL) sets its TTL to `ttlMs`;
   * later ones keep it, so the counter covers a fixed window from its first increment.
   */
  increment(key: string, ttlMs: number): Promise<number>;
}

/** When each order still waiting on its provider is next due for a re-read. */
export interface ReconcileSchedule {
  /**
   * Sets (or moves) the order's next due time, epoch ms; never past an ask no read has taken yet
   * (`ask`), so a reschedule after a read or a fact cannot put off a re-read someone asked for.
   */
  schedule(orderId: string, dueAt: number): Promise<void>;
  /**
   * Someone asked for a re-read (a provider's hint, an outcome to learn): the order is due at
   * `dueAt` at the latest, and stays so through every later `schedule` until a read that starts
   * after this ask takes it (`takeAsk`). A due time already earlier is kept.
   */
  ask(orderId: string, dueAt: number): Promise<void>;
  /**
   * A read of the order is starting: it answers every ask made so far. Asks made after this call
   * stay, so the read's own reschedule leaves the order due for them.
   */
  takeAsk(orderId: string): Promise<void>;
  /** Takes the order off the schedule, with its ask. */
  unschedule(orderId: string): Promise<void>;
  /** Up to `limit` order ids due at or before `now`, earliest first. */
  due(now: number, limit: number): Promise<string[]>;
  /** How many orders are scheduled (the reconciliation backlog). */
  size(): Promise<number>;
}
