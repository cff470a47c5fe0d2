/**
 * One order's money-moving changes run one at a time across calls and gateway instances (the
 * domain's change lease, domain/orders/change-lease.ts): two back offices capturing or refunding
 * the same order at the same moment through two gateways on one store never both reach the
 * provider; the second is checked against the order the first left and is INVALID_STATE.
 * "Reached the provider" is counted from the Intergiro sandbox's own record of the order's
 * events (every charge / refund it was asked for, refused ones included as `fail`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroCardOrder } from '../support/intergiro.js';

type Applied = Awaited<ReturnType<typeof gql<{ applyOrderEvents: (OrderView | null)[] }>>>;

describe.each(STORE_KINDS)('one change at a time per order, two gateways (%s store)', (kind: StoreKind) => {
  let env: TestEnvironment;
  let first: Gateway;
  let second: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // The poller stays out of the way: what moves the orders here is the two calls.
    first = await env.startGateway({ reconcileIntervalMs: 60_000 });
    second = await env.startGateway({ reconcileIntervalMs: 60_000 });
    shop = await tokenFor('orders:create', `shop-lease-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', `back-office-lease-${kind}`);
  });
  afterAll(async () => {
    await env?.close();
  });

  /** An Intergiro card order the sandbox authorizes at once. */
  async function authorized(amount: string): Promise<OrderView> {
    const order = (await gqlOk<{ createOrder: OrderView }>(first.url, CREATE_ORDER, { input: intergiroCardOrder(amount) }, shop)).createOrder;
    expect(order.status).toBe('AUTHORIZED');
    return order;
  }

  const apply = (gateway: Gateway, orderId: string, event: Record<string, unknown>): Promise<Applied> =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events: [{ ...event, idempotencyKey: randomUUID() }] }] }, backOffice);

  /** What the sandbox was asked to do to the order, in its own words: `charge`, `refund`, `fail` (a refused one). */
  function askedOf(order: OrderView): string[] {
    const upstream = env.intergiro.getOrder(order.providerOrderId ?? '');
    if (!upstream) throw new Error(`the sandbox has no order ${String(order.providerOrderId)}`);
    return upstream.event.map((event) => event.type).filter((type) => type === 'charge' || type === 'refund' || type === 'fail');
  }

  /** The one answer that succeeded and the error codes of the others. */
  function split(answers: Applied[]): { done: OrderView[]; codes: unknown[] } {
    const done = answers.flatMap((answer) => (answer.data?.applyOrderEvents?.[0] ? [answer.data.applyOrderEvents[0]] : []));
    const codes = answers.flatMap((answer) => (answer.errors ?? []).map((error) => error.extensions?.code));
    return { done, codes };
  }

  it('two full captures of one authorized order at the same moment: one reaches Intergiro, the other is INVALID_STATE', async () => {
    const order = await authorized('100.00');
    const answers = await Promise.all([apply(first, order.id, { type: 'CAPTURE' }), apply(second, order.id, { type: 'CAPTURE' })]);
    const { done, codes } = split(answers);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    expect(codes).toEqual(['INVALID_STATE']);
    expect(askedOf(order)).toEqual(['charge']);
  });

  it('two partial refunds that together exceed the captured amount: one reaches Intergiro, the other is INVALID_STATE', async () => {
    const order = await authorized('100.00');
    expect(split([await apply(first, order.id, { type: 'CAPTURE' })]).done).toHaveLength(1);
    const answers = await Promise.all([
      apply(first, order.id, { type: 'REFUND', amount: '60.00' }),
      apply(second, order.id, { type: 'REFUND', amount: '60.00' }),
    ]);
    const { done, codes } = split(answers);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '60.00' } }] });
    expect(codes).toEqual(['INVALID_STATE']);
    expect(askedOf(order)).toEqual(['charge', 'refund']);
  });

  it('ten refunds of 10.00 from both gateways on a 50.00 capture: exactly five reach Intergiro', async () => {
    const order = await authorized('50.00');
    expect(split([await apply(second, order.id, { type: 'CAPTURE' })]).done).toHaveLength(1);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) => apply(index % 2 ? first : second, order.id, { type: 'REFUND', amount: '10.00' })),
    );
    const { done, codes } = split(answers);
    expect(done).toHaveLength(5);
    expect(codes).toEqual(Array.from({ length: 5 }, () => 'INVALID_STATE'));
    expect(askedOf(order)).toEqual(['charge', 'refund', 'refund', 'refund', 'refund', 'refund']);
    const shown = (await gqlOk<{ order: OrderView }>(second.url, GET_ORDER, { id: order.id }, backOffice)).order;
    expect(shown).toMatchObject({ status: 'REFUNDED', payments: [{ capturedAmount: { amount: '50.00' }, refundedAmount: { amount: '50.00' } }] });
  });

  it('Intergiro charges an authorization once: a second partial capture is INVALID_STATE and never reaches it', async () => {
    const order = await authorized('100.00');
    expect(split([await apply(first, order.id, { type: 'CAPTURE', amount: '40.00' })]).done).toMatchObject([{ status: 'PARTIALLY_CAPTURED' }]);
    const { done, codes } = split([await apply(second, order.id, { type: 'CAPTURE', amount: '10.00' })]);
    expect(done).toEqual([]);
    expect(codes).toEqual(['INVALID_STATE']);
    expect(askedOf(order)).toEqual(['charge']);
  });

  it('Dintero takes several partial captures: two at once that fit both go through; two that together exceed: one reaches Dintero, the other is INVALID_STATE', async () => {
    const dintero = env.sandboxes.dintero;
    const created = (await gqlOk<{ createOrder: OrderView }>(first.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop)).createOrder;
    expect((await buyerOnCheckout(created.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'before' })).status).toBe(303);
    const order = await eventually(async () => {
      const current = (await gqlOk<{ order: OrderView }>(second.url, GET_ORDER, { id: created.id }, backOffice)).order;
      return current.status === 'AUTHORIZED' && current.creation.infos.length === 0 && current;
    });
    const captures = () => dintero.requests().filter((request) => request.path.endsWith(`/transactions/${order.payments[0]?.id ?? ''}/capture`));

    const fitting = split(await Promise.all([apply(first, order.id, { type: 'CAPTURE', amount: '200.00' }), apply(second, order.id, { type: 'CAPTURE', amount: '200.00' })]));
    expect(fitting.codes).toEqual([]);
    expect(fitting.done.map((view) => view.payments[0]?.capturedAmount.amount).sort()).toEqual(['200.00', '400.00']);

    const exceeding = split(await Promise.all([apply(first, order.id, { type: 'CAPTURE', amount: '98.00' }), apply(second, order.id, { type: 'CAPTURE', amount: '98.00' })]));
    expect(exceeding.done).toMatchObject([{ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }]);
    expect(exceeding.codes).toEqual(['INVALID_STATE']);
    expect(captures()).toHaveLength(3);
  });
});
