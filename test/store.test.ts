import { HistoryExpiredError } from '../src/store/feed.js';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Order, OrderStatusChange } from '../src/domain/order.js';
import { createMemoryStore } from '../src/store/memory.js';
import { Cluster, Redis } from 'ioredis';
import { keyLayout } from '../src/store/keys.js';
import { createRedisStore, type RedisStoreOptions } from '../src/store/redis.js';
import { DuplicateOrderError, ProviderOrderTakenError, StoreUnavailableError, type Store } from '../src/store/types.js';
import { makeOrder, withEvent } from './support/orders.js';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

/** What the shared suite needs from a backend. */
interface Backend {
  /**
   * A store on this test's data. With Redis every call is another instance (own connections)
   * on the same data, like a second gateway process; in memory every call is a separate store.
   */
  open(options?: { historyLimit?: number; url?: string; feedRetentionMs?: number; redis?: Partial<RedisStoreOptions> }): Promise<Store>;
  /** Errors the stores reported through `onError` during this test. */
  readonly errors: unknown[];
  /** Moves the stores' fake clock (memory); null where real time passes instead (Redis). */
  readonly advance: ((ms: number) => void) | null;
  /** A TTL the expiry tests can wait out. */
  readonly shortTtlMs: number;
  /** The server behind the stores, for restart tests; null in memory and on the cluster. */
  server(): RedisServer | null;
  /** The Redis Cluster behind the stores; null elsewhere. */
  cluster(): RedisCluster | null;
  /** This test's key prefix (Redis). */
  prefix(): string;
}

function memoryBackend(): Backend {
  let clock = 0;
  const errors: unknown[] = [];
  beforeEach(() => {
    clock = Date.parse('2030-01-01T00:00:00Z');
    errors.length = 0;
  });
  return {
    async open({ historyLimit, feedRetentionMs } = {}) {
      return createMemoryStore({ now: () => clock, onError: (error) => errors.push(error), historyLimit, ...(feedRetentionMs ? { feedRetentionMs } : {}) });
    },
    errors,
    advance: (ms) => {
      clock += ms;
    },
    shortTtlMs: 50,
    server: () => null,
    cluster: () => null,
    prefix: () => '',
  };
}

/** One real redis-server, or (`cluster`) a real three-master Redis Cluster (ioredis Cluster, sharded pub/sub). */
function redisBackend(cluster = false): Backend {
  let server: RedisServer | null = null;
  let nodes: RedisCluster | null = null;
  let keyPrefix = '';
  const opened: Store[] = [];
  const errors: unknown[] = [];
  beforeAll(async () => {
    if (cluster) nodes = await startRedisCluster(3);
    else server = await startRedisServer();
  });
  beforeEach(() => {
    // A fresh namespace per test: no test sees another's keys or changes.
    keyPrefix = `gw-test:${randomUUID()}:`;
    errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await server?.stop();
    await nodes?.stop();
  });
  return {
    async open({ url, historyLimit, feedRetentionMs, redis } = {}) {
      const target = url ? { url } : nodes ? { clusterNodes: nodes.nodes } : server ? { url: server.url } : null;
      if (!target) throw new Error('redis-server did not start');
      const store = createRedisStore({ ...target, keyPrefix, onError: (error) => errors.push(error), historyLimit, ...(feedRetentionMs ? { feedRetentionMs } : {}), ...redis });
      opened.push(store);
      return store;
    },
    errors,
    advance: null,
    shortTtlMs: 50,
    server: () => server,
    cluster: () => nodes,
    prefix: () => keyPrefix,
  };
}

/** Subscribes and records every change the store's feed delivers. */
async function record(store: Store): Promise<OrderStatusChange[]> {
  const received: OrderStatusChange[] = [];
  await store.changes.subscribe((change) => received.push(change));
  return received;
}

const eventIdsOf = (changes: OrderStatusChange[], order: Order) =>
  changes.filter((change) => change.order.id === order.id).map((change) => change.eventId);

/** Bounded polling for things that happen asynchronously (feed deliveries, TTLs). */
const eventually = (assertion: () => void | Promise<void>, timeout = 5_000) =>
  vi.waitFor(assertion, { timeout, interval: 10 });

describe.each([
  ['memory', memoryBackend],
  ['redis', redisBackend],
  ['redis cluster', () => redisBackend(true)],
] as const)('%s store', (name, setup) => {
  const backend = setup();
  /** Tests that restart or proxy the one redis-server. */
  const redisOnly = name === 'redis';
  /** Tests of several gateway instances on one shared store. */
  const shared = name !== 'memory';

  describe('orders', () => {
    it('stores a new order at version 1 and hands out copies nobody can use to change it', async () => {
      const { orders } = await backend.open();
      const input = makeOrder({ version: 7, providerData: { request: { amount: 1000 } } });

      const expected = { ...structuredClone(input), version: 1 };

      const created = await orders.create(input);
      expect(created).toEqual(expected);

      input.status = 'CAPTURED';
      input.events.push({ ...expected.events[0]!, id: '98' });
      created.events.push({ ...expected.events[0]!, id: '99' });
      const read = await orders.get(expected.id);
      expect(read).toEqual(expected);

      read!.providerData['request'] = 'tampered';
      expect((await orders.get(expected.id))?.providerData).toEqual({ request: { amount: 1000 } });
      expect(await orders.get('no-such-order')).toBeNull();
    });

    it('rejects a second order with the same id and keeps the first', async () => {
      const { orders } = await backend.open();
      const first = await orders.create(makeOrder());

      await expect(orders.create(makeOrder({ id: first.id, reference: 'second' }))).rejects.toBeInstanceOf(
        DuplicateOrderError,
      );
      expect(await orders.get(first.id)).toEqual(first);
      expect(await orders.changesAfter(first.id, 0)).toHaveLength(1);
    });

    it('stores a new order with what goes along (schedule entry, parked lists taken, entries deleted) in the same step', async () => {
      const { orders, kv, schedule } = await backend.open();
      const order = makeOrder({ providerOrderId: `along-${randomUUID()}` });
      const parked = [`parked:${order.id}`, `parked:${order.providerOrderId}`];
      await kv.append(parked[0]!, 'first', 60_000);
      await kv.append(parked[0]!, 'second', 60_000);
      await kv.set(`intent:${order.id}`, 'intent', 60_000);
      const dueAt = Date.now() + 60_000;

      const { order: stored, taken, alongFailed } = await orders.createAlong(order, { scheduleAt: dueAt, take: parked, forget: [`intent:${order.id}`] });
      expect(stored).toEqual({ ...structuredClone(order), version: 1 });
      expect(alongFailed).toBeUndefined();
      expect(taken).toEqual([['first', 'second'], []]);
      expect(await orders.get(order.id)).toEqual(stored);
      expect(await orders.findByProviderOrderId('INTERGIRO', order.providerOrderId!)).toEqual(stored);
      expect(await orders.changesAfter(order.id, 0)).toHaveLength(1);
      expect(await kv.takeAll(parked[0]!)).toEqual([]);
      expect(await kv.get(`intent:${order.id}`)).toBeNull();
      expect(await schedule.due(dueAt - 1, 10_000)).not.toContain(order.id);
      expect(await schedule.due(dueAt, 10_000)).toContain(order.id);
    });

    it('does nothing of what goes along when the order id exists already', async () => {
      const { orders, kv, schedule } = await backend.open();
      const first = await orders.create(makeOrder());
      await kv.append(`parked:${first.id}`, 'kept', 60_000);
      await kv.set(`intent:${first.id}`, 'intent', 60_000);

      const along = { scheduleAt: Date.now(), take: [`parked:${first.id}`], forget: [`intent:${first.id}`] };
      await expect(orders.createAlong(makeOrder({ id: first.id }), along)).rejects.toBeInstanceOf(DuplicateOrderError);
      expect(await kv.takeAll(`parked:${first.id}`)).toEqual(['kept']);
      expect(await kv.get(`intent:${first.id}`)).toBe('intent');
      expect(await schedule.due(Date.now() + 60_000, 10_000)).not.toContain(first.id);
      expect(await orders.get(first.id)).toEqual(first);
    });

    it("refuses an order whose provider order another order carries, with nothing of it or what goes along written", async () => {
      const { orders, kv, schedule } = await backend.open();
      const providerOrderId = `taken-${randomUUID()}`;
      const first = await orders.createAlong(makeOrder({ providerOrderId }), { scheduleAt: null, take: [], forget: [] });
      const second = makeOrder({ providerOrderId, reference: 'second' });
      await kv.append(`parked:${second.id}`, 'kept', 60_000);
      await kv.set(`intent:${second.id}`, 'intent', 60_000);

      const refused = orders.createAlong(second, { scheduleAt: Date.now(), take: [`parked:${second.id}`], forget: [`intent:${second.id}`] });
      await expect(refused).rejects.toBeInstanceOf(ProviderOrderTakenError);
      await expect(refused).rejects.toMatchObject({ holder: { id: first.order.id } });
      expect(await orders.get(second.id)).toBeNull();
      expect(await orders.findByProviderOrderId('INTERGIRO', providerOrderId)).toEqual(first.order);
      expect(await kv.takeAll(`parked:${second.id}`)).toEqual(['kept']);
      expect(await kv.get(`intent:${second.id}`)).toBe('intent');
      expect(await schedule.due(Date.now() + 60_000, 10_000)).not.toContain(second.id);
      // The same provider order at another provider is another order.
      await expect(orders.createAlong(makeOrder({ provider: 'PEI', providerOrderId }), { scheduleAt: null, take: [], forget: [] })).resolves.toBeDefined();
    });

    it('takes over a stale provider-order index entry: one naming an order that no longer carries it', async () => {
      const { orders } = await backend.open();
      const providerOrderId = `stale-${randomUUID()}`;
      const first = await orders.create(makeOrder({ providerOrderId }));
      await orders.update(first.id, (order) => ({ ...order, providerOrderId: `${providerOrderId}-moved` }));

      const { order: second } = await orders.createAlong(makeOrder({ providerOrderId }), { scheduleAt: null, take: [], forget: [] });
      expect((await orders.findByProviderOrderId('INTERGIRO', providerOrderId))?.id).toBe(second.id);
      expect((await orders.findByProviderOrderId('INTERGIRO', `${providerOrderId}-moved`))?.id).toBe(first.id);
    });

    it('stores one of two orders of one provider order written at once (one Redis: the check is in the write; elsewhere the entry is claimed first)', async () => {
      const { orders } = await backend.open();
      const providerOrderId = `race-${randomUUID()}`;
      const tries = [makeOrder({ providerOrderId }), makeOrder({ providerOrderId })];
      const settled = await Promise.allSettled(tries.map((order) => orders.createAlong(order, { scheduleAt: null, take: [], forget: [] })));

      const stored = settled.filter((result) => result.status === 'fulfilled');
      const refused = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(stored).toHaveLength(1);
      expect(refused.map((result) => result.reason)).toEqual([expect.any(ProviderOrderTakenError)]);
      const winner = await orders.findByProviderOrderId('INTERGIRO', providerOrderId);
      expect(tries.map((order) => order.id)).toContain(winner?.id);
      expect(await Promise.all(tries.map((order) => orders.get(order.id).then(Boolean)))).toEqual(tries.map((order) => order.id === winner?.id));
    });

    /** A raw connection to this test's Redis (one server or the cluster), for entries set apart from any order. */
    function rawRedis(): Redis | Cluster {
      const cluster = backend.cluster();
      return cluster ? new Cluster(cluster.nodes) : new Redis(backend.server()!.url);
    }

    it.runIf(name !== 'memory')("waits for the order an entry names when it is not stored yet (a creation between its entry and its write), then refuses", async () => {
      const { orders } = await backend.open();
      const providerOrderId = `in-flight-${randomUUID()}`;
      const first = makeOrder({ providerOrderId });
      const raw = rawRedis();
      try {
        await raw.set(keyLayout(backend.prefix(), name === 'redis cluster').providerOrder('INTERGIRO', providerOrderId), first.id);
      } finally {
        raw.disconnect();
      }
      // Its refusal is caught at once: it may come while the first create is still answering (the
      // order is stored before the create returns), and a rejection with no handler yet is unhandled.
      const second = orders.createAlong(makeOrder({ providerOrderId }), { scheduleAt: null, take: [], forget: [] }).catch((error: unknown) => error);
      await sleep(150);
      await orders.create(first);

      expect(await second).toMatchObject({ name: 'ProviderOrderTakenError', holder: { id: first.id } });
      expect((await orders.findByProviderOrderId('INTERGIRO', providerOrderId))?.id).toBe(first.id);
    });

    it.runIf(name !== 'memory')('takes over an entry naming an order that never appears (its creation died between entry and write)', async () => {
      const { orders } = await backend.open();
      const providerOrderId = `orphan-${randomUUID()}`;
      const raw = rawRedis();
      try {
        await raw.set(keyLayout(backend.prefix(), name === 'redis cluster').providerOrder('INTERGIRO', providerOrderId), 'ord_never_written');
      } finally {
        raw.disconnect();
      }
      const { order } = await orders.createAlong(makeOrder({ providerOrderId }), { scheduleAt: null, take: [], forget: [] });
      expect((await orders.findByProviderOrderId('INTERGIRO', providerOrderId))?.id).toBe(order.id);
    });

    it('takes an order off the schedule when nothing is to be read again (scheduleAt null)', async () => {
      const { orders, schedule } = await backend.open();
      const order = makeOrder();
      await schedule.schedule(order.id, Date.now());
      await orders.createAlong(order, { scheduleAt: null, take: [], forget: [] });
      expect(await schedule.due(Date.now() + 60_000, 10_000)).not.toContain(order.id);
    });

    it("finds an order by its provider's order id, set at create or by a later update", async () => {
      const { orders } = await backend.open();
      const known = await orders.create(makeOrder({ providerOrderId: 'ig-1' }));
      const later = await orders.create(makeOrder());

      expect(await orders.findByProviderOrderId('INTERGIRO', 'ig-1')).toEqual(known);
      expect(await orders.findByProviderOrderId('PEI', 'ig-1')).toBeNull();
      expect(await orders.findByProviderOrderId('INTERGIRO', 'ig-2')).toBeNull();

      await orders.update(later.id, (order) => ({ ...order, providerOrderId: 'ig-2' }));
      expect((await orders.findByProviderOrderId('INTERGIRO', 'ig-2'))?.id).toBe(later.id);

      // The provider re-issued its id: only the new one leads to the order.
      await orders.update(later.id, (order) => ({ ...order, providerOrderId: 'ig-3' }));
      expect((await orders.findByProviderOrderId('INTERGIRO', 'ig-3'))?.id).toBe(later.id);
      expect(await orders.findByProviderOrderId('INTERGIRO', 'ig-2')).toBeNull();
    });

    it('writes nothing when mutate returns null', async () => {
      const store = await backend.open();
      const order = await store.orders.create(makeOrder());
      const received = await record(store);

      const unchanged = await store.orders.update(order.id, () => null);
      expect(unchanged).toEqual({ order, changes: [] });
      expect((await store.orders.get(order.id))?.version).toBe(1);

      // The feed keeps publish order, so once the next write's change arrives, any change from
      // the null update would have arrived before it.
      await store.orders.update(order.id, (current) => withEvent(current, 'PENDING'));
      await eventually(() => expect(eventIdsOf(received, order)).toEqual(['2']));
      expect((await store.orders.get(order.id))?.version).toBe(2);
      expect(await store.orders.update('no-such-order', (current) => current)).toBeNull();
    });

    it('publishes one change per new event, in order, carrying the stored order', async () => {
      const store = await backend.open();
      const received = await record(store);
      const order = await store.orders.create(makeOrder());

      const result = await store.orders.update(order.id, (current) =>
        withEvent(withEvent(current, 'PENDING'), 'FAILED', 'RECONCILIATION'),
      );

      expect(result?.order.version).toBe(2);
      expect(result?.order.status).toBe('FAILED');
      expect(result?.changes.map(({ order: _, cursor: __, ...change }) => change)).toEqual([
        { eventId: '2', previousStatus: 'CREATED', status: 'PENDING', source: 'WEBHOOK', at: expect.any(String), final: false },
        { eventId: '3', previousStatus: 'PENDING', status: 'FAILED', source: 'RECONCILIATION', at: expect.any(String), final: true },
      ]);
      await eventually(() => expect(eventIdsOf(received, order)).toEqual(['1', '2', '3']));
      const [created, pending, failed] = received;
      expect(created).toMatchObject({ previousStatus: null, status: 'CREATED', source: 'CLIENT', final: false });
      expect(created?.order.version).toBe(1);
      // As published, each change carries its place in the gateway-wide feed.
      const cursor = { cursor: expect.stringMatching(/^\d+-\d+$/) };
      expect(pending).toEqual({ ...result?.changes[0], ...cursor });
      expect(failed).toEqual({ ...result?.changes[1], ...cursor });
      expect(failed?.order).toEqual(await store.orders.get(order.id));
    });

    it('keeps in the order history the cursor each change was published with (a replay carries it too)', async () => {
      const store = await backend.open();
      const received = await record(store);
      const order = await store.orders.create(makeOrder());
      await store.orders.update(order.id, (current) => withEvent(withEvent(current, 'PENDING'), 'AUTHORIZED'));
      await eventually(() => expect(eventIdsOf(received, order)).toEqual(['1', '2', '3']));

      const live = received.filter((change) => change.order.id === order.id).map((change) => [change.eventId, change.cursor]);
      const replayed = (await store.orders.changesAfter(order.id, 0)).map((change) => [change.eventId, change.cursor]);
      expect(live.every(([, cursor]) => /^\d+-\d+$/.test(cursor ?? ''))).toBe(true);
      expect(replayed).toEqual(live);
    });

    it('gives a resuming subscriber exactly the changes after the event it saw last', async () => {
      const { orders } = await backend.open();
      const order = await orders.create(makeOrder());
      for (const status of ['ACTION_REQUIRED', 'AUTHORIZED', 'CAPTURED'] as const) {
        await orders.update(order.id, (current) => withEvent(current, status));
      }

      const all = await orders.changesAfter(order.id, 0);
      expect(all.map((change) => [change.eventId, change.previousStatus, change.status, change.order.version])).toEqual([
        ['1', null, 'CREATED', 1],
        ['2', 'CREATED', 'ACTION_REQUIRED', 2],
        ['3', 'ACTION_REQUIRED', 'AUTHORIZED', 3],
        ['4', 'AUTHORIZED', 'CAPTURED', 4],
      ]);
      expect((await orders.changesAfter(order.id, 2)).map((change) => change.eventId)).toEqual(['3', '4']);
      expect(await orders.changesAfter(order.id, 4)).toEqual([]);
      expect(await orders.changesAfter('no-such-order', 0)).toEqual([]);
    });

    it('keeps only the newest historyLimit changes per order', async () => {
      const { orders } = await backend.open({ historyLimit: 3 });
      const order = await orders.create(makeOrder());
      for (const status of ['ACTION_REQUIRED', 'PENDING', 'AUTHORIZED', 'CAPTURED'] as const) {
        await orders.update(order.id, (current) => withEvent(current, status));
      }

      expect((await orders.changesAfter(order.id, 2)).map((change) => change.eventId)).toEqual(['3', '4', '5']);
      // Further back than the kept history: an explicit gap (HISTORY_EXPIRED), never a silent one.
      await expect(orders.changesAfter(order.id, 1)).rejects.toBeInstanceOf(HistoryExpiredError);
      expect((await orders.get(order.id))?.events).toHaveLength(5);
    });

    it('loses no event when 20 writers append to one order at once', async () => {
      const { orders } = await backend.open();
      const order = await orders.create(makeOrder());
      let mutateCalls = 0;

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, writer) =>
          orders.update(order.id, (current) => {
            mutateCalls++;
            return withEvent(current, 'PENDING', 'WEBHOOK', `writer-${writer}`);
          }),
        ),
      );

      const stored = await orders.get(order.id);
      expect(stored?.version).toBe(21);
      expect(stored?.events.map((event) => event.id)).toEqual(Array.from({ length: 21 }, (_, i) => String(i + 1)));
      expect(stored?.events.slice(1).map((event) => event.type).sort()).toEqual(
        Array.from({ length: 20 }, (_, writer) => `writer-${writer}`).sort(),
      );
      expect(results.map((result) => result?.order.version).sort((a = 0, b = 0) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      expect(results.every((result) => result?.changes.length === 1)).toBe(true);
      expect(await orders.changesAfter(order.id, 0)).toHaveLength(21);
      // With Redis the writers really collided (all read version 1), so retries were exercised.
      if (shared) expect(mutateCalls).toBeGreaterThan(20);
    });

    it('does not lose a write started from inside mutate', async () => {
      const { orders } = await backend.open();
      const order = await orders.create(makeOrder());
      let inner: Promise<unknown> | null = null;

      await orders.update(order.id, (current) => {
        inner ??= orders.update(order.id, (fresh) => withEvent(fresh, 'PENDING', 'WEBHOOK', 'inner'));
        return withEvent(current, 'PENDING', 'CLIENT', 'outer');
      });
      await inner;

      const stored = await orders.get(order.id);
      expect(stored?.events.map((event) => event.type).slice(1).sort()).toEqual(['inner', 'outer']);
      expect(stored?.version).toBe(3);
    });

    it('refuses a mutate that drops events', async () => {
      const { orders } = await backend.open();
      const order = await orders.create(makeOrder());
      await expect(orders.update(order.id, (current) => ({ ...current, events: [] }))).rejects.toThrow(/append-only/);
      expect(await orders.get(order.id)).toEqual(order);
    });
  });

  describe('change feed', () => {
    it('keeps delivering to the other listeners and the writer when one listener throws', async () => {
      const store = await backend.open();
      await store.changes.subscribe(() => {
        throw new Error('listener bug');
      });
      const received = await record(store);

      const order = await store.orders.create(makeOrder());
      await store.orders.update(order.id, (current) => withEvent(current, 'PENDING'));

      await eventually(() => expect(eventIdsOf(received, order)).toEqual(['1', '2']));
      expect(backend.errors).toEqual([new Error('listener bug'), new Error('listener bug')]);
    });

    it('stops calling a listener once it unsubscribed', async () => {
      const store = await backend.open();
      const dropped: OrderStatusChange[] = [];
      const unsubscribe = await store.changes.subscribe((change) => dropped.push(change));
      const kept = await record(store);

      unsubscribe();
      const order = await store.orders.create(makeOrder());

      await eventually(() => expect(eventIdsOf(kept, order)).toEqual(['1']));
      expect(dropped).toEqual([]);
    });

    it.runIf(shared)('delivers a change committed by one gateway instance to a subscriber on another', async () => {
      const a = await backend.open();
      const b = await backend.open();
      const receivedByB = await record(b);

      const order = await a.orders.create(makeOrder());
      await a.orders.update(order.id, (current) => withEvent(current, 'AUTHORIZED'));

      await eventually(() => expect(eventIdsOf(receivedByB, order)).toEqual(['1', '2']));
      expect(receivedByB[1]?.order.status).toBe('AUTHORIZED');
    });

    it.runIf(shared)('loses no event when two gateway instances race on one order', async () => {
      const a = await backend.open();
      const b = await backend.open();
      const order = await a.orders.create(makeOrder());

      await Promise.all(
        Array.from({ length: 20 }, (_, writer) =>
          (writer % 2 === 0 ? a : b).orders.update(order.id, (current) =>
            withEvent(current, 'PENDING', 'WEBHOOK', `writer-${writer}`),
          ),
        ),
      );

      const stored = await b.orders.get(order.id);
      expect(stored?.version).toBe(21);
      expect(stored?.events.map((event) => event.id)).toEqual(Array.from({ length: 21 }, (_, i) => String(i + 1)));
      expect(new Set(stored?.events.map((event) => event.type)).size).toBe(21);
      expect((await a.orders.changesAfter(order.id, 0)).map((change) => change.order.version)).toEqual([
        1,
        ...Array.from({ length: 20 }, (_, i) => i + 2),
      ]);
    });
  });

  describe('order index and gateway-wide feed', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute)).toISOString();

    it('lists newest first by every filter, and pages by keyset without repeats or skips while orders arrive', async () => {
      const store = await backend.open();
      const made: Order[] = [];
      for (const [minute, provider, reference] of [[1, 'PEI', 'a'], [2, 'INTERGIRO', 'b'], [3, 'PEI', 'c'], [3, 'DINTERO', 'c'], [5, 'PAYWAY', 'e']] as const) {
        made.push(await store.orders.create(makeOrder({ provider, reference, createdAt: at(minute) })));
      }
      await store.orders.update(made[0]!.id, (order) => withEvent(order, 'CAPTURED'));
      const ids = (orders: Order[]) => orders.map((order) => order.id);
      const newestFirst = [...made].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));

      expect(ids(await store.orders.list({ limit: 10 }))).toEqual(ids(newestFirst));
      expect(ids(await store.orders.list({ provider: 'PEI', limit: 10 }))).toEqual([made[2]!.id, made[0]!.id]);
      // The status index follows the order's status: CAPTURED now, no longer CREATED.
      expect(ids(await store.orders.list({ status: 'CAPTURED', limit: 10 }))).toEqual([made[0]!.id]);
      expect(ids(await store.orders.list({ provider: 'PEI', status: 'CREATED', limit: 10 }))).toEqual([made[2]!.id]);
      expect(ids(await store.orders.list({ reference: 'c', limit: 10 })).sort()).toEqual([made[2]!.id, made[3]!.id].sort());
      expect(ids(await store.orders.list({ fromMs: Date.parse(at(2)), toMs: Date.parse(at(3)), limit: 10 }))).toEqual(ids(newestFirst.slice(1, 4)));

      // Two at a time; an order arrives at the same minute as a page's last one, and a newer one.
      const pages: string[] = [];
      let after: { createdAtMs: number; id: string } | undefined;
      for (let page = 0; page < 10; page++) {
        const nodes = await store.orders.list({ limit: 2, ...(after ? { after } : {}) });
        pages.push(...ids(nodes));
        if (page === 0) {
          await store.orders.create(makeOrder({ createdAt: at(3), id: 'ord_zzzz-inserted-before-the-cursor' }));
          await store.orders.create(makeOrder({ createdAt: at(9) }));
        }
        const last = nodes.at(-1);
        if (nodes.length < 2 || !last) break;
        after = { createdAtMs: Date.parse(last.createdAt), id: last.id };
      }
      expect(new Set(pages).size).toBe(pages.length);
      expect(pages.filter((id) => made.some((order) => order.id === id))).toEqual(ids(newestFirst));
    });

    it('replays every change after a cursor, in commit order, from another instance', async () => {
      const writer = await backend.open();
      const reader = shared ? await backend.open() : writer;
      const first = await writer.orders.create(makeOrder());
      const cursor = (await reader.feed.head())!;
      expect(cursor).toMatch(/^\d+-\d+$/);

      const second = await writer.orders.create(makeOrder({ provider: 'PEI' }));
      await writer.orders.update(first.id, (order) => withEvent(order, 'AUTHORIZED'));
      await writer.orders.update(second.id, (order) => withEvent(order, 'CAPTURED'));
      const later = await reader.feed.after(cursor, 10);
      expect(later.map((change) => [change.order.id, change.eventId, change.status])).toEqual([
        [second.id, '1', 'CREATED'],
        [first.id, '2', 'AUTHORIZED'],
        [second.id, '2', 'CAPTURED'],
      ]);
      expect(later.every((change) => /^\d+-\d+$/.test(change.cursor ?? ''))).toBe(true);
      expect(await reader.feed.after(later.at(-1)!.cursor!, 10)).toEqual([]);
      expect((await reader.feed.after(cursor, 2)).map((change) => change.eventId)).toEqual(['1', '2']);
      await expect(reader.feed.after('not-a-cursor', 10)).rejects.toBeInstanceOf(RangeError);
    });

    it.runIf(name === 'redis cluster')('a change whose writer died before relaying it reaches the feed and the index exactly once, by the sweep', async () => {
      const reader = await backend.open({ redis: { outboxSweepMs: 0 } });
      const heard = await record(reader);
      const before = await reader.orders.create(makeOrder());
      const cursor = (await reader.feed.head())!;
      // An instance that dies between the order's script and its relay (its sweep off, so only
      // another instance's sweep can save the change).
      let crashes = 1;
      const dying = await backend.open({ redis: { outboxSweepMs: 0, crashAt: (step) => step === 'before-relay' && crashes-- > 0 } });
      const lost = makeOrder({ provider: 'PEI', reference: 'left-in-the-outbox' });
      await expect(dying.orders.create(lost)).rejects.toThrow(/before-relay/);
      expect((await reader.orders.get(lost.id))?.status).toBe('CREATED');
      expect(await reader.feed.after(cursor, 10)).toEqual([]);
      expect(await reader.orders.list({ reference: 'left-in-the-outbox', limit: 10 })).toEqual([]);

      // Another instance's sweep relays it: in the feed once, in the index, and published live.
      const sweeper = await backend.open({ redis: { outboxSweepMs: 20 } });
      await eventually(async () => expect((await reader.feed.after(cursor, 10)).map((change) => change.order.id)).toEqual([lost.id]));
      expect((await reader.orders.list({ reference: 'left-in-the-outbox', limit: 10 })).map((order) => order.id)).toEqual([lost.id]);
      expect((await reader.orders.list({ provider: 'PEI', status: 'CREATED', limit: 10 })).map((order) => order.id)).toEqual([lost.id]);
      await eventually(() => expect(eventIdsOf(heard, lost)).toEqual(['1']));
      const relayed = (await reader.feed.after(cursor, 10))[0]!;
      expect(heard.find((change) => change.order.id === lost.id)?.cursor).toBe(relayed.cursor);
      expect((await reader.orders.changesAfter(lost.id, 0)).map((change) => change.cursor)).toEqual([relayed.cursor]);

      // The order goes on (written by the instance that came back); later sweeps add nothing twice.
      await dying.orders.update(lost.id, (order) => withEvent(order, 'CAPTURED'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await sweeper.close();
      const replay = await reader.feed.after(cursor, 10);
      expect(replay.map((change) => [change.order.id, change.eventId, change.status])).toEqual([
        [lost.id, '1', 'CREATED'],
        [lost.id, '2', 'CAPTURED'],
      ]);
      expect((await reader.orders.list({ status: 'CAPTURED', limit: 10 })).map((order) => order.id)).toEqual([lost.id]);
      expect(await reader.orders.list({ status: 'CREATED', provider: 'PEI', limit: 10 })).toEqual([]);
      expect(eventIdsOf(heard, lost)).toEqual(['1', '2']);
      expect(eventIdsOf(heard, before)).toEqual(['1']);
    });

    it.runIf(name === 'redis cluster')('a relay repeated after a crash (its change already in the feed, its outbox entry left) adds nothing', async () => {
      const reader = await backend.open({ redis: { outboxSweepMs: 0 } });
      await reader.orders.create(makeOrder());
      const cursor = (await reader.feed.head())!;
      let crashes = 1;
      const dying = await backend.open({ redis: { outboxSweepMs: 0, crashAt: (step) => step === 'before-publish' && crashes-- > 0 } });
      const order = makeOrder({ reference: 'relayed-not-trimmed' });
      await expect(dying.orders.create(order)).rejects.toThrow(/before-publish/);
      const keys = keyLayout(backend.prefix(), true);
      const outbox = keys.outbox(keys.orderBucket(order.id));
      const raw = new Cluster(backend.cluster()!.nodes);
      try {
        expect(await raw.xlen(outbox)).toBe(1);
        expect((await reader.feed.after(cursor, 10)).map((change) => change.order.id)).toEqual([order.id]);

        // The sweep finds the entry, relays it again: the bookmark says it is done; the entry goes.
        await backend.open({ redis: { outboxSweepMs: 20 } });
        await eventually(async () => expect(await raw.xlen(outbox)).toBe(0));
        await dying.orders.update(order.id, (current) => withEvent(current, 'AUTHORIZED'));
        expect((await reader.feed.after(cursor, 10)).map((change) => [change.order.id, change.eventId])).toEqual([
          [order.id, '1'],
          [order.id, '2'],
        ]);
        // In the stream itself, not only as the reader (which drops a repeated entry) hands it out.
        const entries = await raw.xrange(keys.feed(), `(${cursor}`, '+');
        expect(entries.map(([, fields]) => fields.join(' '))).toEqual([`o ${order.id} e 1`, `o ${order.id} e 2`]);
        expect((await reader.orders.list({ reference: 'relayed-not-trimmed', status: 'AUTHORIZED', limit: 10 })).map((found) => found.id)).toEqual([order.id]);
      } finally {
        raw.disconnect();
      }
    });

    it('a snapshot names the feed position its state reflects, also when the feed was quiet past its retention', async () => {
      const retentionMs = 300;
      const store = await backend.open({ feedRetentionMs: retentionMs });
      const order = await store.orders.create(makeOrder());
      const first = await store.orders.snapshot(order.id);
      expect(first.order?.version).toBe(1);
      expect(await store.feed.after(first.cursor, 10)).toEqual([]);
      await store.orders.update(order.id, (current) => withEvent(current, 'AUTHORIZED'));
      expect((await store.feed.after(first.cursor, 10)).map((change) => change.eventId)).toEqual(['2']);

      // Nothing stored for longer than the feed keeps: the position is still a valid resume point.
      if (backend.advance) backend.advance(retentionMs + 1);
      else await new Promise((resolve) => setTimeout(resolve, retentionMs + 50));
      const quiet = await store.orders.snapshot(order.id);
      expect(quiet.order?.status).toBe('AUTHORIZED');
      expect(await store.feed.after(quiet.cursor, 10)).toEqual([]);
      await store.orders.update(order.id, (current) => withEvent(current, 'CAPTURED'));
      expect((await store.feed.after(quiet.cursor, 10)).map((change) => change.eventId)).toEqual(['3']);
      expect((await store.orders.snapshot('ord_missing')).order).toBeNull();
    });

    it('a cursor older than the retention is HistoryExpiredError, never a silent gap', async () => {
      const retentionMs = 300;
      const store = await backend.open({ feedRetentionMs: retentionMs });
      const order = await store.orders.create(makeOrder());
      const cursor = (await store.feed.head())!;
      if (backend.advance) backend.advance(retentionMs + 1);
      else await new Promise((resolve) => setTimeout(resolve, retentionMs + 50));
      await store.orders.update(order.id, (current) => withEvent(current, 'AUTHORIZED'));
      await expect(store.feed.after(cursor, 10)).rejects.toBeInstanceOf(HistoryExpiredError);
      await expect(store.feed.after('1-0', 10)).rejects.toBeInstanceOf(HistoryExpiredError);
    });
  });

  describe('key-value', () => {
    it('sets, overwrites, reads and deletes', async () => {
      const { kv } = await backend.open();
      expect(await kv.get('token')).toBeNull();
      await kv.set('token', 'a');
      await kv.set('token', 'b');
      expect(await kv.get('token')).toBe('b');
      await kv.delete('token');
      expect(await kv.get('token')).toBeNull();
      await kv.delete('token');
    });

    it('lets exactly one of 10 concurrent claims win', async () => {
      const { kv } = await backend.open();
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => kv.setIfAbsent('lease:reconcile', `worker-${i}`, 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await kv.get('lease:reconcile')).toBe(`worker-${claims.indexOf(true)}`);
    });

    it('forgets values and claims when their TTL runs out', async () => {
      const { kv } = await backend.open();
      const ttl = backend.shortTtlMs;
      await kv.set('token', 'short', ttl);
      await kv.set('durable', 'long', 60_000);
      expect(await kv.setIfAbsent('claim', 'first', ttl)).toBe(true);
      if (backend.advance) {
        backend.advance(ttl - 1);
        expect(await kv.get('token')).toBe('short');
        expect(await kv.setIfAbsent('claim', 'second', ttl)).toBe(false);
        backend.advance(1);
      }

      await eventually(async () => {
        expect(await kv.get('token')).toBeNull();
        expect(await kv.setIfAbsent('claim', 'second', 60_000)).toBe(true);
      });
      expect(await kv.get('claim')).toBe('second');
      expect(await kv.get('durable')).toBe('long');
    });

    it('releases a lease only for the holder', async () => {
      const { kv } = await backend.open();
      await kv.set('lease', 'worker-a', 60_000);
      expect(await kv.deleteIfEquals('lease', 'worker-b')).toBe(false);
      expect(await kv.get('lease')).toBe('worker-a');
      expect(await kv.deleteIfEquals('lease', 'worker-a')).toBe(true);
      expect(await kv.get('lease')).toBeNull();
      expect(await kv.deleteIfEquals('lease', 'worker-a')).toBe(false);
    });

    it('takes a parked list whole, oldest first, never losing or repeating an entry', async () => {
      const { kv } = await backend.open();
      for (const value of ['a', 'b', 'c']) await kv.append('parked', value, 60_000);
      expect(await kv.takeAll('parked')).toEqual(['a', 'b', 'c']);
      expect(await kv.takeAll('parked')).toEqual([]);

      const values = Array.from({ length: 50 }, (_, i) => `hook-${i}`);
      const taken = await Promise.all(
        values.flatMap((value, i) => [
          kv.append('parked', value, 60_000).then(() => []),
          ...(i % 5 === 0 ? [kv.takeAll('parked')] : []),
        ]),
      );
      const all = [...taken.flat(), ...(await kv.takeAll('parked'))];
      expect(all.sort()).toEqual([...values].sort());
    });

    it('expires a parked list ttl after its last append', async () => {
      const { kv } = await backend.open();
      const ttl = backend.shortTtlMs;
      await kv.append('parked', 'a', ttl);
      if (backend.advance) {
        // Each append restarts the TTL: 40 + 40 ms after the first append the list is still there.
        backend.advance(40);
        await kv.append('parked', 'b', ttl);
        backend.advance(40);
        expect(await kv.takeAll('parked')).toEqual(['a', 'b']);
      }
      await kv.append('parked', 'c', ttl);
      // takeAll would consume the list, so watch a marker set just after the last append with the
      // same TTL: once the marker is gone, the list must be too.
      await kv.set('marker', 'x', ttl);
      backend.advance?.(ttl);
      await eventually(async () => expect(await kv.get('marker')).toBeNull());
      expect(await kv.takeAll('parked')).toEqual([]);
    });
  });

  describe('reconcile schedule', () => {
    it('returns due orders earliest first, up to the limit, and follows moves and removals', async () => {
      const { schedule } = await backend.open();
      await schedule.schedule('ord-late', 300);
      await schedule.schedule('ord-first', 100);
      await schedule.schedule('ord-second', 200);
      await schedule.schedule('ord-future', 1_000);
      expect(await schedule.size()).toBe(4);

      expect(await schedule.due(250, 10)).toEqual(['ord-first', 'ord-second']);
      expect(await schedule.due(300, 2)).toEqual(['ord-first', 'ord-second']);
      expect(await schedule.due(300, 0)).toEqual([]);

      await schedule.schedule('ord-first', 500);
      expect(await schedule.due(300, 10)).toEqual(['ord-second', 'ord-late']);
      await schedule.unschedule('ord-second');
      await schedule.unschedule('ord-unknown');
      expect(await schedule.due(1_000, 10)).toEqual(['ord-late', 'ord-first', 'ord-future']);
      expect(await schedule.size()).toBe(3);
    });

    it('an ask makes an order due by then at the latest: an earlier due time is kept, a later one brought forward', async () => {
      const { schedule } = await backend.open();
      await schedule.schedule('ord-now', 100);
      await schedule.ask('ord-now', 900);
      await schedule.schedule('ord-later', 2_000);
      await schedule.ask('ord-later', 900);
      await schedule.ask('ord-new', 900);
      expect(await schedule.due(100, 10)).toEqual(['ord-now']);
      expect(await schedule.due(900, 10)).toEqual(['ord-now', 'ord-later', 'ord-new']);
      expect(await schedule.due(899, 10)).toEqual(['ord-now']);
    });

    it('no reschedule puts an order past an ask until a read takes it; an ask made after the take holds the next reschedule', async () => {
      const { schedule } = await backend.open();
      await schedule.schedule('ord-asked', 5_000);
      await schedule.ask('ord-asked', 100);
      await schedule.ask('ord-asked', 300); // a later ask keeps the earlier one
      // A read that started before the ask (or a fact recorded meanwhile) reschedules it later.
      await schedule.schedule('ord-asked', 60_000);
      expect(await schedule.due(100, 10)).toEqual(['ord-asked']);
      // A read starts: it answers the ask, so its own reschedule moves the order on.
      await schedule.takeAsk('ord-asked');
      await schedule.schedule('ord-asked', 60_000);
      expect(await schedule.due(59_999, 10)).toEqual([]);
      // Asked again while that read is under way: the read's reschedule does not put this one off.
      await schedule.takeAsk('ord-asked');
      await schedule.ask('ord-asked', 200);
      await schedule.schedule('ord-asked', 60_000);
      expect(await schedule.due(200, 10)).toEqual(['ord-asked']);
      // Moving earlier than the ask is still allowed.
      await schedule.schedule('ord-asked', 50);
      expect(await schedule.due(50, 10)).toEqual(['ord-asked']);
      // Off the schedule, the ask goes too: the order is not held by it when scheduled again.
      await schedule.unschedule('ord-asked');
      expect(await schedule.size()).toBe(0);
      await schedule.schedule('ord-asked', 60_000);
      expect(await schedule.due(59_999, 10)).toEqual([]);
    });

    it('asks are per order: taking one leaves the others', async () => {
      const { schedule } = await backend.open();
      for (const id of ['ord-a', 'ord-b', 'ord-c']) await schedule.ask(id, 100);
      await schedule.takeAsk('ord-b');
      for (const id of ['ord-a', 'ord-b', 'ord-c']) await schedule.schedule(id, 10_000);
      expect(await schedule.due(100, 10)).toEqual(['ord-a', 'ord-c']);
      expect(await schedule.size()).toBe(3);
    });
  });

  describe('availability', () => {
    it('answers ping', async () => {
      const store = await backend.open();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it.runIf(name === 'redis cluster')('spreads orders, their index, parked lists, counters and the schedule over every master', async () => {
      const store = await backend.open();
      for (let i = 0; i < 40; i++) {
        const order = await store.orders.create(makeOrder({ providerOrderId: `provider-${i}` }));
        await store.schedule.schedule(order.id, i);
        await store.kv.append(`parked:${i}`, 'callback', 60_000);
        await store.kv.increment(`rate:${i}`, 60_000);
      }
      const perMaster = await backend.cluster()!.keysPerMaster(backend.prefix());
      expect(perMaster).toHaveLength(3);
      // 40 orders x (hash, history, index) + 40 parked + 40 counters + the schedule's buckets.
      for (const keys of perMaster) expect(keys).toBeGreaterThan(20);
      expect(await store.schedule.due(100, 100)).toHaveLength(40);
    });

    it.runIf(name === 'redis cluster')("waits for replicas on the master of each write's slot, and refuses a write none holds", async () => {
      // The test cluster's masters have no replicas: a WAIT sent to the right master answers 0
      // (StoreUnavailableError); one sent elsewhere would have met MOVED first.
      const store = createRedisStore({ clusterNodes: backend.cluster()!.nodes, keyPrefix: backend.prefix(), waitReplicas: 1, waitTimeoutMs: 20, onError: () => undefined });
      try {
        for (let i = 0; i < 9; i++) await expect(store.kv.set(`key-${i}`, 'value')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.orders.create(makeOrder())).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.schedule.schedule('ord-1', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        // A counter is no acknowledgement: it takes no WAIT.
        expect(await store.kv.increment('rate:1', 60_000)).toBe(1);
      } finally {
        await store.close();
      }
    });

    it.runIf(name === 'redis cluster')('is not ready when a cluster node is configured as a plain Redis', async () => {
      const node = backend.cluster()!.nodes[0]!;
      const store = createRedisStore({ url: `redis://${node.host}:${node.port}`, onError: () => undefined });
      try {
        await expect(store.ping()).rejects.toThrow(/REDIS_CLUSTER_NODES/);
      } finally {
        await store.close();
      }
    });

    it.runIf(redisOnly)('keeps the change feed alive across a Redis restart', async () => {
      const writer = await backend.open();
      const reader = await backend.open();
      const received = await record(reader);
      await writer.orders.create(makeOrder());
      await eventually(() => expect(received).toHaveLength(1));

      await backend.server()!.restart();

      // Pub/sub does not buffer: changes published before the reader re-subscribed are gone, so
      // keep writing fresh orders until one arrives.
      const written = new Set<string>();
      await eventually(async () => {
        const order = makeOrder();
        written.add(order.id);
        await writer.orders.create(order).catch(() => undefined);
        await vi.waitFor(() => expect(received.some((change) => written.has(change.order.id))).toBe(true), {
          timeout: 200,
          interval: 10,
        });
      }, 15_000);
      // And a subscriber joining now gets live changes straight away.
      const late = await record(reader);
      const order = await writer.orders.create(makeOrder());
      await eventually(() => expect(eventIdsOf(late, order)).toEqual(['1']));
    });

    it.runIf(redisOnly)('applies a write once when the connection drops before its reply arrives', async () => {
      const proxy = await startReplyDroppingProxy(backend.server()!.port);
      try {
        const store = await backend.open({ url: proxy.url });
        await store.ping();
        // The same for a create: without recognising its own write it would report a duplicate.
        proxy.dropNextReply(':1\r\n');
        const order = await store.orders.create(makeOrder());
        expect(proxy.dropped).toBe(1);

        // Redis runs the update, then the connection dies before the reply gets back; ioredis
        // re-sends the command on the new connection, and the script must recognise its own write.
        proxy.dropNextReply(':1\r\n');
        const result = await store.orders.update(order.id, (current) => withEvent(current, 'AUTHORIZED'));

        expect(proxy.dropped).toBe(2);
        expect(result?.order.version).toBe(2);
        const stored = await store.orders.get(order.id);
        expect(stored?.events.map((event) => event.status)).toEqual(['CREATED', 'AUTHORIZED']);
        expect(stored?.version).toBe(2);
        expect((await store.orders.changesAfter(order.id, 0)).map((change) => change.eventId)).toEqual(['1', '2']);
      } finally {
        await proxy.close();
      }
    });

    it.runIf(redisOnly)('fails commands and closes in bounded time when Redis is gone', async () => {
      const store = await backend.open();
      await record(store);
      await store.ping();
      const server = backend.server()!;
      await server.stop();
      try {
        const started = Date.now();
        await expect(store.kv.get('anything')).rejects.toThrow();
        await store.close();
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await server.restart();
      }
    });
  });
});

/**
 * A TCP proxy in front of Redis that can cut the connection in place of forwarding one reply:
 * the command has run on Redis, but the client never learns its outcome.
 */
async function startReplyDroppingProxy(redisPort: number) {
  let drop: string | null = null;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(redisPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (drop !== null && chunk.toString() === drop) {
        drop = null;
        dropped++;
        client.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
  return {
    url: `redis://127.0.0.1:${address.port}`,
    /** Cuts the client connection instead of forwarding the next reply that is exactly `reply`. */
    dropNextReply(reply: string) {
      drop = reply;
    },
    get dropped() {
      return dropped;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
