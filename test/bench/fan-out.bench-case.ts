import type { Benchmark, BenchTable } from './support/benchmark.js';
import { intergiroLinkOrder } from './support/documents.js';
import { GATEWAY_DEFAULTS } from './support/environment.js';
import { createOrders } from './support/orders.js';
import { distribution, round, roundDistribution } from './support/stats.js';
import { openSubscribers, until } from './support/subscribers.js';
import { payAndCallBack } from './support/webhooks.js';

/** Subscriptions per WebSocket (graphql-ws multiplexes; browsers would use one each). */
const PER_SOCKET = 250;
/** A few hot orders (a shared checkout screen, a back office) take this share of the watchers. */
const HOT_ORDERS = 5;
const HOT_SHARE = 0.2;

/**
 * Webhook accepted -> subscriber message over graphql-ws, with 1,000 and 10,000 subscribers
 * spread over orders (one order per ten watchers on average, five hot orders sharing a fifth of
 * them), plus the gateway's RSS with the subscriptions idle.
 *
 * Clock: starts just before the harness sends the signed callback and stops when each
 * subscriber's message arrives, so it includes the webhook's own handling (HTTP, JWT check, the
 * Redis write that publishes the change); the webhook's round trip is reported beside it.
 * Callbacks go one after another (each after the previous one was answered), every order once.
 */
export const fanOutBenchmark: Benchmark = {
  name: 'fan-out',
  description: 'webhook -> graphql-ws subscriber latency with 1k / 10k subscribers, RSS when idle',
  async run({ env, quick }) {
    const sizes = quick ? [200, 1_000] : [1_000, 10_000];
    const token = await env.token('orders:create orders:read', 'bench-watcher');
    const intergiro = env.sandboxes.sandboxes.intergiro;
    const runs: Record<string, unknown>[] = [];
    const rows: BenchTable['rows'] = [];

    for (const subscribers of sizes) {
      const gateway = await env.startGateway(GATEWAY_DEFAULTS);
      try {
        const orderCount = Math.max(HOT_ORDERS + 1, Math.round(subscribers / 10));
        const orders = await createOrders(gateway.url, token, orderCount, (i) => intergiroLinkOrder(`bench-fan-${subscribers}-${i}`));
        const hotWatchers = Math.round((subscribers * HOT_SHARE) / HOT_ORDERS);
        const watched: string[] = [];
        for (let hot = 0; hot < HOT_ORDERS; hot++) for (let i = 0; i < hotWatchers; i++) watched.push(orders[hot]!.id);
        for (let i = 0; watched.length < subscribers; i++) watched.push(orders[HOT_ORDERS + (i % (orderCount - HOT_ORDERS))]!.id);

        const rssBefore = gateway.rss();
        const pool = await openSubscribers({ url: gateway.url, token, orderIds: watched, perSocket: PER_SOCKET });
        await pool.ready(60_000);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const rssIdle = gateway.rss();

        const sentAt = new Map<string, number>();
        const roundTrips: number[] = [];
        for (const order of shuffled(orders)) {
          const sent = await payAndCallBack(intergiro, gateway.url, order.providerOrderId);
          sentAt.set(order.id, sent.sentAt);
          roundTrips.push(sent.roundTripMs);
        }
        const complete = await until(() => pool.watchers.every((watcher) => watcher.changes.length > 0), 60_000);
        const hotIds = new Set(orders.slice(0, HOT_ORDERS).map((order) => order.id));
        const latencies: number[] = [];
        const hotLatencies: number[] = [];
        for (const watcher of pool.watchers) {
          const change = watcher.changes[0];
          const start = sentAt.get(watcher.orderId);
          if (!change || start === undefined) continue;
          (hotIds.has(watcher.orderId) ? hotLatencies : latencies).push(change.at - start);
        }
        const all = distribution([...latencies, ...hotLatencies]);
        const missing = subscribers - all.count;
        await pool.close();

        const result = {
          subscribers,
          orders: orderCount,
          hotOrders: HOT_ORDERS,
          watchersPerHotOrder: hotWatchers,
          sockets: Math.ceil(subscribers / PER_SOCKET),
          complete,
          missing,
          latencyMs: roundDistribution(all),
          hotOrderLatencyMs: roundDistribution(distribution(hotLatencies)),
          otherOrderLatencyMs: roundDistribution(distribution(latencies)),
          webhookRoundTripMs: roundDistribution(distribution(roundTrips)),
          rssBeforeMb: round(rssBefore / 2 ** 20, 1),
          rssIdleMb: round(rssIdle / 2 ** 20, 1),
          rssPerSubscriptionKb: round((rssIdle - rssBefore) / 1024 / subscribers, 2),
        };
        runs.push(result);
        rows.push({
          subscribers,
          orders: orderCount,
          'p50 ms': result.latencyMs.p50,
          'p99 ms': result.latencyMs.p99,
          'max ms': result.latencyMs.max,
          'hot-order p99 ms': result.hotOrderLatencyMs.p99,
          'webhook round trip p50 ms': result.webhookRoundTripMs.p50,
          'RSS idle MB': result.rssIdleMb,
          'RSS before MB': result.rssBeforeMb,
          missing,
        });
      } finally {
        await gateway.stop();
      }
    }
    return {
      tables: [{ title: 'Webhook accepted -> graphql-ws subscriber message (one gateway, Redis store)', rows }],
      results: { perSocket: PER_SOCKET, runs },
    };
  },
};

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
