/**
 * Provider faults end every GraphQL call within its bound as PROVIDER_UNAVAILABLE, with nothing
 * internal in the answer; only safe calls (GET) are retried; a dead provider opens its circuit
 * breaker, which closes again once the provider is back. Nothing escapes as an unhandled rejection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { SandboxFaults } from '../../src/sandboxes/kit/faults.js';
import { CREATE_ORDER, PLACE_ADYEN_ORDER } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { ALL_FAULT_KINDS, FAST_FAULT_KINDS, failOnEscapes, isoDay, testResilience } from '../support/faults.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, type GraphQLResponse } from '../support/graphql.js';
import { newBasket } from '../support/intershop.js';
import { placeInput } from '../support/payway.js';

/** The bound of one provider call in these tests; a GraphQL call makes a few at most. */
const PROVIDER_TIMEOUT_MS = 1000;
/** "Did not hang": a call (a few provider calls, each bounded) ends well within this. */
const HANG_LIMIT_MS = 4 * PROVIDER_TIMEOUT_MS + 8000;

const LIST = `query List($filter: OrderFilter!) { orders(filter: $filter, first: 5) { nodes { id } } }`;

type ProviderName = 'intergiro' | 'pei' | 'intershop' | 'dintero' | 'payway';

/** Per provider: the money-moving POST a create makes, and the GraphQL call that makes it. */
interface Target {
  name: ProviderName;
  /** The create's POST, as `"<METHOD> <path>"`. */
  post: RegExp;
  create(env: TestEnvironment, gatewayUrl: string, token: string): Promise<GraphQLResponse>;
  /** The provider's listing GET, for providers that have one. */
  list?: { provider: string; get: RegExp };
}

const TARGETS: Target[] = [
  {
    name: 'intergiro',
    post: /^POST \/v1\/order$/,
    create: (_env, url, token) =>
      gql(url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '10.00', intergiro: { paymentType: 'LINK' } } }, token),
    list: { provider: 'INTERGIRO', get: /^GET \/v1\/order$/ },
  },
  {
    name: 'pei',
    post: /^POST \/api\/orders$/,
    create: (_env, url, token) =>
      gql(
        url,
        CREATE_ORDER,
        {
          input: {
            provider: 'PEI',
            currency: 'ISK',
            items: [{ name: 'Lopapeysa', quantity: 1, unitPrice: '2490', amount: '2490' }],
            buyer: { name: 'Jón Jónsson', email: 'jon@example.is' },
            returnUrls: { success: 'https://example.com/takk' },
          },
        },
        token,
      ),
    list: { provider: 'PEI', get: /^GET \/api\/orders$/ },
  },
  {
    name: 'intershop',
    post: /^POST \/INTERSHOP\/rest\/\S*\/orders$/,
    create: async (env, url, token) =>
      gql(
        url,
        CREATE_ORDER,
        { input: { provider: 'INTERSHOP', intershop: { basketId: await newBasket(env.sandboxes.intershop, '9.00'), termsAndConditionsAccepted: true } } },
        token,
      ),
    list: { provider: 'INTERSHOP', get: /^GET \/INTERSHOP\/rest\/\S*\/orders$/ },
  },
  {
    name: 'dintero',
    post: /^POST \/v1\/accounts\/[^/]+\/shopping\/draft_orders$/,
    create: (_env, url, token) => gql(url, CREATE_ORDER, { input: dinteroOrderInput() }, token),
  },
  {
    name: 'payway',
    post: /^POST \/external\/api\/v1\/adyen\/place_order$/,
    create: (_env, url, token) => gql(url, PLACE_ADYEN_ORDER, { input: placeInput() }, token),
  },
];

const faultsOf = (env: TestEnvironment, name: ProviderName): SandboxFaults => env.sandboxes[name].faults;

/** The one error of a failed call: PROVIDER_UNAVAILABLE, its code alone, and no internal detail. */
function expectUnavailable(answer: GraphQLResponse): void {
  expect(answer.errors, answer.raw).toHaveLength(1);
  const [error] = answer.errors ?? [];
  expect(error?.extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE' });
  expect(error?.message).toMatch(/^\w+ is unavailable or answered something unexpected$/);
  for (const internal of ['sandbox', 'HTTP ', 'fetch failed', 'ECONN', 'Error:', '.ts:', 'content type', 'JSON']) {
    expect(answer.raw).not.toContain(internal);
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

failOnEscapes();

describe('provider faults through GraphQL', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let reader: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({ providerTimeoutMs: PROVIDER_TIMEOUT_MS, providerResilience: testResilience() }, { pollerDisabled: true });
    shop = await tokenFor('orders:create', 'shop-faults');
    reader = await tokenFor('orders:read', 'back-office-faults');
  });
  afterAll(() => env.close());

  for (const target of TARGETS) {
    describe(target.name, () => {
      for (const kind of ALL_FAULT_KINDS) {
        it(`a create hit by "${kind}" ends within its bound as PROVIDER_UNAVAILABLE, its POST sent once`, async () => {
          const faults = faultsOf(env, target.name);
          const before = faults.count(target.post);
          // Latency past the bound: the provider still carries the request out, too late for the gateway.
          faults.inject({ kind, only: target.post, ...(kind === 'latency' ? { ms: PROVIDER_TIMEOUT_MS + 1500 } : {}) });
          const { value: answer, ms } = await timed(() => target.create(env, gateway.url, shop));
          expectUnavailable(answer);
          expect(ms).toBeLessThan(HANG_LIMIT_MS);
          expect(faults.count(target.post) - before).toBe(1);
          expect(faults.armed()).toEqual([]);
        });
      }

      it('works again at once after the faults', async () => {
        const answer = await target.create(env, gateway.url, shop);
        expect(answer.errors, answer.raw).toBeUndefined();
      });

      const list = target.list;
      if (list !== undefined) {
        for (const kind of FAST_FAULT_KINDS) {
          it(`a listing GET hit by "${kind}" twice is retried and answers`, async () => {
            const faults = faultsOf(env, target.name);
            const before = faults.count(list.get);
            faults.inject({ kind, only: list.get, times: 2 });
            const answer = await gql(gateway.url, LIST, { filter: { provider: list.provider, from: isoDay(-1), to: isoDay(0) } }, reader);
            expect(answer.errors, answer.raw).toBeUndefined();
            expect(faults.count(list.get) - before).toBeGreaterThanOrEqual(3);
            expect(faults.armed()).toEqual([]);
          });
        }

        it('a listing GET that keeps failing is tried three times, then PROVIDER_UNAVAILABLE', async () => {
          const faults = faultsOf(env, target.name);
          faults.inject({ kind: 'status', only: list.get, times: Infinity });
          const before = faults.count(list.get);
          const answer = await gql(gateway.url, LIST, { filter: { provider: list.provider, from: isoDay(0), to: isoDay(0) } }, reader);
          faults.clear();
          expectUnavailable(answer);
          expect(faults.count(list.get) - before).toBe(3);
        });
      }
    });
  }
});

describe('a dead provider opens its circuit breaker', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  const COOLDOWN_MS = 700;

  beforeAll(async () => {
    // Sandboxes of their own: their origins key breakers nobody else uses.
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway(
      { providerTimeoutMs: PROVIDER_TIMEOUT_MS, providerResilience: testResilience({ breakerFailures: 3, breakerCooldownMs: COOLDOWN_MS }) },
      { pollerDisabled: true },
    );
    shop = await tokenFor('orders:create', 'shop-breaker');
  });
  afterAll(() => env.close());

  const create = () => TARGETS[0]!.create(env, gateway.url, shop);
  const api = /^\S+ \/v1\//;

  it('after three failed calls, calls fail fast without reaching the provider; once it is back, a trial closes the breaker', async () => {
    const faults = env.sandboxes.intergiro.faults;
    faults.inject({ kind: 'status', status: 503, only: api, times: Infinity });
    for (let i = 0; i < 3; i++) expectUnavailable(await create());
    const reached = faults.count(api);
    expect(reached).toBe(3);

    for (let i = 0; i < 5; i++) expectUnavailable(await create());
    expect(faults.count(api)).toBe(reached); // open: nothing reached Intergiro

    faults.clear(); // Intergiro is back
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    const trial = await create();
    expect(trial.errors, trial.raw).toBeUndefined();
    expect(faults.count(api)).toBe(reached + 1);
    const next = await create();
    expect(next.errors, next.raw).toBeUndefined();
  });

  it('a failed trial keeps it open for another cool-down', async () => {
    const faults = env.sandboxes.intergiro.faults;
    faults.inject({ kind: 'reset', only: api, times: Infinity });
    for (let i = 0; i < 3; i++) expectUnavailable(await create());
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    const before = faults.count(api);
    expectUnavailable(await create()); // the trial, still failing
    expectUnavailable(await create()); // open again: not sent
    expect(faults.count(api)).toBe(before + 1);
    faults.clear();
  });

  it('a 4xx is the provider talking: it never opens the breaker', async () => {
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    expect((await create()).errors).toBeUndefined(); // closes it after the previous test
    const faults = env.sandboxes.intergiro.faults;
    const body = JSON.stringify({ status: 400, type: 'malformed content', error: 'rejected by the test' });
    faults.inject({ kind: 'status', status: 400, body, only: /^POST \/v1\/order$/, times: 5 });
    for (let i = 0; i < 5; i++) {
      const answer = await create();
      expect(answer.errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
    }
    const after = await create();
    expect(after.errors, after.raw).toBeUndefined();
  });

  it("a sandbox that is gone (connection refused): every call PROVIDER_UNAVAILABLE, the gateway stays up", async () => {
    await env.sandboxes.payway.close();
    const place = () => gql(gateway.url, PLACE_ADYEN_ORDER, { input: placeInput() }, shop);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await timed(place));
    for (const { value } of answers) expectUnavailable(value);
    const health = await fetch(`${gateway.url}/health/live`);
    expect(health.status).toBeLessThan(500);
  });
});
