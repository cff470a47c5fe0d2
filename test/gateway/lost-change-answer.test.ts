/**
 * Intent before call (domain/orders/pending-operations.ts): a capture or refund is written on the
 * order before Intergiro is asked. When Intergiro applies it but its answer never arrives (the
 * sandbox's `lost` fault: the PATCH takes effect, the connection drops instead of the answer), the
 * operation stays pending: a retry with the same key, or a new key for the rest of the amount, is
 * refused without a second PATCH; reconciliation reads the order at Intergiro and settles it, and
 * the order then shows what Intergiro's own record shows, with no pending operation left.
 * Intergiro's callbacks are held back, so only reconciliation can tell the gateway.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Store } from '../../src/store/types.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { failingOnceWhilePending } from '../support/failing-store.js';
import { intergiroCardOrder } from '../support/intergiro.js';

type Applied = Awaited<ReturnType<typeof gql<{ applyOrderEvents: (OrderView | null)[] }>>>;

describe.each(['memory', 'redis'] as StoreKind[])('an order change whose answer is lost (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let store: Store;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // The poller stays out of the way until a test starts the reconciling gateway.
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    store = env.newStore();
    shop = await tokenFor('orders:create', `shop-lost-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', `back-office-lost-${kind}`);
  });
  afterAll(async () => {
    env?.intergiro.pauseCallbacks(false);
    await env?.close();
  });

  const apply = (orderId: string, event: Record<string, unknown>, idempotencyKey = randomUUID()): Promise<Applied> =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events: [{ ...event, idempotencyKey }] }] }, backOffice);
  const codes = (answer: Applied): unknown[] => (answer.errors ?? []).map((error) => error.extensions?.code);

  /** What Intergiro was asked to do to the order, in its own record: `charge`, `refund`, `fail`, with the amounts. */
  function upstream(order: OrderView): { asked: string[]; charged: number; refunded: number } {
    const record = env.intergiro.getOrder(order.providerOrderId ?? '');
    if (!record) throw new Error(`the sandbox has no order ${String(order.providerOrderId)}`);
    const events = record.event.filter((event) => event.type === 'charge' || event.type === 'refund' || event.type === 'fail');
    const total = (type: string) => events.filter((event) => event.type === type).reduce((sum, event) => sum + Number((event as { items?: unknown }).items), 0);
    return { asked: events.map((event) => event.type), charged: total('charge'), refunded: total('refund') };
  }

  async function pending(orderId: string): Promise<number> {
    return (await store.orders.get(orderId))?.pendingOperations?.length ?? 0;
  }

  it('a capture Intergiro applied but whose answer was lost is never sent again, and reconciliation settles it from Intergiro’s record', async () => {
    env.intergiro.pauseCallbacks(true);
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    expect(order.status).toBe('AUTHORIZED');
    const key = randomUUID();

    env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'CAPTURE', amount: '40.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(upstream(order).asked).toEqual(['charge']);
    expect(await pending(order.id)).toBe(1);

    // The same key again, and a new key for the rest: neither reaches Intergiro.
    expect(codes(await apply(order.id, { type: 'CAPTURE', amount: '40.00' }, key))).toEqual(['INVALID_STATE']);
    expect(codes(await apply(order.id, { type: 'CAPTURE', amount: '60.00' }))).toEqual(['INVALID_STATE']);
    expect(upstream(order).asked).toEqual(['charge']);

    // A gateway whose poller runs reads the order at Intergiro and settles the capture.
    const reconciling = await env.startGateway({ reconcileIntervalMs: 200 });
    const settled = await eventually(async () => {
      const stored = await store.orders.get(order.id);
      return stored && !stored.pendingOperations?.length && stored;
    });
    expect(settled.status).toBe('PARTIALLY_CAPTURED');
    expect(upstream(order)).toEqual({ asked: ['charge'], charged: 40, refunded: 0 });
    const shown = (await gqlOk<{ order: OrderView }>(reconciling.url, GET_ORDER, { id: order.id }, backOffice)).order;
    expect(shown.payments).toMatchObject([{ capturedAmount: { amount: '40.00' }, refundedAmount: { amount: '0.00' } }]);

    // The retry with the first key now answers the settled capture, still without a second PATCH.
    const retried = await apply(order.id, { type: 'CAPTURE', amount: '40.00' }, key);
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '40.00' } }] });
    expect(upstream(order).asked).toEqual(['charge']);
    await reconciling.close();
    env.intergiro.pauseCallbacks(false);
  });

  it('a refund whose answer was lost counts against the refundable amount until reconciliation settles it', async () => {
    env.intergiro.pauseCallbacks(true);
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    expect((await apply(order.id, { type: 'CAPTURE' })).errors).toBeUndefined();

    env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '30.00' }))).toEqual(['PROVIDER_UNAVAILABLE']);
    // 70.00 is left once the lost 30.00 counts: 80.00 is refused before any call.
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '80.00' }))).toEqual(['INVALID_STATE']);
    expect(upstream(order).asked).toEqual(['charge', 'refund']);

    const reconciling = await env.startGateway({ reconcileIntervalMs: 200 });
    await eventually(async () => (await pending(order.id)) === 0);
    const shown = (await gqlOk<{ order: OrderView }>(reconciling.url, GET_ORDER, { id: order.id }, backOffice)).order;
    expect(upstream(order)).toEqual({ asked: ['charge', 'refund'], charged: 100, refunded: 30 });
    expect(shown).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '30.00' } }] });
    await reconciling.close();
    env.intergiro.pauseCallbacks(false);
  });

  it('a refund Intergiro answered while the store went down stays pending and is settled from Intergiro, not sent again', async () => {
    env.intergiro.pauseCallbacks(true);
    // The store fails the write that would settle the refund (the only write that finds an
    // operation pending on the order), once: the answer came, the store could not keep it.
    let armed = false;
    const failing = await env.startGateway(
      { reconcileIntervalMs: 60_000 },
      {
        pollerDisabled: true,
        wrapStore: failingOnceWhilePending(
          () => armed,
          () => (armed = false),
        ),
      },
    );
    const order = (await gqlOk<{ createOrder: OrderView }>(failing.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    const captured = await gql<{ applyOrderEvents: (OrderView | null)[] }>(failing.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
    expect(captured.errors).toBeUndefined();
    const key = randomUUID();
    const refund = { input: [{ orderId: order.id, events: [{ type: 'REFUND', amount: '25.00', idempotencyKey: key }] }] };

    armed = true;
    const first = await gql<{ applyOrderEvents: (OrderView | null)[] }>(failing.url, APPLY_EVENTS, refund, backOffice);
    expect(codes(first)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(upstream(order).asked).toEqual(['charge', 'refund']);
    expect(await pending(order.id)).toBe(1);
    expect(codes(await gql<{ applyOrderEvents: (OrderView | null)[] }>(failing.url, APPLY_EVENTS, refund, backOffice))).toEqual(['INVALID_STATE']);
    expect(upstream(order).asked).toEqual(['charge', 'refund']);

    const reconciling = await env.startGateway({ reconcileIntervalMs: 200 });
    await eventually(async () => (await pending(order.id)) === 0);
    const again = await gql<{ applyOrderEvents: (OrderView | null)[] }>(failing.url, APPLY_EVENTS, refund, backOffice);
    expect(again.errors).toBeUndefined();
    expect(again.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '25.00' } }] });
    expect(upstream(order)).toEqual({ asked: ['charge', 'refund'], charged: 100, refunded: 25 });
    await reconciling.close();
    await failing.close();
    env.intergiro.pauseCallbacks(false);
  });

  it('Dintero (its adapter reads a lost capture back itself): reaches Dintero once, the same key answers it, a capture beyond what is left is refused before any call, nothing stays pending', async () => {
    const dintero = env.sandboxes.dintero;
    const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop)).createOrder;
    expect((await buyerOnCheckout(created.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'before' })).status).toBe(303);
    const order = await eventually(async () => {
      const current = (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: created.id }, backOffice)).order;
      return current.status === 'AUTHORIZED' && current.creation.infos.length === 0 && current;
    });
    const path = `/transactions/${order.payments[0]?.id ?? ''}/capture`;
    const captures = () => dintero.requests().filter((request) => request.path.endsWith(path));
    const key = randomUUID();

    dintero.faults.inject({ kind: 'lost', only: new RegExp(`${path}$`) });
    const first = await apply(order.id, { type: 'CAPTURE', amount: '400.00' }, key);
    expect(dintero.faults.armed()).toEqual([]); // the answer was dropped
    // Dintero's adapter reads the transaction back and finds the capture (its own lost-answer handling).
    expect(first.errors).toBeUndefined();
    expect(first.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '400.00' } }] });
    expect(captures()).toHaveLength(1);
    // Neither the same key nor a capture beyond the 98.00 left is sent.
    expect((await apply(order.id, { type: 'CAPTURE', amount: '400.00' }, key)).errors).toBeUndefined();
    expect(codes(await apply(order.id, { type: 'CAPTURE', amount: '100.00' }))).toEqual(['INVALID_STATE']);
    expect(captures()).toHaveLength(1);

    const reconciling = await env.startGateway({ reconcileIntervalMs: 200 });
    const shown = await eventually(async () => {
      const current = (await gqlOk<{ order: OrderView }>(reconciling.url, GET_ORDER, { id: order.id }, backOffice)).order;
      return (await pending(order.id)) === 0 && current.creation.infos.length === 0 && current;
    }, 10_000);
    expect(shown.payments).toMatchObject([{ capturedAmount: { amount: '400.00' } }]);
    expect(captures()).toHaveLength(1);
    await reconciling.close();
  });
});
