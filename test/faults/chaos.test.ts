/**
 * The fault suite proper: FAULT_ORDERS orders (default 100; `npm run test:faults` runs 1,000),
 * spread round-robin over Intergiro, Dintero, Pei and Payway, go through two gateway instances on
 * one persistent Redis, one of them a child process. Every provider callback (Intergiro's signed
 * callbacks, Dintero's checkout callbacks, Pei's postbacks, Payway's signed purchase events)
 * passes a recording relay at the gateways' PUBLIC_URL that forwards it to a live instance (30 % of
 * them twice), and at the end all of them are delivered again, shuffled, 30 % of them twice (a
 * Payway event signed more than 5 minutes earlier must then be refused as a replay). Mid-run the child gateway is killed
 * (SIGKILL) and started again, and later the redis-server restarts. Afterwards every order's
 * status, captured and refunded amounts are exactly what the plan asked for and what the provider
 * (its sandbox) says: none lost, none applied twice, no event recorded twice.
 *
 * Each provider's part lives in its driver (chaos-<provider>.ts); the relay in chaos-relay.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes/index.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { failOnEscapes } from '../support/faults.js';
import { AUTH_SECRET, eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, tokenFor } from '../support/gateway.js';
import { startGatewayProcess } from '../support/gateway-process.js';
import { gql, type AnyDocument } from '../support/graphql.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recordSecrets, secretsOf } from '../support/test-logs.js';
import { dinteroDriver } from './chaos-dintero.js';
import type { ChaosClient, ChaosDriver, ChaosOrder } from './chaos-driver.js';
import { intergiroDriver } from './chaos-intergiro.js';
import { paywayDriver } from './chaos-payway.js';
import { peiDriver } from './chaos-pei.js';
import { DUPLICATE_SHARE, forward, Instances, shuffle, startRelay, type Relay } from './chaos-relay.js';
import { untilAdmitted } from '../support/webhook-retry.js';

const ORDERS = Number(process.env.FAULT_ORDERS ?? 100);
const CONCURRENCY = 8;
/** Quick retries of undelivered callbacks; reconciliation covers one a sandbox gives up on. */
const RETRY_DELAYS_MS = [100, 300, 1000, 3000];
/**
 * Whether the child may be killed while client requests are under way on it (their answers lost).
 * Off unless FAULT_KILL_MID_REQUEST=1; when off, clients are steered off the child before the kill
 * (callbacks and reconciliation on it are still cut off mid-way), because a killed request's
 * idempotency claim stays "in progress" after its holder died (a createOrder's for its creation
 * bound, see create-claim-after-kill.test.ts; a capture's or refund's for the order's change
 * lease, see money-once.test.ts), so the client's retry waits that long. The Dintero double
 * refund this flag once reproduced is fixed: references derive from the key.
 */
const KILL_MID_REQUEST = process.env.FAULT_KILL_MID_REQUEST === '1';
/** A pending Payway purchase has no Payway id to reconcile by: its event must get through. */
const PAYWAY_RETRY_DELAYS_MS = [100, 300, 1000, 3000, 5000, 10_000, 20_000];

failOnEscapes();

describe(`chaos: ${ORDERS} orders across providers through a killed gateway and a restarted Redis`, () => {
  let redis: RedisServer;
  let running: RunningSandboxes;
  let relay: Relay;
  let drivers: ChaosDriver[];
  const instances = new Instances();
  let shop: string;
  let backOffice: string;

  const childEnv = (): Record<string, string> => ({
    REDIS_URL: redis.url,
    AUTH_JWT_SECRET: AUTH_SECRET,
    ...Object.assign({}, ...drivers.map((driver) => driver.env)),
    PUBLIC_URL: relay.url,
    RECONCILE_INTERVAL_MS: '500',
    // Intergiro's orders too: the suite counts on reads to recover what lost callbacks leave.
    RECONCILE_CALLBACK_GRACE_MS: '500',
    PROVIDER_TIMEOUT_MS: '5000',
  });

  beforeAll(async () => {
    redis = await startRedisServer({ persistent: true });
    relay = await startRelay(instances);
    running = await startSandboxes({
      // Payway sends its events to the gateway's URL: the relay's, as for the others' callbacks.
      gatewayUrl: relay.url,
      secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET },
      tuning: {
        intergiro: { callbackRetryDelaysMs: RETRY_DELAYS_MS },
        dintero: { callbackDelayMs: 30, callbackRetryDelaysMs: RETRY_DELAYS_MS },
        pei: { postbackRetryDelaysMs: RETRY_DELAYS_MS },
        payway: { pendingSettleMs: 300, eventRetryDelaysMs: PAYWAY_RETRY_DELAYS_MS },
      },
    });
    recordSecrets([AUTH_SECRET, ...secretsOf(running.configs)]);
    const { intergiro, dintero, pei, payway } = running.sandboxes;
    drivers = [intergiroDriver(intergiro), dinteroDriver(dintero), peiDriver(pei), paywayDriver(payway)];
    instances.inProcess = await startGateway(
      {
        port: 0,
        publicUrl: relay.url,
        redisUrl: redis.url,
        auth: { jwtSecret: AUTH_SECRET },
        sandbox: false,
        sandboxSecrets: {},
        reconcileIntervalMs: 500,
        providerTimeoutMs: 5000,
        ...Object.assign({}, ...drivers.map((driver) => driver.config)),
      },
      { logger: silentLogger, shutdownGraceMs: 200 },
    );
    instances.child = await startGatewayProcess(childEnv());
    shop = await tokenFor('orders:create', 'shop-chaos');
    backOffice = await tokenFor('orders:create orders:read orders:manage', 'back-office-chaos');
  }, 60_000);

  afterAll(async () => {
    await instances.child?.stop('SIGKILL');
    await instances.inProcess?.close();
    await relay?.close();
    await running?.close();
    await redis?.stop();
  });

  /** Answers to retries that found their effect already applied (reported, then checked at the end). */
  const ambiguousRetries: string[] = [];

  /**
   * A client that keeps at it: an answer without errors, retried (same idempotency keys) on any
   * instance while instances and Redis come and go. Domain refusals are failures of the test.
   */
  async function persist<T>(document: AnyDocument, variables: Record<string, unknown>, token: string): Promise<T> {
    const deadline = Date.now() + 60_000;
    let last = '';
    for (let retried = false; ; retried = true) {
      try {
        const answer = await instances.forClient((url) => gql<T>(url, document, variables, token));
        if (!answer.errors?.length && answer.data) return answer.data as T;
        last = answer.raw;
        const codes = answer.errors?.map((error) => error.extensions?.code) ?? [];
        // A retry after an attempt whose answer was lost (instance killed, Redis restarting) may
        // find its effect already there without the idempotency record: the final check decides.
        if (retried && codes.length === 1 && codes[0] === 'INVALID_STATE') {
          ambiguousRetries.push(last);
          return undefined as T;
        }
        if (codes.some((code) => code === 'BAD_USER_INPUT' || code === 'PROVIDER_REJECTED' || code === 'FORBIDDEN')) {
          throw new Error(`refused: ${last}`);
        }
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('refused')) throw error;
        last = String(error);
      }
      if (Date.now() > deadline) throw new Error(`no answer within 60 s: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }

  const client: ChaosClient = {
    create: async (input) => (await persist<{ createOrder: OrderView }>(CREATE_ORDER, { input }, shop)).createOrder,
    place: async (input) => (await persist<{ placeAdyenOrder: OrderView }>(PLACE_ADYEN_ORDER, { input }, shop)).placeAdyenOrder,
    apply: async (orderId, event) => {
      await persist(APPLY_EVENTS, { input: [{ orderId, events: [event] }] }, backOffice);
    },
    read: async (id) => (await persist<{ order: OrderView }>(GET_ORDER, { id }, backOffice)).order,
    until: async (id, accept) =>
      eventually(async () => {
        const order = await client.read(id);
        return accept(order) ? order : undefined;
      }, 60_000, 100),
  };

  /** Order i goes to the providers in turn; each provider numbers its own orders. */
  const runOrder = (index: number): Promise<ChaosOrder> =>
    drivers[index % drivers.length]!.run(Math.floor(index / drivers.length), client);

  it('every order ends exactly as planned and as its provider says: none lost, none applied twice', async () => {
    const results: ChaosOrder[] = [];
    let next = 0;
    let done = 0;
    const chaos: Promise<void>[] = [];
    const milestones = { kill: Math.floor(ORDERS / 3), redis: Math.floor((2 * ORDERS) / 3) };

    const worker = async (): Promise<void> => {
      while (next < ORDERS) {
        const index = next++;
        results.push(await runOrder(index));
        done += 1;
        if (done === milestones.kill) {
          chaos.push(
            (async () => {
              const child = KILL_MID_REQUEST ? instances.detachChild() : await instances.drainChild();
              await child?.stop('SIGKILL');
              instances.child = await startGatewayProcess(childEnv());
            })(),
          );
        }
        if (done === milestones.redis) chaos.push(redis.restart());
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await Promise.all(chaos);
    expect(results).toHaveLength(ORDERS);
    if (ambiguousRetries.length) console.warn(`${ambiguousRetries.length} retried event(s) answered INVALID_STATE: already applied`);

    // Every callback any provider ever sent, once more, shuffled, 30 % of them twice, to any instance.
    await Promise.all(drivers.map((driver) => driver.idle()));
    const relayed = drivers.filter((driver) => relay.callbacks.some((callback) => callback.path.startsWith(driver.webhookPath)));
    expect(relayed.map((driver) => driver.provider), 'providers whose callbacks passed the relay').toEqual(drivers.map((driver) => driver.provider));
    const replay = shuffle(relay.callbacks.flatMap((callback) => (Math.random() < DUPLICATE_SHARE ? [callback, callback] : [callback])));
    for (let i = 0; i < replay.length; i += 16) {
      const batch = replay.slice(i, i + 16);
      // An unsigned callback (Pei, Dintero) whose order's re-read lease is taken is throttled (429)
      // and sent again, as its provider would (src/domain/refresh-lease.ts).
      const statuses = await Promise.all(batch.map((callback) => untilAdmitted(() => forward(instances, callback))));
      const wrong = batch.flatMap((callback, j) => {
        const status = statuses[j] ?? null;
        const verdict = drivers.map((driver) => driver.replayVerdict?.(callback, Date.now())).find((found) => found !== undefined);
        const right = verdict === 'either' ? status !== null && (status < 300 || status === 401) : verdict === 'refuse' ? status === 401 : status !== null && status < 300;
        return right ? [] : [`${callback.method} ${callback.path} -> ${status} (${verdict ?? 'take'})`];
      });
      expect(wrong).toEqual([]);
    }

    for (const result of results) {
      const label = `${result.provider} ${result.plan} ${result.id}`;
      expect(result.atProvider(), `${label} at the provider`).toEqual(result.expected);
      const order = await eventually(async () => {
        const current = await client.read(result.id);
        return current.status === result.expected.status ? current : undefined;
      }, 30_000);
      expect(
        {
          status: order.status,
          captured: order.payments[0]?.capturedAmount.amount,
          refunded: order.payments[0]?.refundedAmount.amount,
        },
        label,
      ).toEqual(result.expected);
      const ids = order.events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      const facts = order.events.map((event) => `${event.type} ${event.status} ${event.amount?.amount ?? ''}`);
      expect(new Set(facts).size, `events of ${label}: ${facts.join(', ')}`).toBe(facts.length);
      await result.verify?.(client);
    }
    // Every provider took part with every one of its endings (4 Intergiro + 4 Dintero + 2 Pei +
    // 3 Payway), which sixteen orders round-robin already cover.
    if (ORDERS >= 16) expect(new Set(results.map((result) => `${result.provider} ${result.plan}`)).size).toBe(13);
    // A child gateway's start on a loaded machine takes its share; a request killed mid-way makes
    // its retry wait out the dead instance's idempotency claim (two minutes).
  }, 120_000 + ORDERS * 300 + (KILL_MID_REQUEST ? 130_000 : 0));
});
