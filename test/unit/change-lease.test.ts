/**
 * The change lease's fencing, on the real stores: a holder whose lease expired (a pause longer
 * than its TTL) and was taken over cannot write the order any more; the later holder can. And a
 * second taker waits for the first holder rather than working beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaleChangeLeaseError, takeChangeLease } from '../../src/domain/orders/change-lease.js';
import { rememberRequestKeys } from '../../src/domain/orders/record-fact.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { makeOrder } from '../support/orders.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(['memory', 'redis'] as const)('change lease fencing (%s store)', (kind) => {
  let redis: RedisServer | undefined;
  let store: Store;

  beforeAll(async () => {
    redis = kind === 'redis' ? await startRedisServer() : undefined;
    store = redis ? createRedisStore({ url: redis.url, onError: () => undefined }) : createMemoryStore();
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  const depsWith = (ttlMs: number, waitMs: number) => ({ store, now: () => new Date(), sleep, changeLease: { ttlMs, waitMs } });

  it('a holder outlived by its lease is refused; the holder after it writes', async () => {
    const order = await store.orders.create(makeOrder());
    const stale = await takeChangeLease(depsWith(50, 0), order.id);
    await sleep(80); // the first holder pauses past its TTL
    const later = await takeChangeLease(depsWith(5_000, 0), order.id);
    expect(later.fence).toBeGreaterThan(stale.fence);

    await expect(rememberRequestKeys({ store }, order.id, ['request:stale'], stale.fence)).rejects.toBeInstanceOf(StaleChangeLeaseError);
    const written = await rememberRequestKeys({ store }, order.id, ['request:later'], later.fence);
    expect(written.seenKeys).toEqual(['request:later']);
    await stale.release(); // not its lease any more: must not free the later holder's
    await expect(takeChangeLease(depsWith(5_000, 0), order.id)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await later.release();
  });

  it('a second taker waits until the first releases, and then sees its write', async () => {
    const order = await store.orders.create(makeOrder());
    const first = await takeChangeLease(depsWith(5_000, 0), order.id);
    const waiting = takeChangeLease(depsWith(5_000, 5_000), order.id);
    await rememberRequestKeys({ store }, order.id, ['request:first'], first.fence);
    await first.release();
    const second = await waiting;
    expect(second.order.seenKeys).toEqual(['request:first']);
    expect(second.fence).toBe(first.fence + 1);
    await second.release();
  });
});
