import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order, OrderStatusChange, Provider } from '../domain/order.js';
import { assertSuccessor, changesBetween } from './changes.js';
import type { KeyLayout } from './keys.js';
import type { RedisClient, Write } from './redis-client.js';
import { CLAIM_ENTRY, type LuaScript } from './redis-lua.js';
import { HistoryExpiredError } from './feed.js';
import { indexChanges, listOrders, readPosition } from './redis-feed.js';
import { CREATE_ORDER_ALONG, CREATE_ORDER_FED, UPDATE_ORDER_FED } from './redis-feed-lua.js';
import { carriesProviderOrder, claimProviderOrder, createThenAlong, holdingOrder } from './create-along.js';
import type { CrashPoint, OutboxRelay, OutboxWrite } from './redis-outbox.js';
import {
  ConcurrentUpdateError,
  DuplicateOrderError,
  ProviderOrderTakenError,
  type AlongWithCreate,
  type CreatedAlong,
  type KeyValueStore,
  type OrderStore,
  type ReconcileSchedule,
} from './types.js';

/** Attempts `update` makes against concurrent writers before giving up. */
const MAX_UPDATE_ATTEMPTS = 50;
/** Upper bound of the random pause between attempts; grows 2, 4, 8, 16, then stays at 20 ms. */
const MAX_BACKOFF_MS = 20;

/**
 * How order writes reach the feed and the index: in the order's own script ('inline', one Redis /
 * Sentinel), through the bucket's outbox and the relay right after it ('outbox', cluster), or not
 * at all ('none', the benchmark's off switch).
 */
export type FeedMode = 'inline' | 'outbox' | 'none';

export interface FeedWrite {
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
export function createOrders(
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

// Our own JSON, written by this module: parsed without re-validating every field.
const parseOrder = (data: string): Order => JSON.parse(data) as Order;
export const parseChange = (data: string): OrderStatusChange => JSON.parse(data) as OrderStatusChange;
