/**
 * The answer cache's bookkeeping (src/server/read-cache.ts): answers kept per caller and shape,
 * the oldest dropped when full, an answer found out of date dropped, a change evicting exactly its
 * order's answers. The gateway-level guarantees (never stale, across instances, tokens) are in
 * test/gateway/read-cache.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Order, OrderStatusChange } from '../../src/domain/order.js';
import { OrderReadCache, ReadRecorder } from '../../src/server/read-cache.js';

/** The store's side, reduced to what the cache asks of it: each order's current version. */
function cacheOver(versions: Map<string, number>, maxEntries = 10) {
  let hear: ((change: OrderStatusChange) => void) | undefined;
  const cache = new OrderReadCache({ orders: { version: async (id) => versions.get(id) ?? null }, answersFromStore: () => true, maxEntries });
  cache.watch({ subscribe: async (listener) => ((hear = listener), () => undefined) }, (error) => {
    throw error;
  });
  const changed = (orderId: string) => hear!({ order: { id: orderId } } as OrderStatusChange);
  return { cache, changed };
}

async function keep(cache: OrderReadCache, caller: string, shape: string, orderId: string, version: number, body = `${orderId}@${version}`) {
  const recorder = new ReadRecorder({ caller, shape });
  recorder.operation = { type: 'query', name: 'GetOrder' };
  recorder.order({ id: orderId, version } as Order);
  await cache.keep(recorder, new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }), { Response });
}

/** The kept body under (caller, shape), `stale`, or undefined when nothing is kept. */
async function lookUp(cache: OrderReadCache, caller: string, shape: string): Promise<string | undefined> {
  const answer = await cache.fresh(caller, shape);
  if (answer === undefined || answer === 'stale') return answer;
  return Buffer.from(answer.body).toString();
}

describe('the answer cache entries', () => {
  it('keeps an answer per caller and per shape: another of either finds nothing', async () => {
    const { cache } = cacheOver(new Map([['ord_1', 3]]));
    await keep(cache, 'Bearer a', 'shape-1', 'ord_1', 3);
    expect(await lookUp(cache, 'Bearer a', 'shape-1')).toBe('ord_1@3');
    expect(await lookUp(cache, 'Bearer b', 'shape-1')).toBeUndefined();
    expect(await lookUp(cache, 'Bearer a', 'shape-2')).toBeUndefined();
  });

  it('drops an answer whose order moved on, once found out of date', async () => {
    const versions = new Map([['ord_1', 3]]);
    const { cache } = cacheOver(versions);
    await keep(cache, 'Bearer a', 'shape-1', 'ord_1', 3);
    versions.set('ord_1', 4);
    expect(await lookUp(cache, 'Bearer a', 'shape-1')).toBe('stale');
    versions.set('ord_1', 3); // even were the store to say 3 again, the answer is gone
    expect(await lookUp(cache, 'Bearer a', 'shape-1')).toBeUndefined();
  });

  it('drops the oldest answer when full', async () => {
    const { cache } = cacheOver(new Map([['ord_1', 1], ['ord_2', 1], ['ord_3', 1]]), 2);
    await keep(cache, 'Bearer a', 's', 'ord_1', 1);
    await keep(cache, 'Bearer b', 's', 'ord_2', 1);
    await keep(cache, 'Bearer a', 't', 'ord_3', 1);
    expect(await lookUp(cache, 'Bearer a', 's')).toBeUndefined();
    expect(await lookUp(cache, 'Bearer b', 's')).toBe('ord_2@1');
    expect(await lookUp(cache, 'Bearer a', 't')).toBe('ord_3@1');
  });

  it("a change evicts every answer of its order and no other's", async () => {
    const { cache, changed } = cacheOver(new Map([['ord_1', 1], ['ord_2', 1]]));
    await keep(cache, 'Bearer a', 's', 'ord_1', 1);
    await keep(cache, 'Bearer b', 's', 'ord_1', 1);
    await keep(cache, 'Bearer a', 't', 'ord_2', 1);
    await new Promise((resolve) => setImmediate(resolve)); // the feed subscription is live
    changed('ord_1');
    expect(await lookUp(cache, 'Bearer a', 's')).toBeUndefined();
    expect(await lookUp(cache, 'Bearer b', 's')).toBeUndefined();
    expect(await lookUp(cache, 'Bearer a', 't')).toBe('ord_2@1');
  });

  it("an answer kept again under the same key replaces the first: the first order's change no longer touches it", async () => {
    const { cache, changed } = cacheOver(new Map([['ord_1', 1], ['ord_2', 1]]));
    await keep(cache, 'Bearer a', 's', 'ord_1', 1);
    await keep(cache, 'Bearer a', 's', 'ord_2', 1);
    await new Promise((resolve) => setImmediate(resolve));
    changed('ord_1');
    expect(await lookUp(cache, 'Bearer a', 's')).toBe('ord_2@1');
  });
});
