import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink, intergiroLinkOrder } from '../support/intergiro.js';

const INTERVAL = 200;

describe.each(STORE_KINDS)('reconciliation when the provider cannot call back (%s store)', (kind) => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    proxy = await startRecordingProxy(env.intergiro.url);
    const config = {
      reconcileIntervalMs: INTERVAL,
      intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET },
    };
    gateways.push(await env.startGateway(config));
    // With Redis, a second instance polls the same schedule: the lease must keep reads single.
    if (kind === 'redis') gateways.push(await env.startGateway(config));
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it('reads a waiting order upstream once per interval, however many clients watch it, and pushes the result', async () => {
    const [gateway] = gateways as [Gateway];
    const shop = await tokenFor('orders:create', 'shop-reconcile');
    env.intergiro.pauseCallbacks(true); // Intergiro cannot reach the gateway
    try {
      const order: OrderView = (
        await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('30.00') }, shop)
      ).createOrder;
      const watchers = gateways.flatMap((instance) =>
        Array.from({ length: 10 }, () => subscribe<{ orderStatusChanged: StatusChangeView }>(instance.url, shop, WATCH_ORDER, { orderId: order.id })),
      );
      await Promise.all(watchers.map((watch) => watch.next()));

      const path = `/v1/order/${order.providerOrderId}`;
      const started = Date.now();
      // Two reads at least (a loaded machine may need more than a few intervals to make them),
      // then five intervals more, counted against the time they all took.
      await eventually(async () => proxy.requestsTo('GET', path).length >= 2, 10_000);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL * 5));
      const reads = proxy.requestsTo('GET', path).length;
      const intervals = (Date.now() - started) / INTERVAL;
      // Once per interval for the order, not once per watcher (20 of them) or per instance.
      expect(reads).toBeLessThanOrEqual(Math.ceil(intervals) + 1);

      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      const told = await Promise.all(watchers.map((watch) => watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 5000)));
      expect(told.every((message) => message.orderStatusChanged.source === 'RECONCILIATION')).toBe(true);
      await Promise.all(watchers.map((watch) => watch.dispose()));

      // Authorized orders no longer wait on Intergiro: polling stops.
      const after = proxy.requestsTo('GET', path).length;
      await new Promise((resolve) => setTimeout(resolve, INTERVAL * 4));
      expect(proxy.requestsTo('GET', path).length).toBeLessThanOrEqual(after + 1);
    } finally {
      env.intergiro.pauseCallbacks(false);
    }
  });
});

describe("Intergiro's unsigned error notice", () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    // A slow poller: only the notice can make the gateway look again soon.
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
  });
  afterAll(() => env.close());

  it('is not believed, but makes the gateway re-read the order it names at once', async () => {
    const shop = await tokenFor('orders:create', 'shop-notice');
    // Paused before the create: the order's creation callback, stored at the same moment as the
    // notice, would put its next read an interval away again (a race seen once in CI).
    env.intergiro.pauseCallbacks(true);
    const order: OrderView = (
      await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('8.00') }, shop)
    ).createOrder;
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    try {
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      // A notice claiming anything at all: its content changes nothing by itself.
      const notice = { status: 400, type: 'malformed content', error: 'charge failed', id: order.providerOrderId };
      const answer = await fetch(`${gateway.url}/webhooks/intergiro`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(notice),
      });
      expect(answer.status).toBe(200);
      const told = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 5000)).orderStatusChanged;
      expect(told.source).toBe('RECONCILIATION');
    } finally {
      env.intergiro.pauseCallbacks(false);
      await watch.dispose();
    }
  });
});

describe('a provider that calls back (Intergiro), read only as a safety net', () => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  let gateway: Gateway;
  const GRACE = 1500;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    proxy = await startRecordingProxy(env.intergiro.url);
    gateway = await env.startGateway({
      reconcileIntervalMs: INTERVAL,
      reconcileCallbackGraceMs: GRACE,
      intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET },
    });
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it('waits RECONCILE_CALLBACK_GRACE_MS, not the interval, before reading a waiting order itself, and still finds a payment whose callback was lost', async () => {
    const shop = await tokenFor('orders:create', 'shop-grace');
    env.intergiro.pauseCallbacks(true); // the callback is lost
    try {
      const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('12.00') }, shop)).createOrder;
      const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
      await watch.next();
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      const path = `/v1/order/${order.providerOrderId}`;
      // Three intervals: an order of a provider that cannot call back would have been read by now.
      await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
      expect(proxy.requestsTo('GET', path)).toHaveLength(0);
      // After the grace the gateway reads it, once, and the lost payment reaches the subscriber.
      const told = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', GRACE * 4)).orderStatusChanged;
      expect(told.source).toBe('RECONCILIATION');
      expect(proxy.requestsTo('GET', path).length).toBeGreaterThanOrEqual(1);
      await watch.dispose();
    } finally {
      env.intergiro.pauseCallbacks(false);
    }
  });
});

describe.each(STORE_KINDS)('a re-read asked for while the poller reads the order is not put off by that read (%s store)', (kind) => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  let gateway: Gateway;
  const LEASE = 500;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    proxy = await startRecordingProxy(env.intergiro.url);
    // After a read finding nothing new, the order's next read would be a minute away: only the
    // ask can bring it sooner (one lease after the read in flight, which leases the order).
    gateway = await env.startGateway({
      reconcileIntervalMs: LEASE,
      reconcileCallbackGraceMs: 60_000,
      intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET },
    });
  });
  afterAll(async () => {
    proxy.beforeAnswer = null;
    await env.close();
    await proxy.close();
  });

  it("Intergiro's notice during a read that answers the old state: the order is read again, and the payment pushed", async () => {
    const shop = await tokenFor('orders:create', `shop-ask-${kind}`);
    env.intergiro.pauseCallbacks(true); // only the notices make the gateway look
    const notify = async (providerOrderId: string) => {
      const notice = { status: 400, type: 'malformed content', error: 'charge failed', id: providerOrderId };
      const answer = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notice) });
      expect(answer.status).toBe(200);
    };
    try {
      const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('9.00') }, shop)).createOrder;
      const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
      await watch.next();
      const path = `/v1/order/${order.providerOrderId}`;
      // The poller's first read is held at the proxy with Intergiro's answer of that moment
      // (the order still unpaid) until the buyer has paid and the second notice is stored.
      let readHeld!: () => void;
      const held = new Promise<void>((resolve) => (readHeld = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      proxy.beforeAnswer = async (request) => {
        if (request.method !== 'GET' || !request.path.startsWith(path)) return;
        proxy.beforeAnswer = null;
        readHeld();
        await released;
      };
      await notify(order.providerOrderId!);
      await held;
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      await notify(order.providerOrderId!);
      release();
      // Before, the held read's reschedule (a minute on) overwrote the second notice's "now".
      const told = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 8000)).orderStatusChanged;
      expect(told.source).toBe('RECONCILIATION');
      expect(proxy.requestsTo('GET', path).length).toBeGreaterThanOrEqual(2);
      await watch.dispose();
    } finally {
      proxy.beforeAnswer = null;
      env.intergiro.pauseCallbacks(false);
    }
  });
});
