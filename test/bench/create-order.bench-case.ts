import { performance } from 'node:perf_hooks';
import { startRecordingProxy } from '../support/recording-proxy.js';
import type { Benchmark } from './support/benchmark.js';
import { CREATE_ORDER, intergiroLinkOrder } from './support/documents.js';
import type { GatewayRunner } from '../support/gateway-process.js';
import { GATEWAY_DEFAULTS, graphql, INTERGIRO_API_KEY, type BenchEnvironment } from './support/environment.js';
import { distribution, round, roundDistribution } from './support/stats.js';

/**
 * createOrder's overhead: an Intergiro payment-link order through the gateway against the very
 * request the gateway sent upstream for it, sent by the harness straight to Intergiro. Both go
 * through the same recording proxy in front of the sandbox (that is how the harness learns the
 * gateway's request, byte for byte), so the proxy's hop is on both sides and cancels out; the
 * two kinds alternate, one at a time, so drift on a busy machine hits both alike.
 */
/** The bundle (as deployed) and the sources under tsx (as `npm start` runs them). */
const RUNNERS: { runner: GatewayRunner; label: string }[] = [
  { runner: 'built', label: 'bundle (dist/main.mjs)' },
  { runner: 'tsx', label: 'npm start (tsx)' },
];

export const createOrderBenchmark: Benchmark = {
  name: 'create-order',
  description: 'createOrder through the gateway minus the same REST call straight to the sandbox (bundle and tsx)',
  async run({ env, quick }) {
    const iterations = quick ? 60 : 500;
    const warmup = quick ? 20 : 50;
    const rows: Record<string, string | number>[] = [];
    const results: Record<string, unknown> = { iterations };
    for (const { runner, label } of RUNNERS) {
      const measured = await measure(env, runner, iterations, warmup);
      results[runner] = measured;
      rows.push(
        { gateway: label, path: 'through the gateway (GraphQL)', 'p50 ms': measured.gatewayMs.p50, 'p99 ms': measured.gatewayMs.p99, 'upstream calls': measured.upstreamCallsPerCreate },
        { gateway: label, path: 'same REST call straight to the sandbox', 'p50 ms': measured.directMs.p50, 'p99 ms': measured.directMs.p99, 'upstream calls': 1 },
        { gateway: label, path: 'overhead (p50 gateway - p50 direct)', 'p50 ms': measured.overheadP50Ms, 'p99 ms': '', 'upstream calls': '' },
      );
    }
    return { tables: [{ title: `createOrder (Intergiro payment link), ${iterations} each, alternating`, rows }], results };
  },
};

async function measure(env: BenchEnvironment, runner: GatewayRunner, iterations: number, warmup: number) {
  const proxy = await startRecordingProxy(env.sandboxes.sandboxes.intergiro.url);
  const gateway = await env.startGateway(GATEWAY_DEFAULTS, { INTERGIRO_URL: proxy.url }, runner);
  const token = await env.token('orders:create', 'bench-shop');
  const throughGateway: number[] = [];
  const direct: number[] = [];
  const upstreamPerCreate: number[] = [];
  try {
    for (let i = 0; i < warmup + iterations; i++) {
      const before = proxy.requests.length;
      let start = performance.now();
      await graphql(gateway.url, token, CREATE_ORDER, { input: intergiroLinkOrder(`bench-create-${runner}-${i}`) });
      const viaGateway = performance.now() - start;
      const sent = proxy.requests.slice(before);
      const creation = sent.find((request) => request.method === 'POST' && request.path.startsWith('/v1/order'));
      if (!creation) throw new Error('the gateway sent no POST /v1/order');

      start = performance.now();
      const response = await fetch(`${proxy.url}${creation.path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, accept: 'application/json', 'content-type': creation.contentType ?? 'application/json' },
        body: creation.body,
      });
      await response.arrayBuffer();
      const straight = performance.now() - start;
      if (!response.ok) throw new Error(`the direct call answered ${response.status}`);
      if (i < warmup) continue;
      throughGateway.push(viaGateway);
      direct.push(straight);
      // Only the creation itself: the gateway's poller also reads waiting orders meanwhile.
      upstreamPerCreate.push(sent.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/order')).length);
    }
  } finally {
    await gateway.stop();
    await proxy.close();
  }
  const gatewayMs = distribution(throughGateway);
  const directMs = distribution(direct);
  return {
    gatewayMs: roundDistribution(gatewayMs),
    directMs: roundDistribution(directMs),
    overheadP50Ms: round(gatewayMs.p50 - directMs.p50, 2),
    upstreamCallsPerCreate: round(upstreamPerCreate.reduce((sum, count) => sum + count, 0) / upstreamPerCreate.length, 2),
  };
}
