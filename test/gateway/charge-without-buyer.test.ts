/**
 * A creation that charges the buyer without them taking part (domain/orders/charge-without-buyer.ts):
 * an Intergiro CUSTOMER payment, an Intergiro saved card the merchant initiates, a Pei purchase for
 * a buyer by their kennitala, a Pei RECURRING charge on a mandate. A browser's token
 * (`orders:create` alone) must not make one with someone else's card, kennitala or mandate, or
 * anyone holding such a token could charge anyone the merchant can charge: it is FORBIDDEN before
 * anything is stored or sent. The merchant's systems (`orders:create orders:manage`) may. A mandate
 * is the exception: the token whose own order the buyer confirmed it on may charge it again.
 * The gateway runs against the sandboxes over real HTTP, on the memory store and on Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { intergiroSandboxThreeDSResult } from '../../src/sandboxes/intergiro/index.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, STORE_KINDS, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { buyerOnPei } from '../support/pei.js';

/** A customer the Intergiro sandbox holds a saved card for. */
const SAVED_CARD_CUSTOMER = 'TjbHYXXn6yEdhLgS';
/** The seed's example kennitala: the Pei sandbox gives the merchant purchase access for it. */
const SSN_WITH_ACCESS = '0102882849';

const reference = (what: string) => `cwb-${what}-${randomUUID().slice(0, 8)}`;

const intergiroCustomer = (ref: string) => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount: '20.00',
  reference: ref,
  intergiro: { paymentType: 'CUSTOMER', customerId: SAVED_CARD_CUSTOMER },
});

/** A saved card charged again; `initiator` "merchant" skips 3-D Secure, "cardholder" goes through it ("3ds" in the token). */
const intergiroSavedCard = (ref: string, initiator: 'merchant' | 'cardholder') => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount: '20.00',
  reference: ref,
  intergiro: {
    paymentType: 'CARD',
    cardToken: `tok_${initiator === 'cardholder' ? '3ds' : 'visa'}_${randomUUID().replaceAll('-', '')}`,
    customerId: SAVED_CARD_CUSTOMER,
    subsequent: { reference: 'MCA1400001202', initiator },
    ...(initiator === 'cardholder' ? { browser: INTERGIRO_TEST_BROWSER } : {}),
  },
});

const peiOrder = (ref: string, pei: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  provider: 'PEI',
  currency: 'ISK',
  reference: ref,
  items: [{ name: 'TV subscription', amount: '5000' }],
  pei,
  ...extra,
});

const peiPurchaseForBuyer = (ref: string) =>
  peiOrder(ref, { purchaseForBuyer: true }, { buyer: { name: 'John Johnson', nationalId: SSN_WITH_ACCESS, email: 'john@example.com' } });

const peiFirst = (ref: string) =>
  peiOrder(ref, { sequenceType: 'FIRST' }, { returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel' } });

const peiRecurring = (ref: string, mandateId: string) => peiOrder(ref, { sequenceType: 'RECURRING', mandateId });

describe.each(STORE_KINDS)('a creation that charges the buyer without them (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  /** A shop's browser: orders:create only. */
  let browser: string;
  /** Another browser (another sub), also orders:create only. */
  let otherBrowser: string;
  /** The merchant's systems. */
  let merchant: string;
  let backOffice: string;
  /** A mandate the buyer confirmed on `otherBrowser`'s own FIRST order. */
  let othersMandate: string;

  const create = (input: Record<string, unknown>, token: string) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, token);
  const read = async (id: string, token = backOffice): Promise<OrderView | null> => (await gqlOk<{ order: OrderView | null }>(gateway.url, GET_ORDER, { id }, token)).order;
  const storedWith = async (ref: string): Promise<OrderView[]> =>
    (await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { reference: ref }, first: 10 }, backOffice)).orders.nodes;
  /** Creation requests each sandbox received so far (Intergiro's POST /v1/order, Pei's submit and Orders/Pay). */
  const creationsAt = {
    INTERGIRO: () => env.intergiro.faults.count(/^POST \/v1\/order$/),
    PEI: () => env.sandboxes.pei.faults.count(/^POST \/api\/orders(\/pay)?$/),
  };

  /** `token` creates a FIRST order, the buyer confirms it on Pei's page; the mandate, once the gateway shows it on that order. */
  async function mandateConfirmedOn(token: string): Promise<{ first: OrderView; mandateId: string }> {
    const created = await create(peiFirst(reference('first')), token);
    expect(created.errors).toBeUndefined();
    const first = created.data!.createOrder;
    expect((await buyerOnPei(first.creation.stopAction!.redirectUrl!, 'confirm')).status).toBeLessThan(400);
    // The browser learns the mandate from the gateway (its own order), as it must: it cannot ask Pei.
    const mandateId = await eventually(async () => (await read(first.id, token))?.payments[0]?.mandateId);
    expect(mandateId).toBe(env.sandboxes.pei.getOrder(first.providerOrderId!)!.mandateId);
    return { first, mandateId };
  }

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    browser = await tokenFor('orders:create', `cwb-browser-${kind}`);
    otherBrowser = await tokenFor('orders:create', `cwb-other-browser-${kind}`);
    merchant = await tokenFor('orders:create orders:manage', `cwb-merchant-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', `cwb-back-office-${kind}`);
    othersMandate = (await mandateConfirmedOn(otherBrowser)).mandateId;
  });
  afterAll(() => env?.close());

  /** [what, provider, the input for a reference, the field named, the status the merchant's creation answers]. */
  const CHARGES: [string, 'INTERGIRO' | 'PEI', (ref: string) => Record<string, unknown>, string, string[]][] = [
    ["an Intergiro CUSTOMER payment (the customer's saved card)", 'INTERGIRO', intergiroCustomer, 'input.intergiro.paymentType', ['AUTHORIZED']],
    ['an Intergiro saved card with subsequent.initiator "merchant"', 'INTERGIRO', (ref) => intergiroSavedCard(ref, 'merchant'), 'input.intergiro.subsequent.initiator', ['AUTHORIZED']],
    ['a Pei purchase for a buyer (purchaseForBuyer)', 'PEI', peiPurchaseForBuyer, 'input.pei.purchaseForBuyer', ['CAPTURED']],
    ["a Pei RECURRING charge on another browser's mandate", 'PEI', (ref) => peiRecurring(ref, othersMandate), 'input.pei.mandateId', ['PENDING', 'CAPTURED']],
    ['a Pei RECURRING charge on a mandate no order of the gateway was issued', 'PEI', (ref) => peiRecurring(ref, `mandate-${randomUUID()}`), 'input.pei.mandateId', ['PENDING', 'CAPTURED']],
  ];

  it.each(CHARGES)('%s with a browser token (orders:create only) is FORBIDDEN, naming the field and orders:manage; nothing is stored or sent', async (_what, provider, input, field) => {
    const ref = reference('browser');
    const sentBefore = creationsAt[provider]();
    const answer = await create(input(ref), browser);
    expect(answer.data?.createOrder ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    const [error] = answer.errors!;
    expect(error!.extensions?.['code']).toBe('FORBIDDEN');
    expect(error!.message).toContain(field);
    expect(error!.message).toContain('orders:manage');
    expect(await storedWith(ref)).toEqual([]);
    expect(creationsAt[provider]()).toBe(sentBefore);
  });

  it.each(CHARGES.filter(([what]) => !what.includes('no order of the gateway')))(
    '%s with a merchant token (orders:create orders:manage) is created',
    async (_what, provider, input, _field, statuses) => {
      const ref = reference('merchant');
      const sentBefore = creationsAt[provider]();
      const answer = await create(input(ref), merchant);
      expect(answer.errors).toBeUndefined();
      const order = answer.data!.createOrder;
      expect(order).toMatchObject({ provider, reference: ref });
      expect(statuses).toContain(order.status);
      expect((await storedWith(ref)).map((stored) => stored.id)).toEqual([order.id]);
      expect(creationsAt[provider]()).toBe(sentBefore + 1);
    },
  );

  it("a browser's own FIRST order, confirmed by the buyer on Pei's page: that browser may charge its mandate (RECURRING), another browser may not, the merchant may", async () => {
    const { mandateId } = await mandateConfirmedOn(browser);

    const own = await create(peiRecurring(reference('own'), mandateId), browser);
    expect(own.errors).toBeUndefined();
    expect(own.data!.createOrder).toMatchObject({ status: 'PENDING', payments: [{ mandateId }] });
    // Charged without the buyer, and the browser that made it watches it as its own.
    await eventually(async () => (await read(own.data!.createOrder.id, browser))?.status === 'CAPTURED');

    const sentBefore = creationsAt.PEI();
    const othersRef = reference('other');
    const other = await create(peiRecurring(othersRef, mandateId), otherBrowser);
    expect(other.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(other.errors![0]!.message).toContain('input.pei.mandateId');
    expect(await storedWith(othersRef)).toEqual([]);
    expect(creationsAt.PEI()).toBe(sentBefore);

    const byMerchant = await create(peiRecurring(reference('merchant'), mandateId), merchant);
    expect(byMerchant.errors).toBeUndefined();
    expect(byMerchant.data!.createOrder).toMatchObject({ status: 'PENDING', payments: [{ mandateId }] });

    // The merchant's RECURRING order on the mandate did not take it over: the browser still may.
    const again = await create(peiRecurring(reference('own-again'), mandateId), browser);
    expect(again.errors).toBeUndefined();
  });

  it('an Intergiro saved card with subsequent.initiator "cardholder" (3-D Secure) still works with a browser token', async () => {
    const ref = reference('cardholder');
    const created = await create(intergiroSavedCard(ref, 'cardholder'), browser);
    expect(created.errors).toBeUndefined();
    const order = created.data!.createOrder;
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    const step = order.creation.stopAction!.threeDS!.details.data as { type: 'method' | 'challenge'; threeDSServerTransID: string };
    const threeDS = { type: step.type, data: intergiroSandboxThreeDSResult(step, 'Y') };
    const continued = await gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS } }, browser);
    expect(continued.errors).toBeUndefined();
    expect(continued.data!.continueOrderCreation).toMatchObject({ id: order.id, status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(env.intergiro.getOrder(order.providerOrderId!)).toMatchObject({ customer: SAVED_CARD_CUSTOMER, status: 'ordered' });
  });
});
