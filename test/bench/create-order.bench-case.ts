import { performance } from 'node:perf_hooks';
import { startRecordingProxy } from '../support/recording-proxy.js';
import { startFloorCreateServer } from './support/bare-process.js';
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
 *
 * A third path alternates with them: the floor (support/floor-create-server.ts), a bare node:http
 * process doing only the I/O of a money-once creation (a Redis write, the same provider request
 * through the same proxy, a Redis script, the answer). Its overhead is what any gateway keeping
 * those guarantees pays on this machine before it does any GraphQL.
 */
/** The bundle (as deployed) and the sources under tsx (as `npm start` runs them). */
const RUNNERS: { runner: GatewayRunner; label: string }[] = [
  { runner: 'built', label: 'bundle (dist/main.mjs)' },
  { runner: 'tsx', label: 'npm start (tsx)' },
];

export const createOrderBenchmark: Benchmark = {
  name: 'create-order',
  description: 'createOrder through the gateway minus the same REST call straight to the sandbox (bundle and tsx), beside the I/O floor',
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
        { gateway: label, path: 'floor: node:http + Redis write + same call + Redis script', 'p50 ms': measured.floorMs.p50, 'p99 ms': measured.floorMs.p99, 'upstream calls': 1 },
        { gateway: label, path: 'floor overhead (p50 floor - p50 direct)', 'p50 ms': measured.floorOverheadP50Ms, 'p99 ms': '', 'upstream calls': '' },
      );
    }
    return { tables: [{ title: `createOrder (Intergiro payment link), ${iterations} each, alternating`, rows }], results };
  },
};

async function measure(env: BenchEnvironment, runner: GatewayRunner, iterations: number, warmup: number) {
  const proxy = await startRecordingProxy(env.sandboxes.sandboxes.intergiro.url);
  const gateway = await env.startGateway(GATEWAY_DEFAULTS, { INTERGIRO_URL: proxy.url }, runner);
  const floor = await startFloorCreateServer({ redisUrl: env.redis.url, providerUrl: proxy.url, providerAuthorization: `Bearer ${INTERGIRO_API_KEY}` });
  const token = await env.token('orders:create', 'bench-shop');
  const throughGateway: number[] = [];
  const direct: number[] = [];
  const throughFloor: number[] = [];
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

      // The floor sends the same request upstream, under its own order number.
      const floorBody = creation.body.replace(`bench-create-${runner}-${i}`, `bench-floor-${runner}-${i}`);
      start = performance.now();
      const floorResponse = await fetch(floor.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: creation.path, body: floorBody }) });
      await floorResponse.arrayBuffer();
      const viaFloor = performance.now() - start;
      if (!floorResponse.ok) throw new Error(`the floor answered ${floorResponse.status}`);
      if (i < warmup) continue;
      throughGateway.push(viaGateway);
      direct.push(straight);
      throughFloor.push(viaFloor);
      // Only the creation itself: the gateway's poller also reads waiting orders meanwhile.
      upstreamPerCreate.push(sent.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/order')).length);
    }
  } finally {
    await gateway.stop();
    await floor.stop();
    await proxy.close();
  }
  const gatewayMs = distribution(throughGateway);
  const directMs = distribution(direct);
  const floorMs = distribution(throughFloor);
  return {
    gatewayMs: roundDistribution(gatewayMs),
    directMs: roundDistribution(directMs),
    floorMs: roundDistribution(floorMs),
    overheadP50Ms: round(gatewayMs.p50 - directMs.p50, 2),
    floorOverheadP50Ms: round(floorMs.p50 - directMs.p50, 2),
    upstreamCallsPerCreate: round(upstreamPerCreate.reduce((sum, count) => sum + count, 0) / upstreamPerCreate.length, 2),
  };
}
