/**
 * createOrder intent-first (domain/orders/create-once.ts, lost-creation.ts): a creation whose
 * answer never came is found at the provider by the merchant reference the gateway sent (the
 * client's, or the gateway's own order id), never created a second time.
 *   - Intergiro, Pei and Intershop apply the creation but the answer is lost (the sandbox's
 *     `lost` fault): a retry with the same key answers that order (Intershop's found by its
 *     basket), and the provider saw one creation.
 *   - The store fails after Intergiro answered: the reconciliation sweep adopts the order under
 *     the id the client would have got (Intergiro's `number` is that id).
 *   - Dintero and Payway cannot be asked for an order by reference (their seeds show no such
 *     read): a retry answers PROVIDER_UNAVAILABLE and sends no second creation or purchase. A
 *     Payway purchase is answered once Payway's signed event named it (the adapter keeps it).
 * Callbacks are held back, so nothing but the lookup can tell the gateway about the first order.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Store } from '../../src/store/types.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS, PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroCardOrder, intergiroRest } from '../support/intergiro.js';
import { newBasket } from '../support/intershop.js';
import { PAYWAY_TEST_CARDS, placeInput } from '../support/payway.js';

type Created = Awaited<ReturnType<typeof gql<{ createOrder: OrderView }>>>;

const codes = (answer: Pick<Created, 'errors'>): unknown[] => (answer.errors ?? []).map((error) => error.extensions?.code);

/** A Pei One-off order the buyer confirms on Pei's page (no reference: the gateway sends its own id). */
function peiOrder(idempotencyKey: string): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    items: [{ name: 'Lopapeysa', quantity: 1, unitPrice: '24900', amount: '24900' }],
    returnUrls: { success: 'https://shop.example/takk', cancel: 'https://shop.example/haett' },
    pei: { sequenceType: 'ONE_OFF' },
    idempotencyKey,
  };
}

describe.each(['memory', 'redis'] as StoreKind[])('a creation whose answer is lost (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let store: Store;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 }, { pollerDisabled: true });
    store = env.newStore();
    shop = await tokenFor('orders:create', `shop-lost-create-${kind}`);
    backOffice = await tokenFor('orders:read', `back-office-lost-create-${kind}`);
    env.intergiro.pauseCallbacks(true);
  });
  afterAll(async () => {
    env?.intergiro.pauseCallbacks(false);
    await env?.close();
  });

  const create = (url: string, input: Record<string, unknown>): Promise<Created> => gql<{ createOrder: OrderView }>(url, CREATE_ORDER, { input }, shop);

  it('Intergiro: the retry with the same key answers the order Intergiro made, and Intergiro saw one creation', async () => {
    const input = { ...intergiroCardOrder('55.00'), idempotencyKey: randomUUID() };
    const posts = () => env.intergiro.faults.count(/^POST \/v1\/order$/);
    const before = posts();

    env.intergiro.faults.inject({ kind: 'lost', only: /^POST \/v1\/order$/ });
    expect(codes(await create(gateway.url, input))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(posts()).toBe(before + 1);

    const retried = await create(gateway.url, input);
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    expect(order).toMatchObject({ status: 'AUTHORIZED', reference: null, total: { amount: '55.00', currency: 'EUR' } });
    expect(posts()).toBe(before + 1);
    // Intergiro's record carries the gateway's id as its number: the order the first answer would have named.
    const upstream = await intergiroRest<{ id: string; number?: string }>(env.intergiro, 'GET', `/v1/order/${order.providerOrderId ?? ''}`);
    expect(upstream.number).toBe(order.id);

    // And again: the key's first result, still one creation.
    expect((await create(gateway.url, input)).data?.createOrder.id).toBe(order.id);
    expect(posts()).toBe(before + 1);
  });

  it('Intergiro: an orders listing while a creation\'s answer is on its way leaves the order to the creation: one gateway order for it', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const list = async () =>
      (await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, backOffice)).orders.nodes;
    env.intergiro.faults.inject({ kind: 'hold', only: /^POST \/v1\/order$/ });
    const creating = create(gateway.url, intergiroCardOrder('56.00'));
    // Intergiro made the order and holds its answer: it lists an order the gateway does not know yet.
    await eventually(async () => env.intergiro.faults.held() === 1);
    await list();
    env.intergiro.faults.release();
    const created = await creating;
    expect(created.errors).toBeUndefined();
    const order = created.data!.createOrder;
    expect((await list()).filter((one) => one.providerOrderId === order.providerOrderId).map((one) => one.id)).toEqual([order.id]);
  });

  it('Intergiro: a listing adopts the order between the retry\'s look-up and its write: the retry answers the listed order, the only gateway order of it', async () => {
    // The retry looked for the provider order in the store and found none; a back office listing
    // adopts it under an id of its own just then; the retry's write is refused (the store's check)
    // and the retry answers the adopted order. Before, that refusal came back as the retry's error.
    let raceOnce = false;
    const today = new Date().toISOString().slice(0, 10);
    const racing = await env.startGateway(
      { reconcileIntervalMs: 60_000 },
      {
        pollerDisabled: true,
        wrapStore: (inner) => ({
          ...inner,
          orders: {
            ...inner.orders,
            findByProviderOrderId: async (provider, providerOrderId) => {
              if (!raceOnce) return inner.orders.findByProviderOrderId(provider, providerOrderId);
              raceOnce = false;
              await gqlOk(racing.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, backOffice);
              return null;
            },
          },
        }),
      },
    );
    const input = { ...intergiroCardOrder('57.00'), idempotencyKey: randomUUID() };
    env.intergiro.faults.inject({ kind: 'lost', only: /^POST \/v1\/order$/ });
    expect(codes(await create(racing.url, input))).toEqual(['PROVIDER_UNAVAILABLE']);

    raceOnce = true;
    const retried = await create(racing.url, input);
    expect(raceOnce).toBe(false);
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    expect(order).toMatchObject({ status: 'AUTHORIZED', total: { amount: '57.00' } });
    const listed = (await gqlOk<{ orders: { nodes: OrderView[] } }>(racing.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, backOffice)).orders.nodes;
    expect(listed.filter((one) => one.providerOrderId === order.providerOrderId).map((one) => one.id)).toEqual([order.id]);
    expect((await store.orders.findByProviderOrderId('INTERGIRO', order.providerOrderId!))?.id).toBe(order.id);
  });

  it('Pei: the retry with the same key answers the order Pei made (found by the reference the gateway sent), and Pei saw one submit', async () => {
    const pei = env.sandboxes.pei;
    const input = peiOrder(randomUUID());
    const submits = () => pei.faults.count(/^POST \/api\/orders$/);
    const before = submits();

    pei.faults.inject({ kind: 'lost', only: /^POST \/api\/orders$/ });
    expect(codes(await create(gateway.url, input))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(submits()).toBe(before + 1);

    const retried = await create(gateway.url, input);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ provider: 'PEI', status: 'CREATED', reference: null, total: { amount: '24900' } });
    expect(submits()).toBe(before + 1);
  });

  it('Intershop: the retry with the same key answers the order ICM made of the basket, and ICM saw one order POST', async () => {
    const icm = env.sandboxes.intershop;
    const basketId = await newBasket(icm, '40.00');
    const input = { provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, idempotencyKey: randomUUID() };
    const orderPosts = () => icm.faults.count(/^POST .*\/orders$/);
    const before = orderPosts();

    icm.faults.inject({ kind: 'lost', only: /^POST .*\/orders$/ });
    expect(codes(await create(gateway.url, input))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(orderPosts()).toBe(before + 1);

    const retried = await create(gateway.url, input);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ provider: 'INTERSHOP', status: 'ACTION_REQUIRED', total: { amount: '40.00', currency: 'USD' } });
    expect(orderPosts()).toBe(before + 1);
  });

  it('Payway cannot be asked for a purchase: the retry of a place_order whose answer was lost places nothing again, and answers the purchase once Payway\'s event told it', async () => {
    const payway = env.sandboxes.payway;
    const reference = `lost-place-${kind}-${randomUUID()}`;
    const input = placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference, idempotencyKey: reference });
    const place = () => gql<{ placeAdyenOrder: OrderView }>(gateway.url, PLACE_ADYEN_ORDER, { input }, shop);

    payway.faults.inject({ kind: 'lost', only: /^POST \/external\/api\/v1\/adyen\/place_order$/ });
    expect(codes(await place())).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(payway.purchasesWithReference(reference)).toHaveLength(1);
    // Until the sandbox's signed order_closed arrives the outcome is unknown (PROVIDER_UNAVAILABLE);
    // once it has, the retry answers the purchase it names. Never a second purchase.
    const retried = await eventually(async () => {
      const answer = await place();
      if (answer.errors) expect(answer.errors[0]?.message).toMatch(/outcome is unknown/);
      return answer.data?.placeAdyenOrder;
    }, 5000);
    expect(retried).toMatchObject({ provider: 'PAYWAY', status: 'CAPTURED', reference });
    expect(payway.purchasesWithReference(reference)).toHaveLength(1);
  });

  it('Intergiro answered while the store was down: the reconciliation sweep adopts the order under the id the client would have got', async () => {
    // Every order write of this gateway fails: the provider's answer cannot be stored.
    const failing = await env.startGateway(
      { reconcileIntervalMs: 60_000, providerTimeoutMs: 500 },
      {
        pollerDisabled: true,
        wrapStore: (inner) => ({ ...inner, orders: { ...inner.orders, create: () => Promise.reject(new Error('Connection is closed.')), createAlong: () => Promise.reject(new Error('Connection is closed.')) } }),
      },
    );
    const reference = `lost-store-${kind}-${randomUUID()}`;
    const first = await create(failing.url, { ...intergiroCardOrder('21.00'), reference });
    expect(codes(first)).toEqual(['SERVICE_UNAVAILABLE']);
    const made = (await intergiroRest<{ id: string; number?: string }[]>(env.intergiro, 'GET', '/v1/order')).filter((order) => order.number === reference);
    expect(made).toHaveLength(1);

    // A gateway whose poller runs finds the creation's intent once the call must be over, and asks Intergiro.
    const reconciling = await env.startGateway({ reconcileIntervalMs: 200, providerTimeoutMs: 500 });
    const adopted = await eventually(async () => {
      const stored = await store.orders.findByProviderOrderId('INTERGIRO', made[0]!.id);
      return stored ?? undefined;
    }, 20_000);
    expect(adopted).toMatchObject({ reference, status: 'AUTHORIZED', owner: `shop-lost-create-${kind}` });
    const shown = (await gqlOk<{ order: OrderView | null }>(reconciling.url, GET_ORDER, { id: adopted.id }, backOffice)).order;
    expect(shown).toMatchObject({ id: adopted.id, providerOrderId: made[0]!.id, total: { amount: '21.00' } });
    // Nothing was created again.
    expect((await intergiroRest<{ number?: string }[]>(env.intergiro, 'GET', '/v1/order')).filter((order) => order.number === reference)).toHaveLength(1);
    await reconciling.close();
    await failing.close();
  });

  it('Dintero cannot be asked by reference: the retry answers PROVIDER_UNAVAILABLE and sends no second creation', async () => {
    const dintero = env.sandboxes.dintero;
    const input = { ...dinteroOrderInput(), idempotencyKey: randomUUID() };
    const drafts = () => dintero.faults.count(/\/shopping\/draft_orders$/);
    const sessions = () => dintero.faults.count(/^POST \/v1\/sessions-profile$/);
    const before = { drafts: drafts(), sessions: sessions() };

    dintero.faults.inject({ kind: 'lost', only: /^POST \/v1\/sessions-profile$/ });
    expect(codes(await create(gateway.url, input))).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create(gateway.url, input);
    expect(codes(retried)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(retried.errors?.[0]?.message).toMatch(/outcome is unknown/);
    expect({ drafts: drafts(), sessions: sessions() }).toEqual({ drafts: before.drafts + 1, sessions: before.sessions + 1 });
  });
});
