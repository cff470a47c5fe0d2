import { readFileSync } from 'node:fs';
import { startSandboxes, type RunningSandboxes } from '../../../src/sandboxes/index.js';
import { signClientToken } from '../../../src/server/auth.js';
import { startGatewayProcess, type GatewayProcess, type GatewayRunner } from '../../support/gateway-process.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

export const AUTH_SECRET = 'bench-auth-secret-0123456789abcdef';
export const INTERGIRO_API_KEY = 'bench-intergiro-key';
export const INTERGIRO_CALLBACK_SECRET = 'bench-intergiro-callback-secret';

/** The measured speed switches (src/config.ts); every benchmark gateway gets all of them, explicitly. */
export interface Switches {
  parseCache: boolean;
  jit: boolean;
  tokenCache: boolean;
  autoPipelining: boolean;
  /** The order(id) answer cache (READ_CACHE_SIZE). */
  readCache: boolean;
}

/** The gateway's defaults (graphql-jit is opt-in: see GRAPHQL_JIT in src/config.ts). */
export const GATEWAY_DEFAULTS: Switches = { parseCache: true, jit: false, tokenCache: true, autoPipelining: true, readCache: true };

export interface BenchGateway extends GatewayProcess {
  pid: number;
  /** Resident set size of the gateway process, bytes (Linux /proc). */
  rss(): number;
}

/**
 * What every benchmark stands on: one real redis-server and every provider sandbox in the harness
 * process (so the harness can count what a provider receives), and gateways as child processes
 * configured only by environment, exactly as in production (SANDBOX=0, provider URLs, REDIS_URL).
 */
export interface BenchEnvironment {
  redis: RedisServer;
  sandboxes: RunningSandboxes;
  /** A client token (HS256, the gateway's AUTH_JWT_SECRET). */
  token(scope?: string, sub?: string): Promise<string>;
  /**
   * A gateway process; `extra` adds or overrides variables (e.g. a provider URL for a counting
   * proxy); `runner`: the bundle as deployed (default) or the sources under tsx as `npm start`.
   */
  startGateway(switches: Switches, extra?: Record<string, string>, runner?: GatewayRunner): Promise<BenchGateway>;
  close(): Promise<void>;
}

export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const redis = await startRedisServer();
  const sandboxes = await startSandboxes({
    secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET },
  });
  // The harness delivers Intergiro's callbacks itself (support/webhooks.ts) to know when each was
  // sent; the sandbox's own would race it, so they stay queued for the whole run.
  sandboxes.sandboxes.intergiro.pauseCallbacks(true);
  const gateways: BenchGateway[] = [];
  const { intergiro, pei } = sandboxes.configs;
  return {
    redis,
    sandboxes,
    token: (scope = 'orders:create orders:read orders:manage', sub = 'bench') => signClientToken(AUTH_SECRET, { sub, scope }, '2h'),
    async startGateway(switches, extra = {}, runner = 'built') {
      const child = await startGatewayProcess({
        SANDBOX: '0',
        REDIS_URL: redis.url,
        AUTH_JWT_SECRET: AUTH_SECRET,
        INTERGIRO_URL: intergiro.url,
        INTERGIRO_API_KEY: intergiro.apiKey,
        INTERGIRO_CALLBACK_SECRET: INTERGIRO_CALLBACK_SECRET,
        PEI_URL: pei.url,
        PEI_TOKEN_URL: pei.tokenUrl,
        PEI_CLIENT_ID: pei.clientId,
        PEI_CLIENT_SECRET: pei.clientSecret,
        PEI_MERCHANT_ID: pei.merchantId,
        PEI_CHECKOUT_URL: pei.checkoutUrl,
        // Benchmarks measure the gateway, not its guards: no per-caller rate limit, quiet logs.
        RATE_LIMIT_PER_MINUTE: '0',
        // Fan-out holds 1,000 sockets (a browser each) under one token's `sub`, and polling 100:
        // far over the default of 50 per caller (SOCKETS_PER_CALLER), so raised here, explicitly.
        SOCKETS_PER_CALLER: '0',
        LOG_LEVEL: 'warn',
        GRAPHQL_PARSE_CACHE: switches.parseCache ? '1' : '0',
        GRAPHQL_JIT: switches.jit ? '1' : '0',
        AUTH_TOKEN_CACHE_SIZE: switches.tokenCache ? '10000' : '0',
        REDIS_AUTO_PIPELINING: switches.autoPipelining ? '1' : '0',
        READ_CACHE_SIZE: switches.readCache ? '10000' : '0',
        // `BENCH_SUBSCRIPTION_PUSH=0 npm run bench -- --only fan-out`: the same bundle with live
        // changes through each subscription's own pipeline, to compare side by side (README).
        ...(process.env.BENCH_SUBSCRIPTION_PUSH ? { SUBSCRIPTION_PUSH: process.env.BENCH_SUBSCRIPTION_PUSH } : {}),
        // `BENCH_GATEWAY_NODE_OPTIONS='--import ./test/bench/support/cpu-profile.mjs'`: a CPU profile of each gateway (README).
        ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}),
        ...extra,
        // By default as deployed (the Dockerfile's command): the bundle `npm run build` wrote.
      }, runner);
      const pid = child.child.pid;
      if (pid === undefined) throw new Error('gateway process has no pid');
      const gateway: BenchGateway = { ...child, pid, rss: () => rssOf(pid) };
      gateways.push(gateway);
      // Pei posts back to the newest gateway.
      sandboxes.setGatewayUrl(gateway.url);
      return gateway;
    },
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await sandboxes.close();
      await redis.stop();
    },
  };
}

/** VmRSS of a process from /proc, bytes. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** One GraphQL request; throws on errors, so a benchmark never measures failures. */
export async function graphql<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}
