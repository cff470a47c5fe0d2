/**
 * Dintero as an implementation written from its seed alone would answer (the sandbox's
 * seed-minimal mode): a transaction is only its id and status, a session only what CONTRACT §8
 * names, and the callback only "the session_id and its corresponding transaction". The gateway's
 * poller is slowed to a minute here, so what happens at once happens through the callback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { DinteroSandbox } from '../../src/sandboxes/dintero/index.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { buyerOnCheckout, dinteroCallback, dinteroOrderInput } from '../support/dintero.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';

describe('Dintero answering only what its seed shows: bare transactions, bare callbacks', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let dintero: DinteroSandbox;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { dintero: { seedMinimal: true } });
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    dintero = env.sandboxes.dintero;
    shop = await tokenFor('orders:create', 'dintero-minimal-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const create = async (): Promise<OrderView> => (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop)).createOrder;
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;

  it("a callback naming only its transaction and session is tied to its order by the callback URL the gateway gave: AUTHORIZED at once, not at the next poll", async () => {
    const created = await create();
    expect((await buyerOnCheckout(created.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' })).status).toBe(303);
    const sent = dintero.sentCallbacks().at(-1)!;
    expect([...new URL(sent.url).searchParams.keys()].filter((name) => name !== 'gateway_dintero_order')).toEqual(['transaction_id', 'session_id']);
    const authorized = await eventually(async () => {
      const current = await read(created.id);
      return current.status === 'AUTHORIZED' && current;
    }, 5_000);
    expect(authorized.payments).toMatchObject([{ status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
    const captured = await gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: created.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
    expect(captured.errors).toBeUndefined();
    expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
  });

  it("a forged callback naming a paid order's transaction under another order changes nothing there", async () => {
    const paid = await create();
    await buyerOnCheckout(paid.creation.stopAction!.redirectUrl!, 'pay', { callback: 'before' });
    await eventually(async () => (await read(paid.id)).status === 'AUTHORIZED', 5_000);
    const waiting = await create();
    const status = await dinteroCallback(gateway.url, { transaction_id: paid.payments[0]?.id ?? (await read(paid.id)).payments[0]!.id, gateway_dintero_order: waiting.providerOrderId! });
    expect(status).toBeLessThan(300);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the poller (500 ms ticks) took the named order
    expect((await read(waiting.id)).status).toBe('CREATED');
  });
});
