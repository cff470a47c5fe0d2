import type { Benchmark, BenchTable } from './support/benchmark.js';
import { intergiroLinkOrder } from './support/documents.js';
import { GATEWAY_DEFAULTS } from './support/environment.js';
import { createOrders } from './support/orders.js';
import { distribution, roundDistribution } from './support/stats.js';
import { openSubscribers, until } from './support/subscribers.js';
import { payAndCallBack } from './support/webhooks.js';

/**
 * Two gateway processes on one Redis: the webhook reaches instance A, and the change travels
 * through Redis pub/sub to subscribers on instance B; subscribers on A hear the same change in
 * the same run, for comparison. Same clock as the fan-out benchmark (from the callback's send).
 */
export const crossInstanceBenchmark: Benchmark = {
  name: 'cross-instance',
  description: 'webhook on instance A -> subscriber on instance B (one Redis)',
  async run({ env, quick }) {
    const orderCount = quick ? 50 : 300;
    const watchersPerOrder = 2;
    const a = await env.startGateway(GATEWAY_DEFAULTS);
    const b = await env.startGateway(GATEWAY_DEFAULTS);
    const token = await env.token('orders:create orders:read', 'bench-cross');
    const intergiro = env.sandboxes.sandboxes.intergiro;
    try {
      const orders = await createOrders(a.url, token, orderCount, (i) => intergiroLinkOrder(`bench-cross-${i}`));
      const watched = orders.flatMap((order) => Array<string>(watchersPerOrder).fill(order.id));
      const onA = await openSubscribers({ url: a.url, token, orderIds: watched, perSocket: 100 });
      const onB = await openSubscribers({ url: b.url, token, orderIds: watched, perSocket: 100 });
      await Promise.all([onA.ready(30_000), onB.ready(30_000)]);

      const sentAt = new Map<string, number>();
      for (const order of orders) sentAt.set(order.id, (await payAndCallBack(intergiro, a.url, order.providerOrderId)).sentAt);
      const heard = () => [...onA.watchers, ...onB.watchers].every((watcher) => watcher.changes.length > 0);
      const complete = await until(heard, 30_000);
      const latencies = (pool: typeof onA): number[] =>
        pool.watchers.flatMap((watcher) => (watcher.changes[0] ? [watcher.changes[0].at - (sentAt.get(watcher.orderId) ?? Number.NaN)] : []));
      const same = roundDistribution(distribution(latencies(onA)));
      const cross = roundDistribution(distribution(latencies(onB)));
      await Promise.all([onA.close(), onB.close()]);
      const rows: BenchTable['rows'] = [
        { subscribers: `on instance B (cross-instance, via Redis)`, count: cross.count, 'p50 ms': cross.p50, 'p99 ms': cross.p99, 'max ms': cross.max },
        { subscribers: `on instance A (where the webhook landed)`, count: same.count, 'p50 ms': same.p50, 'p99 ms': same.p99, 'max ms': same.max },
      ];
      return {
        tables: [{ title: `Two gateways on one Redis: ${orderCount} webhooks to A, ${watchersPerOrder} watchers per order on each`, rows }],
        results: { orders: orderCount, watchersPerOrderPerInstance: watchersPerOrder, complete, crossInstanceMs: cross, sameInstanceMs: same },
      };
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  },
};
