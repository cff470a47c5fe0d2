import { performance } from 'node:perf_hooks';
import { createAuthenticator } from '../../src/server/auth.js';
import { createCachingAuthenticator } from '../../src/server/token-cache.js';
import { startBareServer } from './support/bare-process.js';
import type { Benchmark, BenchTable } from './support/benchmark.js';
import { READ_ORDER, intergiroLinkOrder } from './support/documents.js';
import { AUTH_SECRET, type Switches } from './support/environment.js';
import { load, type LoadResult } from './support/load.js';
import { createOrders } from './support/orders.js';
import { round as roundTo } from './support/stats.js';

/** One caller on 16 keep-alive connections (a back office's worker pool, a shop's server). */
const CONNECTIONS = 16;

/** Stock Yoga first, then one speed-up added per step; the last is the gateway's default. */
const STEPS: { name: string; switches: Switches }[] = [
  { name: 'stock Yoga (its parse/validate cache on)', switches: { parseCache: true, jit: false, tokenCache: false, autoPipelining: false, readCache: false } },
  { name: 'stock minus parse/validate cache', switches: { parseCache: false, jit: false, tokenCache: false, autoPipelining: false, readCache: false } },
  { name: '+ verified-token cache', switches: { parseCache: true, jit: false, tokenCache: true, autoPipelining: false, readCache: false } },
  { name: '+ Redis auto-pipelining', switches: { parseCache: true, jit: false, tokenCache: true, autoPipelining: true, readCache: false } },
  { name: '+ graphql-jit, no answer cache (opt-in, GRAPHQL_JIT=1)', switches: { parseCache: true, jit: true, tokenCache: true, autoPipelining: true, readCache: false } },
  { name: '+ order(id) answer cache (default)', switches: { parseCache: true, jit: false, tokenCache: true, autoPipelining: true, readCache: true } },
];

/**
 * Cached `order(id)` over HTTP (Redis store, 16 connections, autocannon in the harness, the
 * gateway in its own process) beside a bare node:http server answering the same bytes, in the
 * same run, for stock Yoga and then each speed-up added in turn.
 */
export const readBenchmark: Benchmark = {
  name: 'read',
  description: 'cached order(id) over HTTP vs a bare node:http server',
  async run({ env, quick }) {
    const seconds = quick ? 3 : 10;
    const warmupSeconds = quick ? 1 : 3;
    const rounds = quick ? 1 : 3;
    const token = await env.token('orders:read', 'back-office');
    const creator = await env.token('orders:create orders:read', 'bench-reader');
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` };

    // The order read: an Intergiro order, answered from the store (Intergiro is not refreshOnRead).
    // Stock's answer to it, byte for byte, is what the bare server answers and every step must answer.
    const reference = await env.startGateway(STEPS[0]!.switches);
    let body: string;
    let answer: string;
    try {
      const [order] = await createOrders(reference.url, creator, 1, () => intergiroLinkOrder('bench-read'));
      body = JSON.stringify({ query: READ_ORDER, variables: { id: order!.id }, operationName: 'ReadOrder' });
      answer = await (await fetch(`${reference.url}/graphql`, { method: 'POST', headers, body })).text();
      if (!answer.includes(order!.id) || answer.includes('"errors"')) throw new Error(`unexpected answer: ${answer}`);
    } finally {
      await reference.stop();
    }

    const measureAt = async (url: string): Promise<LoadResult> => {
      await load({ url: `${url}/graphql`, body, headers, connections: CONNECTIONS, seconds: warmupSeconds });
      return load({ url: `${url}/graphql`, body, headers, connections: CONNECTIONS, seconds });
    };

    // Rounds of (bare, every step): each ratio is against the bare server of its own round, and
    // the table shows the median round, so one noisy stretch on a shared machine moves one sample.
    const bareRuns: LoadResult[] = [];
    const floorRuns: { result: LoadResult; ratio: number }[] = [];
    const stepRuns = STEPS.map(() => [] as { result: LoadResult; ratio: number; rssMb: number }[]);
    for (let round = 0; round < rounds; round++) {
      const bare = await startBareServer(answer);
      try {
        bareRuns.push(await measureAt(bare.url));
      } finally {
        await bare.stop();
      }
      const bareRps = bareRuns[bareRuns.length - 1]!.requestsPerSecond;
      // The floor of any never-stale cache: the bare server plus the one store read per request.
      const floor = await startBareServer(answer, { redisUrl: env.redis.url });
      try {
        const result = await measureAt(floor.url);
        floorRuns.push({ result, ratio: result.requestsPerSecond / bareRps });
      } finally {
        await floor.stop();
      }
      for (const [index, step] of STEPS.entries()) {
        const gateway = await env.startGateway(step.switches);
        try {
          const text = await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers, body })).text();
          if (text !== answer) throw new Error(`step "${step.name}" answers differently:\n${text}\nvs\n${answer}`);
          const result = await measureAt(gateway.url);
          stepRuns[index]!.push({ result, ratio: result.requestsPerSecond / bareRps, rssMb: roundTo(gateway.rss() / 2 ** 20, 1) });
        } finally {
          await gateway.stop();
        }
      }
    }

    const jose = await tokenVerificationCost(quick ? 2_000 : 20_000, token);
    const bareMedian = medianBy(bareRuns, (run) => run.requestsPerSecond);
    const rows: BenchTable['rows'] = [
      {
        server: 'bare node:http, same answer',
        'req/s': roundTo(bareMedian.requestsPerSecond, 0),
        'x bare': 1,
        'p50 ms': bareMedian.latencyP50Ms,
        'p99 ms': bareMedian.latencyP99Ms,
        'errors+non2xx': sum(bareRuns.map((run) => run.errors + run.non2xx)),
      },
      (() => {
        const median = medianBy(floorRuns, (run) => run.ratio);
        return {
          server: 'bare node:http + one Redis HGET per request (floor of a never-stale cache)',
          'req/s': roundTo(median.result.requestsPerSecond, 0),
          'x bare': roundTo(median.ratio, 3),
          'p50 ms': median.result.latencyP50Ms,
          'p99 ms': median.result.latencyP99Ms,
          'errors+non2xx': sum(floorRuns.map((run) => run.result.errors + run.result.non2xx)),
        };
      })(),
      ...STEPS.map((step, index) => {
        const median = medianBy(stepRuns[index]!, (run) => run.ratio);
        return {
          server: `gateway: ${step.name}`,
          'req/s': roundTo(median.result.requestsPerSecond, 0),
          'x bare': roundTo(median.ratio, 3),
          'p50 ms': median.result.latencyP50Ms,
          'p99 ms': median.result.latencyP99Ms,
          'errors+non2xx': sum(stepRuns[index]!.map((run) => run.result.errors + run.result.non2xx)),
        };
      }),
    ];
    return {
      tables: [
        { title: `Cached order(id) over HTTP, Redis store, ${CONNECTIONS} connections, ${seconds} s each, median of ${rounds} round(s)`, rows },
        {
          title: 'Token verification per request (harness process)',
          rows: [
            { path: 'jose HS256 jwtVerify', 'µs/request': jose.verifyMicros },
            { path: 'verified-token cache hit', 'µs/request': jose.cachedMicros },
          ],
        },
      ],
      results: {
        connections: CONNECTIONS,
        seconds,
        rounds,
        responseBytes: Buffer.byteLength(answer),
        bare: bareRuns,
        bareWithOneRedisRead: {
          medianRatioToBare: roundTo(medianBy(floorRuns, (run) => run.ratio).ratio, 3),
          runs: floorRuns.map((run) => ({ ...run, ratio: roundTo(run.ratio, 3) })),
        },
        gateway: STEPS.map((step, index) => ({
          step: step.name,
          switches: step.switches,
          medianRatioToBare: roundTo(medianBy(stepRuns[index]!, (run) => run.ratio).ratio, 3),
          runs: stepRuns[index]!.map((run) => ({ ...run, ratio: roundTo(run.ratio, 3) })),
        })),
        tokenVerification: jose,
      },
    };
  },
};

/** What jose's HS256 check costs per request, and what a cache hit costs instead (awaited, in sequence). */
async function tokenVerificationCost(iterations: number, token: string): Promise<{ verifyMicros: number; cachedMicros: number }> {
  const plain = createAuthenticator({ jwtSecret: AUTH_SECRET });
  const cached = createCachingAuthenticator(plain, { maxEntries: 10 });
  const header = `Bearer ${token}`;
  const time = async (authenticate: (value: string) => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 200; i++) await authenticate(header);
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await authenticate(header);
    return roundTo(((performance.now() - start) * 1000) / iterations, 2);
  };
  return { verifyMicros: await time((value) => plain.authenticate(value)), cachedMicros: await time((value) => cached.authenticate(value)) };
}

/** The sample whose key is the median (the lower middle one for an even count). */
function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error('no samples');
  return middle;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
