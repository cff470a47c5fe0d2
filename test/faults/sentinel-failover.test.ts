/**
 * Redis behind Sentinel (one master, one replica, one Sentinel, real processes) with
 * REDIS_WAIT_REPLICAS=1, while captures and Intergiro callbacks flow through a gateway:
 *
 *   1. the replica freezes (SIGSTOP): the master still takes writes, but no other machine has
 *      them, so the gateway must acknowledge none of them (SERVICE_UNAVAILABLE, webhook 503);
 *   2. the master is killed (SIGKILL) and the replica thawed: Sentinel promotes it;
 *   3. the old master comes back as the new master's replica (a repaired machine).
 *
 * Afterwards every acknowledged capture and every acknowledged callback is in the store, the
 * gateway is ready again and takes writes, all without a restart. With REDIS_WAIT_REPLICAS=0
 * (FAILOVER_WAIT_REPLICAS=0 runs it so) the writes of step 1 are acknowledged and then lost.
 *
 * About 20 s of real failover: it runs in `npm run test:faults` (FAULT_FAILOVER=1), not `npm test`.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import type { Order } from '../../src/domain/order.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes/index.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { failOnEscapes } from '../support/faults.js';
import { AUTH_SECRET, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, tokenFor } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel.js';
import { recordSecrets, secretsOf, testLogger } from '../support/test-logs.js';

const WAIT_REPLICAS = Number(process.env.FAILOVER_WAIT_REPLICAS ?? 1);
/** Back-office clients at work at once. */
const OPERATION_LOOPS = 4;
const LINK_ORDERS = 12;

failOnEscapes();

describe.runIf(process.env.FAULT_FAILOVER === '1')('Sentinel failover while captures and callbacks flow (REDIS_WAIT_REPLICAS=1)', () => {
  let group: SentinelGroup;
  let running: RunningSandboxes;
  let gateway: Gateway;
  let reader: Store;
  let backOffice: string;

  beforeAll(async () => {
    group = await startSentinelGroup();
    running = await startSandboxes({
      secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET },
      tuning: { intergiro: { pendingSettleMs: 300, callbackRetryDelaysMs: [200, 500, 1000, 2000, 4000, 8000] } },
    });
    recordSecrets([AUTH_SECRET, ...secretsOf(running.configs)]);
    const sentinels = group.sentinels.split(',').map((entry) => ({ host: entry.split(':')[0]!, port: Number(entry.split(':')[1]) }));
    gateway = await startGateway(
      {
        port: 0,
        auth: { jwtSecret: AUTH_SECRET },
        sandbox: false,
        sandboxSecrets: {},
        // No re-reads: what the store holds must come from the acknowledged writes themselves.
        reconcileIntervalMs: 600_000,
        providerTimeoutMs: 5000,
        redisSentinel: { sentinels, name: group.name },
        redisWaitReplicas: WAIT_REPLICAS,
        redisWaitTimeoutMs: 300,
        ...running.configs,
      },
      { logger: testLogger(), shutdownGraceMs: 200 },
    );
    running.setGatewayUrl(gateway.url);
    // Reads the store itself at the end: a GraphQL read could refresh an order from Intergiro.
    reader = createRedisStore({ sentinels, sentinelName: group.name, onError: () => undefined });
    backOffice = await tokenFor('orders:create orders:read orders:manage', 'back-office-failover');
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await reader?.close();
    await running?.close();
    await group?.stop();
  });

  it('loses no acknowledged capture or callback, and recovers without a restart', async () => {
    const intergiro = running.sandboxes.intergiro;
    const card = () => ({ paymentType: 'CARD', cardToken: `tok_visa_${randomUUID().replaceAll('-', '')}`, browser: INTERGIRO_TEST_BROWSER });
    const links: OrderView[] = [];
    for (let i = 0; i < LINK_ORDERS; i++) {
      const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'LINK' }, returnUrls: { success: 'https://shop.example/thanks' } };
      links.push((await gqlOk(gateway.url, CREATE_ORDER, { input }, backOffice)).createOrder);
    }

    // Every operation answered without errors: the order as that answer showed it.
    const acknowledged: OrderView[] = [];
    const refusals: string[] = [];
    let flowing = true;
    const send = async <T>(document: Parameters<typeof gql>[1], variables: Record<string, unknown>, pick: (data: T) => OrderView | undefined) => {
      const answer = await gql<T>(gateway.url, document, variables, backOffice).catch((error: unknown) => ({
        data: undefined,
        errors: [{ message: String(error), extensions: { code: 'NO_ANSWER' } }],
      }));
      const order = answer.data ? pick(answer.data as T) : undefined;
      if (order && !answer.errors?.length) acknowledged.push(order);
      else refusals.push(String(answer.errors?.[0]?.extensions?.code));
      return order && !answer.errors?.length ? order : undefined;
    };
    // A back office creating card orders and capturing each, over and over, through the failover.
    const operationLoop = async () => {
      while (flowing) {
        const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '25.00', intergiro: card() };
        const created = await send<{ createOrder: OrderView }>(CREATE_ORDER, { input }, (data) => data.createOrder);
        if (created) {
          const capture = [{ orderId: created.id, events: [{ type: 'CAPTURE', amount: '25.00' }] }];
          await send<{ applyOrderEvents: OrderView[] }>(APPLY_EVENTS, { input: capture }, (data) => data.applyOrderEvents[0]);
        }
        await sleep(20);
      }
    };
    const loops = Array.from({ length: OPERATION_LOOPS }, operationLoop);
    // Buyers pay their links one after another, all through the failover: callbacks keep coming.
    const payments = (async () => {
      for (const link of links) {
        intergiro.payLink(link.providerOrderId!, 'pay');
        await sleep(400);
      }
    })();

    await sleep(500);
    await group.freezeReplica(true);
    const before = refusals.length;
    // Writes go on at the master alone: with WAIT none of them may be acknowledged.
    const deadline = Date.now() + 10_000;
    while (refusals.length < before + 4 && Date.now() < deadline) await sleep(50);
    const oldMaster = await group.killMaster();
    await group.freezeReplica(false);
    await group.failedOver(oldMaster);
    await group.rejoinAsReplica(oldMaster);
    await group.replicasOnline(1);

    // Ready again, and taking writes, without a restart.
    const readyBy = Date.now() + 20_000;
    while ((await fetch(`${gateway.url}/health/ready`)).status !== 200) {
      if (Date.now() > readyBy) throw new Error('the gateway did not become ready after the failover');
      await sleep(100);
    }
    const acknowledgedBeforeRecovery = acknowledged.length;
    await sleep(1000);
    flowing = false;
    await Promise.all(loops);
    await payments;
    await intergiro.callbacksIdle();
    expect(acknowledged.length).toBeGreaterThan(acknowledgedBeforeRecovery);

    // Every acknowledged capture answer is a prefix of its order's stored history.
    const stored = new Map<string, Order>();
    for (const order of [...new Set([...acknowledged.map((answer) => answer.id), ...links.map((link) => link.id)])].map((id) => ({ id }))) {
      const found = await reader.orders.get(order.id);
      if (found) stored.set(order.id, found);
    }
    // Each order an answer showed exists (an acknowledged createOrder lost with the old master would not).
    expect(acknowledged.filter((answer) => !stored.has(answer.id)).map((answer) => answer.id)).toEqual([]);
    const eventsOf = (events: { id: string; type: string; status: string; source: string }[]) =>
      events.map(({ id, type, status, source }) => `${id}:${type}:${status}:${source}`);
    const lost = acknowledged.filter((answer) => {
      const now = eventsOf(stored.get(answer.id)!.events);
      const then = eventsOf(answer.events);
      return then.some((event, index) => now[index] !== event);
    });
    expect(lost.map((answer) => `${answer.id} v${answer.events.length}`)).toEqual([]);

    // Every callback Intergiro saw answered 2xx is in the store, as the callback's own event.
    const acknowledgedCallbacks = intergiro.sentCallbacks().filter((sent) => sent.responseStatus !== null && sent.responseStatus < 300);
    const byProviderId = new Map(links.map((link) => [link.providerOrderId!, link.id]));
    const paidLinks = new Set(acknowledgedCallbacks.map((sent) => byProviderId.get(sent.orderId)).filter((id): id is string => id !== undefined));
    expect(paidLinks.size).toBeGreaterThan(0);
    const missing = [...paidLinks].filter((id) => !stored.get(id)?.events.some((event) => event.source === 'WEBHOOK' && event.status === 'AUTHORIZED'));
    expect(missing).toEqual([]);
    // And the frozen replica did refuse writes: the gateway answered them as not done.
    expect(refusals).toContain('SERVICE_UNAVAILABLE');
  }, 120_000);
});
