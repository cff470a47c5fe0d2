/**
 * Pei reads the seed (pei-orders.txt) allows and the sandbox does not make by itself: the seed
 * leaves the output of `GET /api/orders/{id}` empty, so an independent implementation may answer
 * the order as its schema describes it. Each answer is sent through the sandbox's aimed `status`
 * fault (a real HTTP answer of the test's choosing) while a postback asks the gateway to re-read.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { PeiSandbox } from '../../src/sandboxes/pei/index.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { peiRest, postPeiPostback } from '../support/pei.js';

const FIELDS = 'id providerOrderId status providerStatus payments { status providerReference }';
const CREATE = `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { ${FIELDS} } }`;
const GET = `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`;
const LIST = `query List($filter: OrderFilter!) { orders(filter: $filter, first: 100) { nodes { ${FIELDS} } } }`;

type OrderData = { id: string; providerOrderId: string; status: string; providerStatus: string | null; payments: { status: string; providerReference: string | null }[] };

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    reference: `pei-tol-${Math.random().toString(36).slice(2, 10)}`,
    items: [{ name: 'TV subscription', amount: '5000' }],
    buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849' },
    ...overrides,
  };
}

describe('Pei order reads the seed allows', () => {
  let env: TestEnvironment;
  let pei: PeiSandbox;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { pei: { seedMinimal: true } });
    pei = env.sandboxes.pei;
    gateway = await env.startGateway();
    shop = await tokenFor('orders:create', 'pei-tolerance-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterEach(() => pei.faults.clear());
  afterAll(() => env.close());

  async function create(input: Record<string, unknown>): Promise<OrderData> {
    const response = await gql<{ createOrder: OrderData }>(gateway.url, CREATE, { input }, shop);
    expect(response.errors).toBeUndefined();
    return response.data!.createOrder;
  }
  const read = async (id: string) => (await gql<{ order: OrderData }>(gateway.url, GET, { id }, backOffice)).data?.order;
  /** The order once a read shows it in `status`. */
  const untilStatus = (id: string, status: string): Promise<OrderData> =>
    eventually(async () => {
      const now = await read(id);
      return now?.status === status ? now : undefined;
    });
  /** From now on Pei answers `body` to every read of this order. */
  const peiReadsAs = (providerOrderId: string, body: unknown) =>
    pei.faults.inject({ kind: 'status', status: 200, body: JSON.stringify(body), only: new RegExp(`^GET /api/orders/${providerOrderId}$`), times: Infinity });

  /** Posts the postback Pei would send and expects it believed: 200, and the order CAPTURED. */
  async function postbackBelieved(created: OrderData, postback: { purchaseId: number; mandateId: string | null }): Promise<OrderData> {
    const answer = await postPeiPostback(gateway.url, { orderId: created.providerOrderId, ...postback });
    expect(answer.status).toBe(200);
    return untilStatus(created.id, 'CAPTURED');
  }

  it('a read without `orderId` (the seed\'s Order schema has no such field; the id is in the path) backs a postback up', async () => {
    const created = await create(order());
    peiReadsAs(created.providerOrderId, {
      merchantId: Number(pei.config.merchantId),
      amount: 5000,
      reference: 'x',
      sequenceType: 'OneOff',
      mandateId: null,
      items: [{ name: 'TV subscription', amount: 5000 }],
      status: 'Confirmed',
    });
    await postbackBelieved(created, { purchaseId: 966500, mandateId: null });
  });

  it('a First order read with `mandateId: null` (seed: "only applies if SequenceType is Recurring otherwise ... null") backs up a postback that names its new mandate', async () => {
    const created = await create(order({ pei: { sequenceType: 'FIRST' } }));
    peiReadsAs(created.providerOrderId, {
      orderId: created.providerOrderId,
      merchantId: Number(pei.config.merchantId),
      amount: 5000,
      sequenceType: 'First',
      mandateId: null,
      items: [{ name: 'TV subscription', amount: 5000 }],
      status: 'Confirmed',
    });
    // Seed: the postback "includes OrderId, PurchaseId and MandateId when it is applicable".
    await postbackBelieved(created, { purchaseId: 966501, mandateId: '7gcuh8pMcFju1gNbjGEZ7sf0JazKNhIz' });
  });

  it('a postback whose mandate disagrees with the one Pei shows is still refused (401)', async () => {
    const created = await create(order({ pei: { sequenceType: 'FIRST' } }));
    peiReadsAs(created.providerOrderId, {
      orderId: created.providerOrderId,
      amount: 5000,
      sequenceType: 'First',
      mandateId: 'RealMandateShownByPei00000000000',
      status: 'Confirmed',
    });
    const answer = await postPeiPostback(gateway.url, { orderId: created.providerOrderId, purchaseId: 966502, mandateId: 'ForgedMandate0000000000000000000' });
    expect(answer.status).toBe(401);
  });

  it('a read whose keys are written as the seed\'s schema names them (MerchantId, Amount, Status, Items[n].Name) is read', async () => {
    const created = await create(order());
    // The seed fixes camelCase only for the submit input and its {orderId} answer; its schema
    // writes PascalCase, and a .NET service answers that way without a camel-case contract resolver.
    peiReadsAs(created.providerOrderId, {
      OrderId: created.providerOrderId,
      MerchantId: Number(pei.config.merchantId),
      Amount: 5000,
      Reference: 'x',
      SequenceType: 'OneOff',
      MandateId: null,
      PurchaseId: 966503,
      Items: [{ Name: 'TV subscription', Amount: 5000 }],
      Status: 'Confirmed',
    });
    const paid = await postbackBelieved(created, { purchaseId: 966503, mandateId: null });
    expect(paid).toMatchObject({ payments: [{ status: 'CAPTURED', providerReference: '966503' }] });
  });

  it('a read whose Numeric fields come as numeric strings (amount, purchaseId, an item\'s quantity and price) is read', async () => {
    const created = await create(order());
    peiReadsAs(created.providerOrderId, {
      orderId: created.providerOrderId,
      amount: '5000',
      sequenceType: 'OneOff',
      purchaseId: '966504',
      items: [{ name: 'TV subscription', quantity: '2', unitPrice: '2500', amount: '5000' }],
      status: 'Confirmed',
    });
    const paid = await postbackBelieved(created, { purchaseId: 966504, mandateId: null });
    expect(paid).toMatchObject({ payments: [{ status: 'CAPTURED', providerReference: '966504' }] });
  });

  it('a read whose `created` (no seed field) is in a date format the gateway does not know is read as if it had none', async () => {
    const created = await create(order());
    peiReadsAs(created.providerOrderId, {
      orderId: created.providerOrderId,
      amount: 5000,
      sequenceType: 'OneOff',
      created: '/Date(1530000000000)/',
      status: 'Confirmed',
    });
    await postbackBelieved(created, { purchaseId: 966505, mandateId: null });
  });

  it('a read whose status is spelled "Canceled" (the other English spelling, .NET\'s own) is the order cancelled, not an unknown word', async () => {
    const created = await create(order());
    peiReadsAs(created.providerOrderId, { orderId: created.providerOrderId, amount: 5000, sequenceType: 'OneOff', status: 'Canceled' });
    // Pei is read when the order is asked for (refreshOnRead): the read decides.
    const now = await untilStatus(created.id, 'CANCELLED');
    expect(now.providerStatus).toBe('Cancelled');
  });

  it('a listing answered as an object holding the list (the seed shows no output for it) is read', async () => {
    const created = await create(order());
    const day = new Date().toISOString().slice(0, 10);
    const real = (await peiRest(pei, 'GET', `/api/orders?merchantId=${pei.config.merchantId}&date=${day}`)).body as unknown[];
    expect(real.length).toBeGreaterThan(0);
    pei.faults.inject({ kind: 'status', status: 200, body: JSON.stringify({ orders: real, totalCount: real.length }), only: /^GET \/api\/orders$/ });
    const response = await gql<{ orders: { nodes: OrderData[] } }>(gateway.url, LIST, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
    expect(response.errors).toBeUndefined();
    expect(response.data!.orders.nodes.map((node) => node.id)).toContain(created.id);
    expect(pei.faults.armed()).toEqual([]);
  });
});
