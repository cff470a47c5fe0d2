import { describe, expect, it } from 'vitest';
import type { OrderStatusChange } from '../../src/domain/order.js';
import { watchAllOrders } from '../../src/domain/order-updates.js';
import { ChangeHub } from '../../src/store/change-hub.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { FeedLog } from '../../src/store/types.js';
import { makeOrder, withEvent } from '../support/orders.js';

/*
 * orderUpdates where live changes may arrive out of cursor order, as in a Redis Cluster (changes of
 * different order buckets are published on different shards' channels, so whichever shard is
 * quicker is heard first). The store and its feed are real (the in-process store); only the live
 * transport is held here, so the test decides the order in which changes arrive, which a real
 * cluster decides by chance.
 */
describe('orderUpdates on a live feed that may deliver out of cursor order', () => {
  it('sends every change once, in cursor order, so resuming after the newest cursor handled misses nothing', async () => {
    const store = createMemoryStore();
    const committed: OrderStatusChange[] = [];
    await store.changes.subscribe((change) => committed.push(change));
    let deliver: (change: OrderStatusChange) => void = () => undefined;
    const hub = new ChangeHub({
      async subscribe(listener) {
        deliver = listener;
        return () => undefined;
      },
    });
    let positioned!: () => void;
    const joined = new Promise<void>((resolve) => (positioned = resolve));
    const feed: FeedLog = {
      ...store.feed,
      liveInCursorOrder: false,
      async position() {
        const position = await store.feed.position();
        positioned();
        return position;
      },
    };

    const updates = watchAllOrders({ feed, hub }, null, null);
    const first = updates.next();
    await joined;
    const x = await store.orders.create(makeOrder());
    const y = await store.orders.create(makeOrder({ provider: 'PEI' }));
    await store.orders.update(x.id, (order) => withEvent(order, 'AUTHORIZED'));
    await store.orders.update(y.id, (order) => withEvent(order, 'CAPTURED'));
    const [c1, c2, c3, c4] = committed as [OrderStatusChange, OrderStatusChange, OrderStatusChange, OrderStatusChange];

    // The second change is heard first, then the first, then the last two swapped.
    deliver(c2);
    const sent = [(await first).value as OrderStatusChange, (await updates.next()).value as OrderStatusChange];
    deliver(c1);
    deliver(c4);
    deliver(c3);
    sent.push((await updates.next()).value as OrderStatusChange, (await updates.next()).value as OrderStatusChange);
    expect(sent.map((change) => change.cursor)).toEqual([c1, c2, c3, c4].map((change) => change.cursor));
    expect(sent.map((change) => [change.order.id, change.eventId])).toEqual([[x.id, '1'], [y.id, '1'], [x.id, '2'], [y.id, '2']]);

    // Nothing twice: the late copies were dropped, the next change is the next message.
    const z = await store.orders.create(makeOrder());
    const next = updates.next();
    deliver(committed.at(-1)!);
    expect(((await next).value as OrderStatusChange).order.id).toBe(z.id);
    await updates.return(undefined);
    await store.close();
  });
});
