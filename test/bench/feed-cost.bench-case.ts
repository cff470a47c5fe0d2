import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRedisStore, type RedisStoreOptions } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { makeOrder, withEvent } from '../support/orders.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import type { Benchmark, BenchTable } from './support/benchmark.js';
import { CREATE_ORDER, intergiroLinkOrder } from './support/documents.js';
import { GATEWAY_DEFAULTS, graphql, type BenchEnvironment, type BenchGateway } from './support/environment.js';
import { distribution, round, roundDistribution, type Distribution } from './support/stats.js';
import { payAndCallBack } from './support/webhooks.js';

/*
 * What the order index and the gateway-wide feed cost an order write (FEED_AND_INDEX, the Redis
 * store's `feedAndIndex`), measured on and off side by side, interleaved one write at a time so
 * the machine's drift hits both alike:
 *
 *   - the store alone, in the harness process: `orders.create` (one script) and `orders.update`
 *     (a read and one script), on the harness' redis-server (the feed inside the order's script)
 *     and on a real three-master Redis Cluster (the order's script writes the bucket's outbox, the
 *     relay on the feed's master follows: one more round trip);
 *   - end to end: two gateway processes on the same Redis, one with FEED_AND_INDEX=0, each taking
 *     an Intergiro payment-link `createOrder` and then that order's signed payment callback.
 */

type Pair<T> = { on: T; off: T };

export const feedCostBenchmark: Benchmark = {
  name: 'feed-cost',
  description: 'the order index + feed on vs off: the store alone (one Redis, a 3-master cluster) and createOrder + a webhook end to end, interleaved',
  async run({ env, quick }) {
    const storeWrites = quick ? 200 : 2000;
    const endToEnd = quick ? 40 : 300;
    const warmup = quick ? 10 : 50;
    const results: Record<string, unknown> = { storeWrites, endToEnd, warmup };

    const storeRows: BenchTable['rows'] = [];
    const single = await measureStore({ url: env.redis.url }, storeWrites, warmup);
    results.storeOneRedis = single;
    storeRows.push(...storeTableRows('one Redis (feed + index inside the order script)', single));
    const cluster = await startRedisCluster(3);
    try {
      const sharded = await measureStore({ clusterNodes: cluster.nodes }, storeWrites, warmup);
      results.storeCluster = sharded;
      storeRows.push(...storeTableRows('3-master cluster (outbox + relay script)', sharded));
    } finally {
      await cluster.stop();
    }

    const gateways = await measureGateways(env, endToEnd, warmup);
    results.endToEnd = gateways;
    const e2eRows: BenchTable['rows'] = [];
    for (const side of ['on', 'off'] as const) {
      e2eRows.push({
        'feed + index': side,
        'createOrder p50 ms': gateways[side].createMs.p50,
        'createOrder p99 ms': gateways[side].createMs.p99,
        'webhook p50 ms': gateways[side].webhookMs.p50,
        'webhook p99 ms': gateways[side].webhookMs.p99,
      });
    }
    e2eRows.push({
      'feed + index': 'cost (p50 on - p50 off)',
      'createOrder p50 ms': round(gateways.on.createMs.p50 - gateways.off.createMs.p50),
      'createOrder p99 ms': '',
      'webhook p50 ms': round(gateways.on.webhookMs.p50 - gateways.off.webhookMs.p50),
      'webhook p99 ms': '',
    });

    return {
      tables: [
        { title: `Order writes in the store alone, feed + index on vs off, ${storeWrites} each, interleaved`, rows: storeRows },
        { title: `createOrder + its payment callback through a gateway, FEED_AND_INDEX on vs off, ${endToEnd} each, interleaved`, rows: e2eRows },
      ],
      results,
    };
  },
};

interface StoreFigures {
  createMs: Distribution;
  updateMs: Distribution;
}

function storeTableRows(label: string, measured: Pair<StoreFigures>): BenchTable['rows'] {
  const row = (side: string, figures: StoreFigures) => ({
    store: label,
    'feed + index': side,
    'create p50 ms': figures.createMs.p50,
    'create p99 ms': figures.createMs.p99,
    'update p50 ms': figures.updateMs.p50,
    'update p99 ms': figures.updateMs.p99,
  });
  return [
    row('on', measured.on),
    row('off', measured.off),
    {
      store: label,
      'feed + index': 'cost (p50 on - p50 off)',
      'create p50 ms': round(measured.on.createMs.p50 - measured.off.createMs.p50, 3),
      'create p99 ms': '',
      'update p50 ms': round(measured.on.updateMs.p50 - measured.off.updateMs.p50, 3),
      'update p99 ms': '',
    },
  ];
}

type Side = 'on' | 'off';

/**
 * `step` on each side, `warmup + iterations` times, alternating which side goes first so drift
 * hits both alike; each step answers its timings (ms) by name. The distributions after warm-up.
 */
async function interleaved<K extends string>(
  iterations: number,
  warmup: number,
  digits: number,
  step: (side: Side, iteration: number) => Promise<Record<K, number>>,
): Promise<Pair<Record<K, Distribution>>> {
  const samples: Pair<Partial<Record<K, number[]>>> = { on: {}, off: {} };
  for (let i = 0; i < warmup + iterations; i++) {
    for (const side of i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const timings = await step(side, i);
      if (i < warmup) continue;
      for (const [name, ms] of Object.entries(timings) as [K, number][]) (samples[side][name] ??= []).push(ms);
    }
  }
  const figures = (side: Side) =>
    Object.fromEntries(Object.entries(samples[side]).map(([name, values]) => [name, roundDistribution(distribution(values as number[]), digits)])) as Record<K, Distribution>;
  return { on: figures('on'), off: figures('off') };
}

/** Creates and updates on each of two stores (feed on, off) on the same Redis. */
async function measureStore(target: Pick<RedisStoreOptions, 'url' | 'clusterNodes'>, writes: number, warmup: number): Promise<Pair<StoreFigures>> {
  const open = (feedAndIndex: boolean): Store =>
    createRedisStore({ ...target, keyPrefix: `bench-feed-cost:${randomUUID()}:`, feedAndIndex, outboxSweepMs: 0, autoPipelining: true });
  const stores: Pair<Store> = { on: open(true), off: open(false) };
  try {
    return await interleaved(writes, warmup, 3, async (side, i) => {
      const store = stores[side];
      let start = performance.now();
      const order = await store.orders.create(makeOrder({ reference: `bench-${i}` }));
      const createMs = performance.now() - start;
      start = performance.now();
      await store.orders.update(order.id, (current) => withEvent(current, 'CAPTURED'));
      return { createMs, updateMs: performance.now() - start };
    });
  } finally {
    await Promise.all([stores.on.close(), stores.off.close()]);
  }
}

interface GatewayFigures {
  createMs: Distribution;
  webhookMs: Distribution;
}

/** Two gateway processes (the bundle), feed on and off: a createOrder, then its payment callback. */
async function measureGateways(env: BenchEnvironment, iterations: number, warmup: number): Promise<Pair<GatewayFigures>> {
  const gateways: Pair<BenchGateway> = {
    on: await env.startGateway(GATEWAY_DEFAULTS, { FEED_AND_INDEX: '1' }),
    off: await env.startGateway(GATEWAY_DEFAULTS, { FEED_AND_INDEX: '0' }),
  };
  const token = await env.token('orders:create', 'bench-feed-cost');
  try {
    return await interleaved(iterations, warmup, 2, async (side, i) => {
      const gateway = gateways[side];
      const start = performance.now();
      const { createOrder } = await graphql<{ createOrder: { providerOrderId: string } }>(gateway.url, token, CREATE_ORDER, {
        input: intergiroLinkOrder(`bench-feed-${side}-${i}`),
      });
      const createMs = performance.now() - start;
      const { roundTripMs } = await payAndCallBack(env.sandboxes.sandboxes.intergiro, gateway.url, createOrder.providerOrderId);
      return { createMs, webhookMs: roundTripMs };
    });
  } finally {
    await Promise.all([gateways.on.stop(), gateways.off.stop()]);
  }
}
