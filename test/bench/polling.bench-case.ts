import { performance } from 'node:perf_hooks';
import { startRecordingProxy } from '../support/recording-proxy.js';
import { peiAccessToken } from '../support/pei.js';
import type { Benchmark, BenchTable } from './support/benchmark.js';
import { ORDER_STATUS, peiFirstOrder } from './support/documents.js';
import { GATEWAY_DEFAULTS, graphql } from './support/environment.js';
import { createOrders, type CreatedOrder } from './support/orders.js';
import { distribution, round } from './support/stats.js';
import { openSubscribers, until } from './support/subscribers.js';

const CLIENTS = 100;
const POLL_MS = 1000;

type Way = 'subscribe' | 'poll-gateway' | 'poll-pei';

/**
 * 100 clients wait on one Pei order that the buyer confirms after a random delay: as graphql-ws
 * subscribers, as clients polling `order(id)` every second, and (for scale) as clients polling
 * Pei's own API every second, as they would without the gateway.
 *
 * Pei because it is the honest case for polling: `order(id)` of a waiting Pei order re-reads Pei
 * (refreshOnRead, at most once per reconciliation interval), so polling the gateway does cost
 * upstream requests, while an Intergiro order is answered from the store and polling would look
 * free. Upstream requests are counted at a recording proxy in front of Pei's API (the gateway's
 * PEI_URL points at it): every API request from the order's creation until every client knows
 * (one order at a time, so all of them are this order's), the gateway's own reconciliation and
 * the postback's re-read included; for the no-gateway clients, their own requests plus the
 * creation. The delay runs from the buyer's Confirm at Pei to each client learning of it.
 */
export const pollingBenchmark: Benchmark = {
  name: 'polling',
  description: '100 subscribers vs 100 clients polling order(id) every second (Pei)',
  async run({ env, quick }) {
    const rounds = quick ? 1 : 3;
    const [minDelay, maxDelay] = quick ? [1500, 3000] : [3000, 10_000];
    const pei = env.sandboxes.sandboxes.pei;
    const proxy = await startRecordingProxy(pei.url);
    const gateway = await env.startGateway(GATEWAY_DEFAULTS, { PEI_URL: proxy.url });
    const token = await env.token('orders:create orders:read', 'bench-shop');
    const measured: Record<Way, { delays: number[]; upstream: number[] }> = {
      subscribe: { delays: [], upstream: [] },
      'poll-gateway': { delays: [], upstream: [] },
      'poll-pei': { delays: [], upstream: [] },
    };
    try {
      for (let round = 0; round < rounds; round++) {
        for (const way of ['subscribe', 'poll-gateway', 'poll-pei'] as const) {
          const requestsBefore = proxy.requests.length;
          const [order] = await createOrders(gateway.url, token, 1, () => peiFirstOrder(`bench-poll-${way}-${round}`));
          const payIn = minDelay + Math.random() * (maxDelay - minDelay);
          let direct = 0;
          const delays = await waitAs(way, {
            gatewayUrl: gateway.url,
            token,
            order: order!,
            payIn,
            peiUrl: proxy.url,
            peiToken: () => peiAccessToken(pei),
            countDirect: (requests) => (direct = requests),
          });
          measured[way].delays.push(...delays);
          // Without a gateway only the clients (and the order's creation) would call Pei.
          measured[way].upstream.push(way === 'poll-pei' ? direct + 1 : proxy.requests.length - requestsBefore);
        }
      }
    } finally {
      await gateway.stop();
      await proxy.close();
    }

    const summary = Object.fromEntries(
      (Object.keys(measured) as Way[]).map((way) => {
        const delays = distribution(measured[way].delays);
        const upstream = measured[way].upstream.reduce((sum, count) => sum + count, 0) / measured[way].upstream.length;
        return [way, { meanDelayMs: round(delays.mean, 1), p99DelayMs: round(delays.p99, 1), clients: delays.count, upstreamPerOrder: round(upstream, 1) }];
      }),
    ) as Record<Way, { meanDelayMs: number; p99DelayMs: number; clients: number; upstreamPerOrder: number }>;
    const labels: Record<Way, string> = {
      subscribe: `${CLIENTS} graphql-ws subscribers`,
      'poll-gateway': `${CLIENTS} clients polling order(id) every 1 s`,
      'poll-pei': `${CLIENTS} clients polling Pei's API every 1 s (no gateway)`,
    };
    const rows: BenchTable['rows'] = (Object.keys(summary) as Way[]).map((way) => ({
      clients: labels[way],
      'mean delay ms': summary[way].meanDelayMs,
      'p99 delay ms': summary[way].p99DelayMs,
      'upstream requests / order': summary[way].upstreamPerOrder,
      'delay vs subscribers': round(summary[way].meanDelayMs / summary.subscribe.meanDelayMs, 1),
      'upstream vs subscribers': round(summary[way].upstreamPerOrder / summary.subscribe.upstreamPerOrder, 1),
    }));
    return {
      tables: [{ title: `One Pei order paid after ${minDelay / 1000}-${maxDelay / 1000} s, ${rounds} round(s) per way`, rows }],
      results: { clients: CLIENTS, pollMs: POLL_MS, rounds, payDelayMs: [minDelay, maxDelay], ...summary, raw: measured },
    };
  },
};

interface WaitOptions {
  gatewayUrl: string;
  token: string;
  order: CreatedOrder;
  /** ms until the buyer confirms. */
  payIn: number;
  /** Pei's API as the clients without a gateway would call it (through the counting proxy). */
  peiUrl: string;
  peiToken(): Promise<string>;
  /** Told how many requests the clients themselves made (poll-pei: all of them go upstream). */
  countDirect?: (requests: number) => void;
}

/** The clients wait their way while the buyer confirms after `payIn`; answers each client's delay (ms). */
async function waitAs(way: Way, options: WaitOptions): Promise<number[]> {
  const { order } = options;
  let paidAt = Number.POSITIVE_INFINITY;
  const pay = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, options.payIn));
    const checkout = order.redirectUrl;
    if (!checkout) throw new Error('a Pei order without a checkout page');
    const page = await fetch(checkout);
    await page.text();
    paidAt = performance.now();
    const answer = await fetch(`${checkout}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    await answer.arrayBuffer();
  };

  if (way === 'subscribe') {
    const pool = await openSubscribers({ url: options.gatewayUrl, token: options.token, orderIds: Array(CLIENTS).fill(order.id), perSocket: 1 });
    await pool.ready(20_000);
    await pay();
    const done = await until(() => pool.watchers.every((watcher) => watcher.changes.some((change) => change.status === 'CAPTURED')), 30_000);
    await pool.close();
    if (!done) throw new Error('not every subscriber heard of the payment');
    return pool.watchers.map((watcher) => watcher.changes.find((change) => change.status === 'CAPTURED')!.at - paidAt);
  }

  // Polling: each client looks once a second from a random phase until it sees the payment.
  const peiToken = way === 'poll-pei' ? await options.peiToken() : '';
  let firstPeiStatus: string | undefined;
  let requests = 0;
  const paidNow = async (): Promise<boolean> => {
    requests++;
    if (way === 'poll-gateway') {
      const data = await graphql<{ order: { status: string } | null }>(options.gatewayUrl, options.token, ORDER_STATUS, { id: order.id });
      return data.order?.status === 'CAPTURED';
    }
    const response = await fetch(`${options.peiUrl}/api/orders/${encodeURIComponent(order.providerOrderId)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${peiToken}` },
    });
    const status = String(((await response.json()) as { status?: unknown }).status);
    firstPeiStatus ??= status;
    return status !== firstPeiStatus;
  };
  const client = async (): Promise<number> => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
    for (;;) {
      const looked = performance.now();
      if (await paidNow()) return performance.now() - paidAt;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - looked))));
    }
  };
  const [delays] = await Promise.all([Promise.all(Array.from({ length: CLIENTS }, client)), pay()]);
  options.countDirect?.(requests);
  return delays;
}
