import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, LIST_ORDERS, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import type { SandboxTuning } from '../../src/sandboxes/index.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe, type Subscription } from '../support/graphql.js';
import { SCENARIO_DRIVERS } from './drivers.js';

type Watch = Subscription<{ orderStatusChanged: StatusChangeView }>;

/**
 * Every provider runs the scenarios against its full sandbox on both stores, and against its
 * seed-minimal sandbox (kit/seed-minimal.ts: only what the provider's seed shows, fields no seed
 * shows, other letter cases) on the in-process store: the adapters must not depend on anything
 * the seeds do not show. One environment and gateway per provider and mode.
 */
type SandboxMode = 'full' | 'seed-minimal';
const SEED_MINIMAL: SandboxTuning = {
  intergiro: { seedMinimal: true },
  pei: { seedMinimal: true },
  intershop: { seedMinimal: true },
  dintero: { seedMinimal: true },
  payway: { seedMinimal: true },
};
const RUNS: [StoreKind, SandboxMode][] = [...STORE_KINDS.map((kind): [StoreKind, SandboxMode] => [kind, 'full']), ['memory', 'seed-minimal']];
const cases = SCENARIO_DRIVERS.flatMap((driver) => RUNS.map(([kind, mode]) => [driver.provider, kind, mode, driver] as const));
const today = (): string => new Date().toISOString().slice(0, 10);

describe.each(cases)('%s scenarios (%s store, %s sandbox)', (_provider, kind, mode, driver) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind, mode === 'seed-minimal' ? SEED_MINIMAL : {});
    gateway = await env.startGateway();
    shop = await tokenFor('orders:create', `shop-${driver.provider}`);
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  async function createWatched(amount: string): Promise<{ order: OrderView; watch: Watch }> {
    const order: OrderView = driver.create
      ? await driver.create(gateway.url, shop, amount, env)
      : (await gqlOk(gateway.url, CREATE_ORDER, { input: driver.payableOrder(amount) }, shop)).createOrder;
    const watch: Watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    const snapshot = (await watch.next()).orderStatusChanged;
    expect(snapshot).toMatchObject({ previousStatus: null, status: order.status });
    return { order, watch };
  }

  const statusesSeen = (watch: Watch) => watch.messages.map((message) => message.orderStatusChanged.status);
  const apply = (orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, backOffice);

  it('buyer pays -> the subscriber is told, nobody polls the gateway', async () => {
    const { order, watch } = await createWatched('25.00');
    await driver.buyer(env, order, 'pay');
    const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus)).orderStatusChanged;
    expect(['WEBHOOK', 'RECONCILIATION']).toContain(paid.source);
    expect(paid.final).toBe(false);
    await watch.dispose();
  });

  it.runIf(driver.sayStatus !== undefined)('a status word the gateway does not know: reads and listings answer, the order keeps its status and shows the word, then the buyer pays', async () => {
    const { order, watch } = await createWatched('21.00');
    const word = 'AwaitingSomethingNew';
    driver.sayStatus!(env, order, word);
    // The poller re-reads the waiting order (every 200 ms here).
    const odd = await eventually(async () => {
      const now = (await gqlOk(gateway.url, GET_ORDER, { id: order.id }, backOffice)).order;
      return now?.providerStatus === word ? now : undefined;
    });
    expect(odd.status).toBe(order.status);
    expect(odd.creation.infos).toContainEqual(expect.objectContaining({ code: 'provider.unknown_status' }));
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: driver.provider, from: today(), to: today() } }, backOffice);
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ status: order.status, providerStatus: word });

    driver.sayStatus!(env, order, null);
    await driver.buyer(env, order, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus);
    await watch.dispose();
  });

  it.runIf(driver.supports.capture && driver.supports.refund)('paid -> capture -> partial refund -> refund the rest, each change pushed in order', async () => {
    const { order, watch } = await createWatched('100.00');
    await driver.buyer(env, order, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus);

    if (driver.supports.repeatedCapture) {
      expect((await apply(order.id, [{ type: 'CAPTURE', amount: '60.00' }])).data?.applyOrderEvents[0]?.status).toBe('PARTIALLY_CAPTURED');
      expect((await apply(order.id, [{ type: 'CAPTURE' }])).data?.applyOrderEvents[0]?.status).toBe('CAPTURED');
    } else {
      expect((await apply(order.id, [{ type: 'CAPTURE', amount: '100.00' }])).data?.applyOrderEvents[0]?.status).toBe('CAPTURED');
    }
    const refunded = await apply(order.id, [{ type: 'REFUND', amount: '30.00' }]);
    expect(refunded.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
    expect(refunded.data?.applyOrderEvents[0]?.payments[0]?.refundedAmount.amount).toBe('30.00');
    const rest = await apply(order.id, [{ type: 'REFUND' }]);
    expect(rest.data?.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED' });
    expect(rest.data?.applyOrderEvents[0]?.payments[0]).toMatchObject({ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '100.00' } });

    const last = await watch.waitFor((message) => message.orderStatusChanged.final);
    expect(last.orderStatusChanged.status).toBe('REFUNDED');
    const seen = statusesSeen(watch);
    expect(seen.indexOf('CAPTURED')).toBeGreaterThan(seen.indexOf(driver.paidStatus));
    expect(seen.indexOf('PARTIALLY_REFUNDED')).toBeGreaterThan(seen.indexOf('CAPTURED'));
    const ids = watch.messages.map((message) => Number(message.orderStatusChanged.eventId));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    await watch.done;
  });

  it.runIf(driver.supports.capture)('capture beyond what is authorized and refund beyond what is captured are INVALID_STATE', async () => {
    const { order, watch } = await createWatched('10.00');
    await driver.buyer(env, order, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus);
    const over = await apply(order.id, [{ type: 'CAPTURE', amount: '10.01' }]);
    expect(over.errors?.[0]).toMatchObject({ path: ['applyOrderEvents', 0], extensions: { code: 'INVALID_STATE' } });
    const refund = await apply(order.id, [{ type: 'REFUND', amount: '1.00' }]);
    expect(refund.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const unchanged = (await gqlOk(gateway.url, GET_ORDER, { id: order.id }, backOffice)).order!;
    expect(unchanged.status).toBe(driver.paidStatus);
    await watch.dispose();
  });

  it.runIf(driver.supports.capture)('two elements for one order in one call cannot together capture beyond what is authorized', async () => {
    const { order, watch } = await createWatched('10.00');
    await driver.buyer(env, order, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus);
    const both = await gql<{ applyOrderEvents: (OrderView | null)[] }>(
      gateway.url,
      APPLY_EVENTS,
      { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '6.00' }] }, { orderId: order.id, events: [{ type: 'CAPTURE', amount: '6.00' }] }] },
      backOffice,
    );
    expect(both.data?.applyOrderEvents[0]?.payments[0]?.capturedAmount.amount).toBe('6.00');
    expect(both.data?.applyOrderEvents[1]).toBeNull();
    expect(both.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['applyOrderEvents', 1], 'INVALID_STATE']]);
    const stored = (await gqlOk(gateway.url, GET_ORDER, { id: order.id }, backOffice)).order!;
    expect(stored.payments[0]?.capturedAmount.amount).toBe('6.00');
    await watch.dispose();
  });

  const declined = driver.outcomes?.decline === undefined ? 'FAILED' : driver.outcomes.decline;
  it.runIf(declined !== null)(`buyer declines -> ${declined}, final, and the subscription ends`, async () => {
    const { order, watch } = await createWatched('12.00');
    await driver.buyer(env, order, 'decline');
    const failed = (await watch.waitFor((message) => message.orderStatusChanged.final)).orderStatusChanged;
    expect(failed.status).toBe(declined);
    await watch.done;
  });

  const cancelled = driver.outcomes?.cancel === undefined ? 'CANCELLED' : driver.outcomes.cancel;
  it.runIf(cancelled !== null)(`buyer cancels -> ${cancelled}, final`, async () => {
    const { order, watch } = await createWatched('13.00');
    await driver.buyer(env, order, 'cancel');
    const last = (await watch.waitFor((message) => message.orderStatusChanged.final)).orderStatusChanged;
    expect(last.status).toBe(cancelled);
    await watch.done;
  });

  it.runIf(driver.supports.cancel)('a back office cancels a paid, uncaptured order', async () => {
    const { order, watch } = await createWatched('14.00');
    await driver.buyer(env, order, 'pay');
    await watch.waitFor((message) => message.orderStatusChanged.status === driver.paidStatus);
    const cancelled = await apply(order.id, [{ type: 'CANCEL', reason: 'out of stock' }]);
    expect(cancelled.data?.applyOrderEvents[0]?.status).toBe('CANCELLED');
    expect((await watch.waitFor((message) => message.orderStatusChanged.final)).orderStatusChanged.status).toBe('CANCELLED');
  });

  it.runIf(!driver.supports.cancel)('order events the provider does not have answer NOT_SUPPORTED', async () => {
    const { order, watch } = await createWatched('15.00');
    const result = await apply(order.id, [{ type: 'CANCEL' }]);
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_SUPPORTED');
    await watch.dispose();
  });
});
