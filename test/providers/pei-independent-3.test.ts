/**
 * Round three of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one and two varied the answers' shapes,
 * lost answers and .NET's defaults; this one takes readings of the seed neither tried:
 *   - "Get all orders on a specific date": the seed does not say which date. A Pei that files an
 *     order under its ExpirationDate's day (by default a day after it was made) is faithful too,
 *     and the gateway's search for a lost Orders/Pay or Recurring answer must still find it, or
 *     the retry charges the buyer again.
 *   - a day with more orders at Pei than the gateway adopts in one `orders(filter)` query
 *     (ADOPT_PER_QUERY): each query must adopt ones it has not yet, not the same first ones again.
 *   - a Pei listing confirmed orders only: a Recurring submit it has not charged yet is in no
 *     listing, so after a lost answer the retry waits (PROVIDER_UNAVAILABLE) instead of charging
 *     the mandate again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { ADOPT_PER_QUERY } from '../../src/domain/orders/list-orders.js';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions, type LostAnswer } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';

const SSN = PEI_BUYER_SSN;
const DAY_MS = 86_400_000;

describe('Pei adapter against an independent Pei, round three', () => {
  const harness = independentPeiHarness('-3');
  const { gatewayFor, readAt, untilAt, callsTo, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  // ---- "orders on a date" is the ExpirationDate's day ------------------------------------------

  const LOSSES: [string, Partial<IndependentPeiOptions>, LostAnswer][] = [
    ['by their ExpirationDate\'s day, an answer lost (reset)', { listDate: 'expiration' }, 'reset'],
    ['by their ExpirationDate\'s day, an answer lost (500)', { listDate: 'expiration' }, 500],
    ['by the day they were made, refusing days to come (400), an answer lost (500)', { refuseFutureDates: true }, 500],
    ['confirmed ones only (a day\'s purchases), an answer lost (500)', { listOnly: 'confirmed' }, 500],
  ];

  describe.each(LOSSES)('a Pei listing orders %s', (_name, variation, how) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay (expiring a day on by Pei\'s default): charged once, whatever the client retries; CAPTURED', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      if (!first.errors) expect(retry.data!.createOrder.id).toBe(first.data!.createOrder.id);
      await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
    });

    it('Orders/Pay without an idempotency key: the lost answer is found at once, so the client sees the charge', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase();
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors).toBeUndefined();
      await untilAt(gateway, first.data!.createOrder.id, 'CAPTURED');
    });

    // Where Pei lists confirmed orders only, a Recurring order Pei has not charged yet is in no
    // listing: a lost answer cannot be told from a submit that never arrived, so the retry is
    // answered PROVIDER_UNAVAILABLE (never sent again) until Pei charges it and lists it.
    it('a Recurring charge expiring in three days: the mandate is charged once; CAPTURED', async () => {
      const input = recurring({ idempotencyKey: `rec-${Math.random()}`, expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString() });
      pei.loseNextAnswer('/api/orders', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retried = () => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      let retry = await retried();
      if (variation.listOnly !== 'confirmed') expect(retry.errors).toBeUndefined();
      while (retry.errors) {
        expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        retry = await retried();
      }
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
    });
  });

  describe('a Pei listing confirmed orders only, charging a Recurring order late', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listOnly: 'confirmed', recurringCharge: 'never' });
    });
    afterAll(() => gateway?.close());

    it('the submit\'s answer lost (500): retries are PROVIDER_UNAVAILABLE and the mandate is not charged again; once Pei charges it, the retry answers it', async () => {
      const input = recurring({ idempotencyKey: `late-${Math.random()}`, expiresAt: new Date(Date.now() + 3 * DAY_MS).toISOString() });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      for (let attempt = 0; attempt < 3; attempt++) {
        const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      }
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      const made = [...pei.orders.values()].find((order) => order.reference === input['reference'])!;
      await pei.confirm(made.orderId);
      const retry = await eventually(async () => {
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        return answer.errors ? undefined : answer.data!.createOrder;
      });
      expect(retry).toMatchObject({ providerOrderId: made.orderId });
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
    });
  });

  describe('a Pei listing orders by their ExpirationDate\'s day', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listDate: 'expiration' });
    });
    afterAll(() => gateway?.close());

    it('a ONE_OFF submit expiring in five days, its answer lost (500): the retry with its key adopts the one order Pei made', async () => {
      const input = oneOff({ idempotencyKey: `one-${Math.random()}`, expiresAt: new Date(Date.now() + 5 * DAY_MS).toISOString() });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      const made = [...pei.orders.values()].find((order) => order.reference === input['reference'])!;
      expect(retry.data!.createOrder).toMatchObject({ status: 'CREATED', providerOrderId: made.orderId });
    });
  });

  // ---- Get order's answer wrapped ----------------------------------------------------------------

  describe('a Pei answering Get order wrapped as {order: {...}}', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readShape: 'wrapped' });
    });
    afterAll(() => gateway?.close());

    it('a waiting order stays CREATED on re-reads; the buyer confirming makes it CAPTURED with its purchase', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments[0]?.providerReference).toBe(String(pei.orders.get(order.providerOrderId!)!.purchaseId));
    });
  });

  // ---- dates as .NET may write them -----------------------------------------------------------

  const DATES: [string, Partial<IndependentPeiOptions>][] = [
    ['as the seed writes a date in its subscription example (Icelandic culture: 31.7.2018 13:33:33)', { expirationAs: 'icelandic' }],
    ['as older ASP.NET\'s JSON date (/Date(1533044013337)/)', { expirationAs: 'msjson' }],
  ];

  describe.each(DATES)('a Pei writing ExpirationDate %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('a waiting order stays CREATED; the buyer confirming makes it CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      await untilAt(gateway, order.id, 'CAPTURED');
    });

    it('an order past its ExpirationDate (and the grace) becomes EXPIRED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      pei.orders.get(order.providerOrderId!)!.expirationDate = new Date(Date.now() - 10 * 60_000);
      await untilAt(gateway, order.id, 'EXPIRED');
    });
  });

  // ---- more orders on a day than one query adopts ----------------------------------------------

  describe('a day with more orders at Pei than one query adopts', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ omitOptional: true });
    });
    afterAll(() => gateway?.close());

    it(`${ADOPT_PER_QUERY + 60} orders made outside the gateway: a second query adopts the ones the first left`, async () => {
      const made = new Set<string>();
      const when = new Date(`${new Date(Date.now() - 20 * DAY_MS).toISOString().slice(0, 10)}T12:00:00Z`);
      const total = ADOPT_PER_QUERY + 60;
      for (let index = 0; index < total; index++) {
        const orderId = `busy${String(index).padStart(3, '0')}${Math.random().toString(36).slice(2, 8)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 1000 + index, expirationDate: new Date(Date.now() + DAY_MS), sequenceType: 'OneOff', items: [{ name: `Item ${index}` }], created: when });
        made.add(orderId);
      }
      const day = when.toISOString().slice(0, 10);
      const adopted = async (): Promise<Set<string>> => {
        const seen = new Set<string>();
        let after: string | null = null;
        let pages = 0;
        do {
          const page: { orders: { nodes: OrderView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gqlOk(
            gateway.url,
            LIST_ORDERS,
            { filter: { provider: 'PEI', from: day, to: day }, first: 100, ...(after ? { after } : {}) },
            backOffice,
          );
          for (const node of page.orders.nodes) if (made.has(node.providerOrderId!)) seen.add(node.providerOrderId!);
          after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
          pages++;
        } while (after && pages < 20);
        return seen;
      };
      // The first query adopts at most ADOPT_PER_QUERY; the next adopts the rest (not the same ones again).
      expect((await adopted()).size).toBe(ADOPT_PER_QUERY);
      expect((await adopted()).size).toBe(total);
    }, 20_000);
  });
});
