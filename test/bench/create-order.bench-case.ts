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

/**
 * Two windows of one gateway's life: cold, the `iterations` creates right after its first few
 * (V8 still interpreting most of graphql-js, Yoga, ioredis and undici), and warm, as many after
 * `warmAfter` creates, when the CPU per create has stopped falling (scratch measurement on this
 * machine: 3.0 ms of gateway CPU per create over the first 500, 1.5-1.6 ms from about the 1,500th
 * on). A gateway in service spends nearly all its life warm, so the aim is read there; the cold
 * figure is printed beside it so that a restart's first minute is not hidden.
 */
interface Windows {
  skip: number;
  iterations: number;
  warmAfter: number;
}

export const createOrderBenchmark: Benchmark = {
  name: 'create-order',
  description: 'createOrder through the gateway minus the same REST call straight to the sandbox (bundle and tsx), cold and warm, beside the I/O floor',
  async run({ env, quick }) {
    const windows: Windows = quick ? { skip: 20, iterations: 60, warmAfter: 200 } : { skip: 50, iterations: 500, warmAfter: 2000 };
    const rows: Record<string, string | number>[] = [];
    const results: Record<string, unknown> = { ...windows };
    for (const { runner, label } of RUNNERS) {
      const measured = await measure(env, runner, windows);
      results[runner] = measured;
      for (const [phase, figures] of [
        [`cold (creates ${windows.skip + 1}-${windows.skip + windows.iterations})`, measured.cold],
        [`warm (creates ${windows.warmAfter + 1}-${windows.warmAfter + windows.iterations})`, measured.warm],
      ] as const) {
        rows.push(
          { gateway: label, window: phase, path: 'through the gateway (GraphQL)', 'p50 ms': figures.gatewayMs.p50, 'p99 ms': figures.gatewayMs.p99, 'upstream calls': figures.upstreamCallsPerCreate },
          { gateway: label, window: phase, path: 'same REST call straight to the sandbox', 'p50 ms': figures.directMs.p50, 'p99 ms': figures.directMs.p99, 'upstream calls': 1 },
          { gateway: label, window: phase, path: 'overhead (p50 gateway - p50 direct)', 'p50 ms': figures.overheadP50Ms, 'p99 ms': '', 'upstream calls': '' },
          { gateway: label, window: phase, path: 'floor: node:http + Redis write + same call + Redis script', 'p50 ms': figures.floorMs.p50, 'p99 ms': figures.floorMs.p99, 'upstream calls': 1 },
          { gateway: label, window: phase, path: 'floor overhead (p50 floor - p50 direct)', 'p50 ms': figures.floorOverheadP50Ms, 'p99 ms': '', 'upstream calls': '' },
        );
      }
    }
    return {
      tables: [{ title: `createOrder (Intergiro payment link), ${windows.iterations} each per window, alternating, cold and warm`, rows }],
      results,
    };
  },
};

interface Samples {
  gateway: number[];
  direct: number[];
  floor: number[];
  upstreamPerCreate: number[];
}

const noSamples = (): Samples => ({ gateway: [], direct: [], floor: [], upstreamPerCreate: [] });

async function measure(env: BenchEnvironment, runner: GatewayRunner, { skip, iterations, warmAfter }: Windows) {
  const proxy = await startRecordingProxy(env.sandboxes.sandboxes.intergiro.url);
  const gateway = await env.startGateway(GATEWAY_DEFAULTS, { INTERGIRO_URL: proxy.url }, runner);
  const floor = await startFloorCreateServer({ redisUrl: env.redis.url, providerUrl: proxy.url, providerAuthorization: `Bearer ${INTERGIRO_API_KEY}` });
  const token = await env.token('orders:create', 'bench-shop');
  const cold = noSamples();
  const warm = noSamples();
  const windowOf = (i: number): Samples | null => (i >= skip && i < skip + iterations ? cold : i >= warmAfter ? warm : null);
  try {
    for (let i = 0; i < warmAfter + iterations; i++) {
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
      const samples = windowOf(i);
      if (!samples) continue;
      samples.gateway.push(viaGateway);
      samples.direct.push(straight);
      samples.floor.push(viaFloor);
      // Only the creation itself: the gateway's poller also reads waiting orders meanwhile.
      samples.upstreamPerCreate.push(sent.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/order')).length);
    }
  } finally {
    await gateway.stop();
    await floor.stop();
    await proxy.close();
  }
  return { cold: figuresOf(cold), warm: figuresOf(warm) };
}

function figuresOf(samples: Samples) {
  const gatewayMs = distribution(samples.gateway);
  const directMs = distribution(samples.direct);
  const floorMs = distribution(samples.floor);
  return {
    gatewayMs: roundDistribution(gatewayMs),
    directMs: roundDistribution(directMs),
    floorMs: roundDistribution(floorMs),
    overheadP50Ms: round(gatewayMs.p50 - directMs.p50, 2),
    floorOverheadP50Ms: round(floorMs.p50 - directMs.p50, 2),
    upstreamCallsPerCreate: round(samples.upstreamPerCreate.reduce((sum, count) => sum + count, 0) / samples.upstreamPerCreate.length, 2),
  };
}
