/**
 * Two gateways on a real three-master Redis Cluster: one in this process, one a child process
 * configured only by REDIS_CLUSTER_NODES, as an operator would. A callback taken by one reaches a
 * subscriber on the other (sharded pub/sub), a capture through one is seen by the other, and the
 * gateways' keys lie on every master.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, ORDER_UPDATES, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { AUTH_SECRET, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';
import { createRedisStore } from '../../src/store/redis.js';

const linkOrder = (amount: string) => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount,
  intergiro: { paymentType: 'LINK' },
  returnUrls: { success: 'https://shop.example/thanks' },
});

describe('two gateways on a three-master Redis Cluster', () => {
  let env: TestEnvironment;
  let inProcess: Gateway;
  let child: GatewayProcess;

  beforeAll(async () => {
    env = await startTestEnvironment('redis-cluster');
    // Slow pollers: what the tests see comes from callbacks, not from a re-read racing them.
    inProcess = await env.startGateway({ reconcileIntervalMs: 60_000 });
    child = await startGatewayProcess({
      SANDBOX: '0',
      REDIS_CLUSTER_NODES: env.cluster!.seeds,
      AUTH_JWT_SECRET: AUTH_SECRET,
      INTERGIRO_URL: env.intergiro.url,
      INTERGIRO_API_KEY,
      INTERGIRO_CALLBACK_SECRET,
      RECONCILE_INTERVAL_MS: '60000',
    });
  }, 60_000);
  afterAll(async () => {
    await child?.stop();
    await env?.close();
  });

  it('is ready on both', async () => {
    for (const url of [inProcess.url, child.url]) {
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
    }
  });

  it('delivers a callback taken by one gateway to subscribers on the other, and a capture through one to the other', async () => {
    const shop = await tokenFor('orders:create', 'shop-cluster');
    const backOffice = await tokenFor('orders:read orders:manage', 'back-office-cluster');
    const everything = subscribe<{ orderUpdates: StatusChangeView }>(inProcess.url, backOffice, ORDER_UPDATES, {});
    // Created through the child, so Intergiro's callback goes to the child.
    const order: OrderView = (await gqlOk(child.url, CREATE_ORDER, { input: linkOrder('12.00') }, shop)).createOrder;
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(inProcess.url, shop, WATCH_ORDER, { orderId: order.id });
    expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');

    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    expect((await watch.next(10_000)).orderStatusChanged).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
    expect(env.intergiro.sentCallbacks().some((sent) => sent.orderId === order.providerOrderId && sent.responseStatus === 200)).toBe(true);
    await everything.waitFor((message) => message.orderUpdates.order.id === order.id && message.orderUpdates.status === 'AUTHORIZED');

    // Captured through the child; the subscriber on the in-process gateway sees it.
    const captured = await gqlOk(child.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '12.00' }] }] }, backOffice);
    expect(captured.applyOrderEvents[0]?.status).toBe('CAPTURED');
    expect((await watch.next(10_000)).orderStatusChanged.status).toBe('CAPTURED');
    const read = await gql<{ order: OrderView }>(inProcess.url, GET_ORDER, { id: order.id }, backOffice);
    expect(read.data?.order.status).toBe('CAPTURED');
    await watch.dispose();
    await everything.dispose();
  });

  it('a feed subscribing in the same turn as reads (auto-pipelined) leaves every master answering reads: no command connection is turned subscriber', async () => {
    const store = createRedisStore({ clusterNodes: env.cluster!.nodes, autoPipelining: true, keyPrefix: `pipelined-${Date.now()}:`, onError: () => undefined });
    try {
      await store.ping();
      const reads = (count: number) => Promise.all(Array.from({ length: count }, (_, index) => store.kv.get(`probe-${index}`)));
      // A subscription's start: its order read and its feed's SSUBSCRIBEs in one turn of the event loop.
      for (let round = 0; round < 5; round++) await Promise.all([reads(30), store.changes.subscribe(() => undefined), reads(30)]);
      // Keys on every master: before, one whose connection had taken an SSUBSCRIBE refused them all.
      await expect(reads(200)).resolves.toHaveLength(200);
    } finally {
      await store.close();
    }
  });

  it("spreads the gateways' keys over every master", async () => {
    const shop = await tokenFor('orders:create', 'shop-cluster-spread');
    for (let i = 0; i < 12; i++) await gqlOk(i % 2 ? child.url : inProcess.url, CREATE_ORDER, { input: linkOrder(`${i + 1}.00`) }, shop);
    const perMaster = await env.cluster!.keysPerMaster('gw:');
    expect(perMaster).toHaveLength(3);
    for (const keys of perMaster) expect(keys).toBeGreaterThan(0);
  });

  it('is not ready when REDIS_URL names a cluster node (its writes would get MOVED)', async () => {
    const node = env.cluster!.nodes[0]!;
    const misconfigured = await startGatewayProcess({
      SANDBOX: '0',
      REDIS_URL: `redis://${node.host}:${node.port}`,
      AUTH_JWT_SECRET: AUTH_SECRET,
      INTERGIRO_URL: env.intergiro.url,
      INTERGIRO_API_KEY,
      RECONCILE_INTERVAL_MS: '60000',
    }, 'tsx', 'live');
    try {
      const ready = await fetch(`${misconfigured.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready' });
    } finally {
      await misconfigured.stop();
    }
  });
});
