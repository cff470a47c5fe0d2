/**
 * Intergiro answers that its seed (intergiro-orders.txt) allows and the sandbox does not make by
 * itself, sent through the sandbox's aimed `status` fault (a real HTTP answer of the test's
 * choosing): the gateway must read them, not fail on what the seed leaves open.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { IntergiroSandbox } from '../../src/sandboxes/intergiro/index.js';
import { eventually, INTERGIRO_API_KEY, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { today } from '../support/test-time.js';

const FIELDS = 'id providerOrderId reference status providerStatus total { amount currency } payments { method status amount { amount } }';
const CREATE = `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { ${FIELDS} } }`;
const LIST = `query List($filter: OrderFilter!) { orders(filter: $filter, first: 100) { nodes { ${FIELDS} } } }`;

type OrderData = {
  id: string;
  providerOrderId: string;
  reference: string | null;
  status: string;
  providerStatus: string | null;
  total: { amount: string; currency: string };
  payments: { method: string; status: string; amount: { amount: string } }[];
};

const sandboxId = () => `T${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}abcde`.slice(0, 16);

describe('Intergiro answers the seed allows', () => {
  let env: TestEnvironment;
  let intergiro: IntergiroSandbox;
  let gateway: Gateway;
  let shop: string;
  /** The merchant's systems: a CUSTOMER payment (no buyer present) needs orders:manage. */
  let merchant: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { intergiro: { seedMinimal: true } });
    intergiro = env.intergiro;
    gateway = await env.startGateway();
    shop = await tokenFor('orders:create', 'intergiro-tolerance-shop');
    merchant = await tokenFor('orders:create orders:manage', 'intergiro-tolerance-merchant');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  it('a created order whose payment is a "<Card payment>" without `type`, its amount a string, is read (not PROVIDER_UNAVAILABLE)', async () => {
    // Seed: the merchant-initiated answer is {id, created, customer, items, currency, "payment": "<Card payment>"}:
    // the card payment's fields are not shown, and the defer answer quotes "amount": "<Amount of payment>".
    const id = sandboxId();
    const answer = {
      id,
      created: new Date().toISOString(),
      customer: 'TjbHYXXn6yEdhLgS',
      items: 20,
      currency: 'EUR',
      payment: { created: new Date().toISOString(), amount: '20.00', currency: 'EUR', status: 'created' },
    };
    intergiro.faults.inject({ kind: 'status', status: 201, body: JSON.stringify(answer), only: /^POST \/v1\/order$/ });
    const response = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } } },
      merchant,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createOrder).toMatchObject({
      providerOrderId: id,
      // No status in the seed's answer: the order is as created.
      status: 'CREATED',
      total: { amount: '20.00', currency: 'EUR' },
      payments: [{ method: 'card', amount: { amount: '20.00' } }],
    });
  });

  it('a callback whose status is spelled "canceled" (the seed\'s own spelling: "charged, refunded or canceled") cancels the order', async () => {
    const created = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '9.00', intergiro: { paymentType: 'LINK' } } },
      shop,
    );
    const order = created.data!.createOrder;
    const signed = await intergiro.signOrder({ ...intergiro.getOrder(order.providerOrderId)!, status: 'canceled' as never });
    const callback = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: signed });
    expect(callback.status).toBe(200);
    const read = await gql<{ order: OrderData }>(gateway.url, `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id: order.id }, backOffice);
    // The word as CONTRACT §8 spells it, as for any letter case.
    expect(read.data?.order).toMatchObject({ status: 'CANCELLED', providerStatus: 'cancelled' });
  });

  it('a listed order whose `number` is a JSON number (seed: "number": <your order identifier>) is listed, not skipped', async () => {
    const id = sandboxId();
    const listed = {
      id,
      number: 4711,
      created: new Date().toISOString(),
      items: 12.5,
      currency: 'EUR',
      payment: { type: 'card' },
      status: 'ordered',
    };
    // Every listing answers it until the test's own has run: the gateway's background work (a lost
    // creation's search) may list too, and a one-off answer taken by it left this test's listing
    // without the order (failed once in six runs).
    intergiro.faults.inject({ kind: 'status', status: 200, body: JSON.stringify([listed]), only: /^GET \/v1\/order$/, times: Infinity });
    const response = await gql<{ orders: { nodes: OrderData[] } }>(gateway.url, LIST, { filter: { provider: 'INTERGIRO', from: today(), to: today() } }, backOffice).finally(() => intergiro.faults.clear());
    expect(response.errors).toBeUndefined();
    const node = response.data!.orders.nodes.find((order) => order.providerOrderId === id);
    expect(node).toMatchObject({ reference: '4711', status: 'AUTHORIZED', total: { amount: '12.50' } });
  });

  it('a refusal whose Error carries only the seed\'s id and its words (no `status`, no `type`) is PROVIDER_REJECTED, not PROVIDER_UNAVAILABLE', async () => {
    // Seed: "otherwise an Error will be returned together with the id of the order" (its shape is not shown).
    intergiro.faults.inject({ kind: 'status', status: 402, body: JSON.stringify({ id: sandboxId(), error: 'card declined' }), only: /^POST \/v1\/order$/ });
    const response = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } } },
      merchant,
    );
    expect(response.data?.createOrder ?? null).toBeNull();
    expect(response.errors?.[0]).toMatchObject({
      message: 'Intergiro rejected the request: card declined',
      extensions: { code: 'PROVIDER_REJECTED', providerCode: '402' },
    });
  });

  it('orders(filter: {from: D, to: D}) lists the orders of day D where Intergiro reads `end` as excluded (the seed\'s range start=2000-01-01&end=2000-02-01)', async () => {
    // A seed-only Intergiro whose listing is start <= created < end: the seed's example range, a month, reads that way too.
    const created = new Date().toISOString();
    const listed = { id: sandboxId(), number: 'made-at-intergiro', created, items: 9.5, currency: 'EUR', payment: { type: 'card' }, status: 'ordered' };
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://intergiro');
      if (req.method !== 'GET' || url.pathname !== '/v1/order') return void res.writeHead(404).end();
      const start = url.searchParams.get('start') ?? '0000-00-00';
      const end = url.searchParams.get('end') ?? '9999-99-99';
      const day = created.slice(0, 10);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(day >= start && day < end ? [listed] : []));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const exclusive = await env.startGateway({ intergiro: { url: `http://127.0.0.1:${port}`, apiKey: 'seed-only-key' } }, { pollerDisabled: true });
    try {
      const day = created.slice(0, 10);
      const response = await gql<{ orders: { nodes: OrderData[] } }>(exclusive.url, LIST, { filter: { provider: 'INTERGIRO', from: day, to: day } }, backOffice);
      expect(response.errors).toBeUndefined();
      expect(response.data!.orders.nodes.find((order) => order.providerOrderId === listed.id)).toMatchObject({ reference: 'made-at-intergiro', status: 'AUTHORIZED' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it.each([
    ['only its order\'s id (the seed\'s example token: {"id", "merchant", ...})', (order: Record<string, unknown>) => ({ id: order.id, merchant: 'testmerchant' })],
  ])('a signed callback that carries %s is completed through the verify endpoint: a charge made at Intergiro reaches the order', async (_what, payloadOf) => {
    const created = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '11.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } } },
      merchant,
    );
    const order = created.data!.createOrder;
    expect(order.status).toBe('AUTHORIZED');
    intergiro.pauseCallbacks(true);
    try {
      // Charged at Intergiro by another system; its callback names the order and the merchant only.
      const charged = await fetch(`${intergiro.url}/v1/order`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify([{ id: order.providerOrderId, event: [{ type: 'charge' }] }]),
      });
      expect(charged.status).toBe(200);
      const signed = await intergiro.signOrder(payloadOf(intergiro.getOrder(order.providerOrderId)! as unknown as Record<string, unknown>) as never);
      const callback = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: signed });
      expect(callback.status).toBe(200);
    } finally {
      intergiro.pauseCallbacks(false);
    }
    const read = await gql<{ order: OrderData }>(gateway.url, `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id: order.id }, backOffice);
    expect(read.data?.order).toMatchObject({ status: 'CAPTURED', providerStatus: 'charged' });
  });

  it('a token that names an order but is signed with another key is still 401, and the verify endpoint is not asked', async () => {
    const created = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '12.00', intergiro: { paymentType: 'LINK' } } },
      shop,
    );
    const order = created.data!.createOrder;
    const verifies = () => intergiro.faults.count(/^POST \/v1\/worker-order\/order\/verify$/);
    const before = verifies();
    const forged = await intergiro.signOrder({ id: order.providerOrderId, merchant: 'testmerchant' } as never, { key: 'wrong' });
    const callback = await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: forged });
    expect(callback.status).toBe(401);
    expect(verifies()).toBe(before);
  });

  it.each([
    ['a 403 as an API gateway answers an unknown route', 403, '{"message":"Missing Authentication Token"}'],
    ['a 400 for a path it cannot read', 400, '{"status":400,"type":"malformed content","error":"id"}'],
    ['a 200 that is not an order (the listing)', 200, '[]'],
  ])('an Intergiro without GET /v1/order/{id} (not in the seed) answering %s: the order is re-read from the seed\'s listing', async (_what, status, body) => {
    const created = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '13.00', intergiro: { paymentType: 'LINK' } } },
      shop,
    );
    const order = created.data!.createOrder;
    expect(order.status).toBe('CREATED');
    intergiro.faults.inject({ kind: 'status', status, body, only: /^GET \/v1\/order\/[^/]+$/, times: Infinity });
    intergiro.pauseCallbacks(true);
    try {
      intergiro.payLink(order.providerOrderId, 'pay');
      const paid = await eventually(async () => {
        const read = await gql<{ order: OrderData }>(gateway.url, `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id: order.id }, backOffice);
        return read.data?.order.status === 'AUTHORIZED' && read.data.order;
      });
      expect(paid).toMatchObject({ providerStatus: 'ordered' });
    } finally {
      intergiro.faults.clear();
      intergiro.pauseCallbacks(false);
    }
  });

  it('once GET /v1/order/{id} has shown it is missing (the listing found the order), later re-reads ask the listing alone: one call each, not two', async () => {
    const linkOrder = async (amount: string): Promise<OrderData> => {
      const created = await gql<{ createOrder: OrderData }>(gateway.url, CREATE, { input: { provider: 'INTERGIRO', currency: 'EUR', amount, intergiro: { paymentType: 'LINK' } } }, shop);
      return created.data!.createOrder;
    };
    const paidByListing = (order: OrderData) =>
      eventually(async () => {
        const read = await gql<{ order: OrderData }>(gateway.url, `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id: order.id }, backOffice);
        return read.data?.order.status === 'AUTHORIZED';
      });
    const first = await linkOrder('15.00');
    const second = await linkOrder('16.00');
    const byId = /^GET \/v1\/order\/[^/]+$/;
    intergiro.faults.inject({ kind: 'status', status: 404, body: '{"status":404,"type":"not found"}', only: byId, times: Infinity });
    intergiro.pauseCallbacks(true);
    try {
      intergiro.payLink(first.providerOrderId, 'pay');
      await paidByListing(first);
      const asked = intergiro.faults.count(byId);
      intergiro.payLink(second.providerOrderId, 'pay');
      await paidByListing(second);
      expect(intergiro.faults.count(byId)).toBe(asked);
    } finally {
      intergiro.faults.clear();
      intergiro.pauseCallbacks(false);
    }
  });

  it('a genuine callback retried past its token\'s `exp` (no seed shows one) is refused (401) but not lost: the order it names is read from Intergiro now; a forged expired one changes nothing', async () => {
    const created = await gql<{ createOrder: OrderData }>(
      gateway.url,
      CREATE,
      { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '14.00', intergiro: { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' } } },
      merchant,
    );
    const order = created.data!.createOrder;
    expect(order.status).toBe('AUTHORIZED');
    const post = (body: string) => fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body });
    intergiro.pauseCallbacks(true);
    try {
      // Cancelled at Intergiro by another system; its callback arrives after the token expired.
      const cancelled = await fetch(`${intergiro.url}/v1/order`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify([{ id: order.providerOrderId, event: [{ type: 'cancel' }] }]),
      });
      expect(cancelled.status).toBe(200);
      const stale = intergiro.getOrder(order.providerOrderId)!;
      expect((await post(await intergiro.signOrder(stale, { expiresInSec: -60, key: 'wrong' }))).status).toBe(401);
      // The forged one took the order's re-read lease: the genuine one is told to come back (429), as Intergiro retries.
      const genuine = await intergiro.signOrder(stale, { expiresInSec: -60 });
      let answer = await post(genuine);
      for (let attempt = 0; answer.status === 429 && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await post(genuine);
      }
      expect(answer.status).toBe(401);
    } finally {
      intergiro.pauseCallbacks(false);
    }
    const read = await gql<{ order: OrderData }>(gateway.url, `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`, { id: order.id }, backOffice);
    expect(read.data?.order).toMatchObject({ status: 'CANCELLED', providerStatus: 'cancelled' });
  });
});
