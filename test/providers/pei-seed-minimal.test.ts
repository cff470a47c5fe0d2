/**
 * Pei as an implementation written from its seed alone would answer (the sandbox's seed-minimal
 * mode: the seed's Order fields only, lower-case words, "expired" for an order past its
 * ExpirationDate, Orders/Pay answering {orderId} alone, postbacks keyed "OrderId"), and status
 * words the gateway does not know: one odd order never fails a read or a listing, Pei's own
 * "expired" ends an order at once, an unknown word is shown, logged and counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import type { PeiSandbox } from '../../src/sandboxes/pei/index.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { buyerOnPei, peiRest } from '../support/pei.js';
import { today } from '../support/test-time.js';

const FIELDS = 'id providerOrderId status providerStatus createdAt creation { status infos { code message } } payments { status providerReference }';
const CREATE = `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { ${FIELDS} } }`;
const GET = `query Get($id: ID!) { order(id: $id) { ${FIELDS} } }`;
const LIST = `query List($filter: OrderFilter!) { orders(filter: $filter, first: 100) { nodes { ${FIELDS} } } }`;

type OrderData = {
  id: string;
  providerOrderId: string;
  status: string;
  providerStatus: string | null;
  createdAt: string;
  creation: { status: string; infos: { code: string; message: string }[] };
  payments: { status: string; providerReference: string | null }[];
};


function oneOff(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'PEI',
    currency: 'ISK',
    reference: `pei-min-${Math.random().toString(36).slice(2, 10)}`,
    items: [{ name: 'TV subscription', amount: '5000' }],
    buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849' },
    returnUrls: { success: 'https://shop.example/pei/done', cancel: 'https://shop.example/pei/cancelled' },
    ...overrides,
  };
}

describe('Pei answering only what its seed shows, with words the gateway does not know', () => {
  let env: TestEnvironment;
  let pei: PeiSandbox;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;
  const lines: string[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { pei: { seedMinimal: true } });
    pei = env.sandboxes.pei;
    gateway = await env.startGateway({}, { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) });
    shop = await tokenFor('orders:create', 'pei-minimal-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  async function create(input: Record<string, unknown>): Promise<OrderData> {
    const response = await gql<{ createOrder: OrderData }>(gateway.url, CREATE, { input }, shop);
    expect(response.errors).toBeUndefined();
    return response.data!.createOrder;
  }
  const read = async (id: string) => (await gql<{ order: OrderData }>(gateway.url, GET, { id }, backOffice)).data?.order;
  const oddities = async (kind: string): Promise<number> => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('gateway_provider_oddities_total{') && entry.includes('provider="PEI"') && entry.includes(`kind="${kind}"`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('the buyer confirms -> CAPTURED, with a postback keyed as the seed writes it and a read without purchaseId', async () => {
    const order = await create(oneOff());
    expect(order).toMatchObject({ status: 'CREATED', providerStatus: 'Pending' });
    expect((await buyerOnPei(`${pei.config.checkoutUrl}/${order.providerOrderId}`, 'confirm')).status).toBe(303);
    const paid = await eventually(async () => {
      const now = await read(order.id);
      return now?.status === 'CAPTURED' ? now : undefined;
    });
    expect(paid.providerStatus).toBe('Confirmed');
  });

  it("a listing with Pei's own Expired order and an order in an unknown status answers all of them", async () => {
    const expired = await create(oneOff());
    const odd = await create(oneOff());
    const plain = await create(oneOff());
    const before = await oddities('unknown_status');
    pei.setStatusWord(expired.providerOrderId, 'Expired');
    pei.setStatusWord(odd.providerOrderId, 'AwaitingBank');

    const response = await gql<{ orders: { nodes: OrderData[] } }>(gateway.url, LIST, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice);
    expect(response.errors).toBeUndefined();
    const byId = new Map(response.data!.orders.nodes.map((node) => [node.id, node]));
    // Expired at once: Pei said so, no grace period.
    expect(byId.get(expired.id)).toMatchObject({ status: 'EXPIRED', providerStatus: 'Expired' });
    expect(byId.get(odd.id)).toMatchObject({ status: 'CREATED', providerStatus: 'AwaitingBank' });
    expect(byId.get(odd.id)?.creation.infos).toContainEqual(expect.objectContaining({ code: 'provider.unknown_status', message: expect.stringContaining('"AwaitingBank"') }));
    expect(byId.get(plain.id)).toMatchObject({ status: 'CREATED', providerStatus: 'Pending' });
    // The listing's orders carry no `created` in this mode: each is dated by the day it was listed under.
    expect(byId.get(plain.id)?.createdAt).toBeDefined();

    // The read of the odd order answers too, and the word was logged and counted.
    expect(await read(odd.id)).toMatchObject({ status: 'CREATED', providerStatus: 'AwaitingBank' });
    expect(await oddities('unknown_status')).toBeGreaterThan(before);
    expect(lines.some((line) => line.includes('unknown provider status word') && line.includes('AwaitingBank'))).toBe(true);

    // A known word later moves it on as usual.
    pei.setStatusWord(odd.providerOrderId, null);
    expect((await buyerOnPei(`${pei.config.checkoutUrl}/${odd.providerOrderId}`, 'confirm')).status).toBe(303);
    await eventually(async () => (await read(odd.id))?.status === 'CAPTURED');
  });

  it('a listing entry that is not a readable order is skipped (logged, counted); the rest of the page answers', async () => {
    const order = await create(oneOff());
    const path = `/api/orders?merchantId=${pei.config.merchantId}&date=${today()}`;
    const real = (await peiRest(pei, 'GET', path)).body as unknown[];
    expect(real.length).toBeGreaterThan(0);
    const before = await oddities('unreadable_entry');
    // Pei's next listing answer: its own entries plus one that is no order at all.
    pei.faults.inject({ kind: 'status', status: 200, body: JSON.stringify([...real, { orderId: 42, amount: 'lots' }]), only: /^GET \/api\/orders$/ });
    const response = await gql<{ orders: { nodes: OrderData[] } }>(gateway.url, LIST, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice);
    expect(response.errors).toBeUndefined();
    expect(response.data!.orders.nodes.map((node) => node.id)).toContain(order.id);
    expect(await oddities('unreadable_entry')).toBe(before + 1);
    expect(lines.some((line) => line.includes('provider listing entry skipped') && line.includes('"PEI"'))).toBe(true);
  });

  it("an order left unconfirmed past its expiresAt is EXPIRED by Pei's word within a reconciliation interval, without the grace", async () => {
    const expiresAt = Date.now() + 1500;
    const order = await create(oneOff({ expiresAt: new Date(expiresAt).toISOString() }));
    // The poller (every 200 ms here) re-reads it; Pei says "expired" once the date has passed.
    const expired = await eventually(async () => {
      const now = await read(order.id);
      return now?.status === 'EXPIRED' ? now : undefined;
    }, 5000);
    expect(expired.providerStatus).toBe('Expired');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
  });
});
