/**
 * Money moves once against an Intergiro whose order reads carry no events (the seed shows `event`
 * only as a placeholder): only the status word says money moved. A later partial refund whose
 * answer was lost (or never stored) cannot be told from the word, which said `refunded` before
 * it already. Past the pending bound (10 minutes, on the gateway's injected clock) it must not
 * be dropped as not done: a retry with its key would refund a second time. Each order is driven
 * through GraphQL over HTTP; a recording proxy strips the events from the sandbox's order answers;
 * reconciliation is run by hand (the poller is off: its clock is the real one).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { PENDING_OPERATION_BOUND_MS } from '../../src/domain/orders/pending-operations.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { editIntergiroOrders, intergiroCardOrder } from '../support/intergiro.js';
import { failingOnceWhilePending } from '../support/failing-store.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

type Applied = Awaited<ReturnType<typeof gql<{ applyOrderEvents: (OrderView | null)[] }>>>;

describe('Intergiro without events: a later partial refund whose outcome the status word cannot show is never sent twice', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let proxy: RecordingProxy;
  let shop: string;
  let backOffice: string;
  /** How far the gateway's clock is ahead of the real one. */
  let ahead = 0;
  /** The store fails the next write that finds an operation pending (the answer came, the store could not keep it). */
  let storeFails = false;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    proxy = await startRecordingProxy(env.intergiro.url);
    // Every order answer as the seed shows it: no `event`.
    editIntergiroOrders(proxy, (order) => delete order.event);
    // The sandbox's callbacks carry its events: held back, so only the event-less reads speak.
    env.intergiro.pauseCallbacks(true);
    gateway = await env.startGateway(
      { intergiro: { url: proxy.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET } },
      {
        pollerDisabled: true,
        now: () => new Date(Date.now() + ahead),
        wrapStore: failingOnceWhilePending(
          () => storeFails,
          () => (storeFails = false),
        ),
      },
    );
    shop = await tokenFor('orders:create', 'shop-unshown');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-unshown');
  });
  afterAll(async () => {
    proxy.beforeAnswer = null;
    env?.intergiro.pauseCallbacks(false);
    await proxy?.close();
    await env?.close();
  });

  const apply = (orderId: string, event: Record<string, unknown>, idempotencyKey = randomUUID()): Promise<Applied> =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events: [{ ...event, idempotencyKey }] }] }, backOffice);
  const codes = (answer: Applied): unknown[] => (answer.errors ?? []).map((error) => error.extensions?.code);
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  /** The refunds Intergiro itself holds for the order, in its own record. */
  const refundsAtIntergiro = (order: OrderView): number[] =>
    env.intergiro
      .getOrder(order.providerOrderId!)!
      .event.filter((event) => event.type === 'refund')
      .map((event) => Number((event as { items?: unknown }).items));

  /** A 100.00 order captured whole and refunded 20.00 through the gateway: its reads say `refunded`, nothing more. */
  async function partlyRefunded(): Promise<OrderView> {
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    expect(order.status).toBe('AUTHORIZED');
    expect((await apply(order.id, { type: 'CAPTURE' })).errors).toBeUndefined();
    expect((await apply(order.id, { type: 'REFUND', amount: '20.00' })).errors).toBeUndefined();
    await gateway.service.reconcile(order.id); // a read without events, as any later one
    expect(await read(order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', providerStatus: 'refunded', payments: [{ refundedAmount: { amount: '20.00' } }] });
    return order;
  }

  /** Moves the gateway's clock past the pending bound and has it read the order at Intergiro. */
  async function pastTheBound(order: OrderView): Promise<OrderView> {
    await gateway.service.reconcile(order.id);
    ahead += PENDING_OPERATION_BOUND_MS + 60_000;
    await gateway.service.reconcile(order.id);
    return read(order.id);
  }

  it('a later partial refund whose answer was lost: past the bound a retry with its key is refused (PROVIDER_UNAVAILABLE) and nothing is sent; the order says so', async () => {
    const order = await partlyRefunded();
    const key = randomUUID();
    env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '30.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([20, 30]);
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '30.00' }, key))).toEqual(['INVALID_STATE']);

    const shown = await pastTheBound(order);
    // Not counted (the word cannot show it), and not forgotten.
    expect(shown).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '20.00' } }] });
    expect(shown.creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    expect(shown.creation.infos[0]!.message).toContain('30.00 EUR');
    expect((await gateway.store.orders.get(order.id))?.pendingOperations).toEqual([]);

    const retried = await apply(order.id, { type: 'REFUND', amount: '30.00' }, key);
    expect(codes(retried)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(retried.errors![0]!.message).toMatch(/new idempotency key/);
    expect(refundsAtIntergiro(order)).toEqual([20, 30]);

    // A later read keeps the Info (the read's own infos do not wipe it).
    await gateway.service.reconcile(order.id);
    expect((await read(order.id)).creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    // A new key is a new refund: the client decides, having been told.
    expect((await apply(order.id, { type: 'REFUND', amount: '10.00' })).errors).toBeUndefined();
    expect(refundsAtIntergiro(order)).toEqual([20, 30, 10]);
  });

  it('a later partial refund Intergiro answered while the store could not keep the answer: past the bound a retry with its key is not sent again', async () => {
    const order = await partlyRefunded();
    const key = randomUUID();
    storeFails = true;
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '25.00' }, key))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([20, 25]);

    const shown = await pastTheBound(order);
    expect(shown.creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '25.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([20, 25]);
  });

  it('the first refund whose answer was lost is still settled by the word (`refunded`): the retry answers it, nothing is sent twice', async () => {
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    expect((await apply(order.id, { type: 'CAPTURE' })).errors).toBeUndefined();
    const key = randomUUID();
    env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '40.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    await gateway.service.reconcile(order.id);
    const retried = await apply(order.id, { type: 'REFUND', amount: '40.00' }, key);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '40.00' } }], creation: { infos: [] } });
    expect(refundsAtIntergiro(order)).toEqual([40]);
  });

  it('a later refund the word cannot show but that Intergiro refused (never happened) is also kept unshown: the gateway cannot tell, the client checks', async () => {
    const order = await partlyRefunded();
    const key = randomUUID();
    // Intergiro drops the connection without taking the PATCH: the gateway cannot know it did not.
    env.intergiro.faults.inject({ kind: 'reset', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '15.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([20]);
    const shown = await pastTheBound(order);
    expect(shown.creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '15.00' }, key))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([20]);
  });

  it('two first refunds both unanswered: the word shows one happened, not two; only the first is counted, the second is kept unshown', async () => {
    const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: intergiroCardOrder('100.00') }, shop)).createOrder;
    expect((await apply(order.id, { type: 'CAPTURE' })).errors).toBeUndefined();
    const first = randomUUID();
    const second = randomUUID();
    env.intergiro.faults.inject({ kind: 'lost', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '30.00' }, first))).toEqual(['PROVIDER_UNAVAILABLE']);
    // The second never reaches Intergiro's books (the connection drops before it is taken).
    env.intergiro.faults.inject({ kind: 'reset', only: /^PATCH \/v1\/order$/ });
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '20.00' }, second))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([30]);

    const shown = await pastTheBound(order);
    // Before: both counted done by the one word (50.00 refunded, the second's retry "answered").
    expect(shown).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '30.00' } }] });
    expect(shown.creation.infos.map((info) => info.code)).toEqual(['provider.outcome_unshown']);
    expect((await apply(order.id, { type: 'REFUND', amount: '30.00' }, first)).errors).toBeUndefined();
    expect(codes(await apply(order.id, { type: 'REFUND', amount: '20.00' }, second))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(refundsAtIntergiro(order)).toEqual([30]);
  });
});
