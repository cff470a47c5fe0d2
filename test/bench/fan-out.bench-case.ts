import type { Benchmark, BenchTable } from './support/benchmark.js';
import { intergiroLinkOrder } from './support/documents.js';
import { startFloorFanOutServer } from './support/bare-process.js';
import { GATEWAY_DEFAULTS, type BenchEnvironment } from './support/environment.js';
import { createOrders } from './support/orders.js';
import { distribution, round, roundDistribution } from './support/stats.js';
import { openSubscribers, until } from './support/subscribers.js';
import { payAndCallBack } from './support/webhooks.js';

/** Subscriptions per WebSocket (graphql-ws multiplexes; browsers would use one each). */
const PER_SOCKET = 250;
/** A few hot orders (a shared checkout screen, a back office) take this share of the watchers. */
const HOT_ORDERS = 5;
const HOT_SHARE = 0.2;

/** How the watchers are spread over orders, and how many share a socket. */
interface Scenario {
  name: string;
  subscribers: number;
  orders: number;
  /** Subscriptions per WebSocket: 1 is a browser each; graphql-ws multiplexes, so a server may use more. */
  perSocket: number;
  /** The order each watcher watches, given the orders. */
  watch(orderIds: readonly string[]): string[];
  /** Also measure the floor (support/floor-fan-out-server.ts) each round, right after the gateway. */
  floor?: boolean;
}

/** Ten watchers per order on average, five hot orders sharing a fifth of them. */
function spread(subscribers: number): Scenario {
  const orders = Math.max(HOT_ORDERS + 1, Math.round(subscribers / 10));
  return {
    name: `${subscribers.toLocaleString('en')} spread (hot orders)`,
    subscribers,
    orders,
    perSocket: PER_SOCKET,
    watch(ids) {
      const hotWatchers = Math.round((subscribers * HOT_SHARE) / HOT_ORDERS);
      const watched: string[] = [];
      for (let hot = 0; hot < HOT_ORDERS; hot++) for (let i = 0; i < hotWatchers; i++) watched.push(ids[hot]!);
      for (let i = 0; watched.length < subscribers; i++) watched.push(ids[HOT_ORDERS + (i % (orders - HOT_ORDERS))]!);
      return watched;
    },
  };
}

/** The two shapes: many orders one watcher each (checkout pages), one order many watchers. */
const ONE_EACH = (orders: number): Scenario => ({
  name: `${orders} orders, 1 subscriber each`,
  subscribers: orders,
  orders,
  perSocket: 1,
  watch: (ids) => [...ids],
});
const ALL_ON_ONE = (subscribers: number): Scenario => ({
  name: `${subscribers.toLocaleString('en')} subscribers on 1 order`,
  subscribers,
  orders: 1,
  perSocket: 1,
  watch: (ids) => Array.from({ length: subscribers }, () => ids[0]!),
  floor: true,
});

/**
 * Webhook accepted -> subscriber message over graphql-ws: 200 orders with one subscriber each
 * (a socket each, as browsers), 1,000 subscribers on one order (a socket each), and 1,000 and
 * 10,000 spread over orders (250 per socket), plus the gateway's RSS with the subscriptions idle.
 * The first two run three rounds (fresh gateway and orders each); their p99 is over all rounds.
 *
 * Clock: starts just before the harness sends the signed callback and stops when each
 * subscriber's message arrives, so it includes the webhook's own handling (HTTP, JWT check, the
 * Redis write that publishes the change); the webhook's round trip is reported beside it.
 * Callbacks go one after another (each after the previous one was answered), every order once.
 *
 * For 1,000 on one order, each round also measures the floor the same way: a bare node:http + ws
 * process (support/floor-fan-out-server.ts) that stores the callback in Redis, publishes it, and
 * writes one frame to each subscriber's socket when the publish comes back: the I/O of the path,
 * without the gateway's JWT check, domain or GraphQL.
 */
export const fanOutBenchmark: Benchmark = {
  name: 'fan-out',
  description: 'webhook -> graphql-ws subscriber latency: 200 orders x 1, 1,000 on one order, 1k / 10k spread; RSS when idle',
  async run({ env, quick }) {
    const scenarios: { scenario: Scenario; rounds: number }[] = quick
      ? [{ scenario: ONE_EACH(50), rounds: 1 }, { scenario: ALL_ON_ONE(200), rounds: 1 }, { scenario: spread(1_000), rounds: 1 }]
      : [
          { scenario: ONE_EACH(200), rounds: 3 },
          { scenario: ALL_ON_ONE(1_000), rounds: 3 },
          { scenario: spread(1_000), rounds: 1 },
          { scenario: spread(10_000), rounds: 1 },
        ];
    const token = await env.token('orders:create orders:read', 'bench-watcher');
    const intergiro = env.sandboxes.sandboxes.intergiro;
    const runs: Record<string, unknown>[] = [];
    const rows: BenchTable['rows'] = [];

    for (const { scenario, rounds } of scenarios) {
      const latencies: number[] = [];
      const hotLatencies: number[] = [];
      const roundTrips: number[] = [];
      const roundP99s: number[] = [];
      const floorLatencies: number[] = [];
      const floorRoundP99s: number[] = [];
      let missing = 0;
      let rssBefore = 0;
      let rssIdle = 0;
      for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
        const gateway = await env.startGateway(GATEWAY_DEFAULTS);
        let floorOrder: string | undefined;
        try {
          // One more order for the floor, if measured: the gateway's subscribers never watch it.
          const created = await createOrders(gateway.url, token, scenario.orders + (scenario.floor ? 1 : 0), (i) =>
            intergiroLinkOrder(`bench-fan-${scenario.subscribers}-${roundIndex}-${i}`),
          );
          const orders = created.slice(0, scenario.orders);
          floorOrder = scenario.floor ? created[scenario.orders]!.providerOrderId : undefined;
          const watched = scenario.watch(orders.map((order) => order.id));
          rssBefore = gateway.rss();
          const pool = await openSubscribers({ url: gateway.url, token, orderIds: watched, perSocket: scenario.perSocket });
          await pool.ready(60_000);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          rssIdle = gateway.rss();

          const sentAt = new Map<string, number>();
          for (const order of shuffled(orders)) {
            const sent = await payAndCallBack(intergiro, gateway.url, order.providerOrderId);
            sentAt.set(order.id, sent.sentAt);
            roundTrips.push(sent.roundTripMs);
          }
          await until(() => pool.watchers.every((watcher) => watcher.changes.length > 0), 60_000);
          const hotIds = scenario.perSocket === PER_SOCKET ? new Set(orders.slice(0, HOT_ORDERS).map((order) => order.id)) : new Set<string>();
          const thisRound: number[] = [];
          for (const watcher of pool.watchers) {
            const change = watcher.changes[0];
            const start = sentAt.get(watcher.orderId);
            if (!change || start === undefined) {
              missing++;
              continue;
            }
            (hotIds.has(watcher.orderId) ? hotLatencies : latencies).push(change.at - start);
            thisRound.push(change.at - start);
          }
          roundP99s.push(round(distribution(thisRound).p99, 2));
          await pool.close();
        } finally {
          await gateway.stop();
        }
        if (floorOrder) {
          const floorRound = await measureFloor(env, floorOrder, scenario.subscribers, token);
          floorLatencies.push(...floorRound);
          floorRoundP99s.push(round(distribution(floorRound).p99, 2));
        }
      }
      const all = distribution([...latencies, ...hotLatencies]);
      const result = {
        scenario: scenario.name,
        subscribers: scenario.subscribers,
        orders: scenario.orders,
        perSocket: scenario.perSocket,
        rounds,
        missing,
        latencyMs: roundDistribution(all),
        p99PerRoundMs: roundP99s,
        hotOrderLatencyMs: roundDistribution(distribution(hotLatencies)),
        webhookRoundTripMs: roundDistribution(distribution(roundTrips)),
        rssBeforeMb: round(rssBefore / 2 ** 20, 1),
        rssIdleMb: round(rssIdle / 2 ** 20, 1),
        rssPerSubscriptionKb: round((rssIdle - rssBefore) / 1024 / scenario.subscribers, 2),
        ...(floorLatencies.length ? { floorLatencyMs: roundDistribution(distribution(floorLatencies)), floorP99PerRoundMs: floorRoundP99s } : {}),
      };
      runs.push(result);
      rows.push({
        watchers: scenario.name,
        rounds,
        'p50 ms': result.latencyMs.p50,
        'p99 ms': result.latencyMs.p99,
        'p99 per round ms': roundP99s.join(' / '),
        'max ms': result.latencyMs.max,
        'webhook round trip p50 ms': result.webhookRoundTripMs.p50,
        'RSS idle MB': result.rssIdleMb,
        'RSS before MB': result.rssBeforeMb,
        missing,
      });
      if (result.floorLatencyMs) {
        rows.push({
          watchers: `floor: bare node:http + ws + Redis write and publish, ${scenario.subscribers.toLocaleString('en')} on 1 order`,
          rounds,
          'p50 ms': result.floorLatencyMs.p50,
          'p99 ms': result.floorLatencyMs.p99,
          'p99 per round ms': floorRoundP99s.join(' / '),
          'max ms': result.floorLatencyMs.max,
          'webhook round trip p50 ms': '',
          'RSS idle MB': '',
          'RSS before MB': '',
          missing: scenario.subscribers * rounds - floorLatencies.length,
        });
      }
    }
    return {
      tables: [{ title: 'Webhook accepted -> graphql-ws subscriber message (one gateway, Redis store)', rows }],
      results: { runs },
    };
  },
};

/** One round of the floor: `subscribers` sockets on one Intergiro order, its paid callback, each frame's latency. */
async function measureFloor(env: BenchEnvironment, providerOrderId: string, subscribers: number, token: string): Promise<number[]> {
  const floor = await startFloorFanOutServer({ redisUrl: env.redis.url });
  try {
    const pool = await openSubscribers({ url: floor.url, token, orderIds: Array.from({ length: subscribers }, () => providerOrderId), perSocket: 1 });
    await pool.ready(60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sent = await payAndCallBack(env.sandboxes.sandboxes.intergiro, floor.url, providerOrderId);
    await until(() => pool.watchers.every((watcher) => watcher.changes.length > 0), 60_000);
    const latencies = pool.watchers.flatMap((watcher) => (watcher.changes[0] ? [watcher.changes[0].at - sent.sentAt] : []));
    await pool.close();
    return latencies;
  } finally {
    await floor.stop();
  }
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
