/**
 * Round six of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Round five found what lags a write by its existence (a
 * read or listing that does not show a new order yet); this one takes what lags by its *state*, and
 * what a listing leaves out without saying so plainly:
 *   - "Get orders by date" answered one page at a time, oldest first, in a .NET paged envelope
 *     (`{data, totalCount}`; the seed shows neither paging nor how to ask for the next page): a
 *     charge whose answer was lost is on a page the gateway never reads, and "not listed" must not
 *     count as "not made" (the retry, or the sweep, would charge the buyer again);
 *   - a day's listing answered from a report built a while ago: an order the buyer paid since
 *     shows as still waiting, and past its expiry such an entry must not make the order EXPIRED
 *     (final) while Pei holds its purchase;
 *   - Get order answered from a replica whose state lags a few hundred ms: the re-read of Pei's own
 *     postback (to the URL the gateway signed) shows the order still Pending, and the postback must
 *     not be refused as forged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, tokenFor } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep, today } from '../support/test-time.js';

const SSN = PEI_BUYER_SSN;
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };

/** A back office token minted by the clock as it is now (the suite's own expires an hour after it was made; some tests move the clock on). */
const laterBackOffice = () => tokenFor('orders:read orders:manage', 'back-office-independent-pei-6');

describe('Pei adapter against an independent Pei, round six', () => {
  const harness = independentPeiHarness('-6');
  const { gatewayFor, readAt, untilAt, callsTo, oneOff, purchase } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- a listing answered one page at a time -----------------------------------------------------

  describe.each([
    ['in an envelope counting them all ({data, totalCount})', 'body'],
    ['as a bare array, an ASP.NET-style X-Pagination header counting them all', 'header'],
  ] as const)('Get orders by date answering its first page of 3 orders, oldest first, %s', (_name, listPagingIn) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listShape: listPagingIn === 'body' ? 'envelope' : 'array', listPageSize: 3, listPagingIn });
    });
    afterAll(() => gateway?.close());

    it('an Orders/Pay whose answer Pei lost (500) on a busy day: the retry after Pei\'s listing lag bound is not charged again', async () => {
      // Three orders of the day before it: the purchase is on the second page.
      for (let index = 0; index < 3; index++) await gqlOk(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `paged-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      // Past the 2 minutes a charge not listed is still unknown (LISTING_LAG_MS) and the creation's settle time.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        vi.setSystemTime(Date.now() + 3 * 60_000);
        const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        if (retry.errors) expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        else expect(retry.data!.createOrder.providerOrderId).toBe([...pei.orders.values()].find((order) => order.reference === input['reference'])!.orderId);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('the same paged listing at a Pei without Get order (404 for every id)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listShape: 'envelope', listPageSize: 3, getOrderRoute: 404 });
    });
    afterAll(() => gateway?.close());

    it('an order the buyer paid, on a page the gateway is not given, is not made EXPIRED past its expiry', async () => {
      for (let index = 0; index < 3; index++) await gqlOk(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!); // its postback cannot be checked without Get order
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        vi.setSystemTime(Date.now() + 3_600_000 + 3 * 60_000);
        await sleep(400);
        const read = (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, await laterBackOffice())).order;
        expect(read.status).not.toBe('EXPIRED');
        expect(read.events.map((event) => event.status)).not.toContain('EXPIRED');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  // ---- a listing answered from a report built a while ago ----------------------------------------

  describe('Get orders by date answered from a report cached 20 s, the buyer\'s postback lost, reconciliation every minute', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listCacheMs: 20_000, sendPostback: false }, { reconcileIntervalMs: 60_000 });
    });
    afterAll(() => gateway?.close());

    it('an order the buyer paid, listed past its expiry as still waiting, is not made EXPIRED: it is CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      const day = today();
      const list = async () => gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, await laterBackOffice());
      await list(); // the day's report is built now, the order waiting
      await pei.confirm(order.providerOrderId!); // paid at Pei; its postback never arrives
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        // Past the expiry and the gateway's 2 minutes' grace: the cached report still shows it waiting.
        vi.setSystemTime(Date.now() + 3_600_000 + 3 * 60_000);
        const listed = await list();
        expect(listed.orders.nodes.find((node) => node.id === order.id)?.status).not.toBe('EXPIRED');
        const token = await laterBackOffice();
        const read = await eventually(async () => {
          const { order: now } = await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, token);
          return now.status === 'CAPTURED' ? now : undefined;
        }, 4000);
        expect(read.events.map((event) => event.status)).not.toContain('EXPIRED');
      } finally {
        vi.useRealTimers();
      }
    });
  });

  // ---- Get order answered from a replica whose state lags ----------------------------------------

  describe('Get order answered from a replica 300 ms behind (status words): the buyer\'s postback re-read while it shows Pending', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, readStateLagMs: 300 }, { reconcileIntervalMs: 60_000 });
    });
    afterAll(() => gateway?.close());

    it('Pei\'s own postback (to the URL the gateway signed) is taken, not refused as forged: CAPTURED at once', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBeGreaterThanOrEqual(200);
      expect(delivery?.status).toBeLessThan(300);
      await untilAt(gateway, order.id, 'CAPTURED', 1000);
    });

    it('a postback to the bare URL (not the one the gateway signed) for a waiting order is still refused, after one read', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const before = pei.calls.length;
      const forged = await fetch(`${gateway.url}/webhooks/pei`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: order.providerOrderId, purchaseId: 1234567 }),
      });
      expect(forged.status).toBe(401);
      expect(pei.calls.slice(before).filter((call) => call.method === 'GET')).toHaveLength(1);
      await sleep(100);
      expect((await readAt(gateway, order.id)).status).toBe('CREATED');
    });
  });
  // ---- a listing filed by the server's own local date --------------------------------------------

  describe('Get orders by date filing each order under the server\'s local date, five hours behind UTC', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listDayZoneHours: -5 });
    });
    afterAll(() => gateway?.close());

    it('an Orders/Pay at 02:00 UTC whose answer Pei lost (500), filed under the day before: found, and the retry 3 minutes on is not charged again', async () => {
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        const tomorrow = new Date(Date.now() + 24 * 3_600_000);
        vi.setSystemTime(Date.parse(`${tomorrow.toISOString().slice(0, 10)}T02:00:00Z`));
        const laterMerchant = await tokenFor('orders:create orders:manage', 'merchant-independent-pei-6');
        pei.purchaseAccess.add(SSN);
        const input = purchase({ idempotencyKey: `zone-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, laterMerchant);
        const made = [...pei.orders.values()].find((order) => order.reference === input['reference'])!;
        // Found at once among the day before's orders, or left unknown: never "not made".
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        else expect(first.data!.createOrder).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
        vi.setSystemTime(Date.now() + 3 * 60_000);
        const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, laterMerchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(retry.data?.createOrder.providerOrderId).toBe(made.orderId);
      } finally {
        vi.useRealTimers();
      }
    });
  });
  // ---- an Orders/Pay answered with a purchase id, its read lagging ---------------------------------

  describe('an Orders/Pay Pei declines, answering the attempt\'s purchase id without a word, Get order showing the order only 400 ms after it is made (status words)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, payAnswer: 'withPurchaseId', payConfirms: 'declined', readLagMs: 400 });
    });
    afterAll(() => gateway?.close());

    it('is never CAPTURED: its read, once Pei shows it, says Declined', async () => {
      pei.purchaseAccess.add(SSN);
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      else {
        expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
        await sleep(500);
        const read = await readAt(gateway, answer.data!.createOrder.id);
        expect(read.status).not.toBe('CAPTURED');
        expect(read.payments[0]?.capturedAmount?.amount ?? '0').toBe('0');
      }
    });

    it('one Pei does charge is CAPTURED, with its purchase', async () => {
      pei.options.payConfirms = 'atOnce';
      try {
        const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        const paid = await untilAt(gateway, created.id, 'CAPTURED');
        expect(paid.payments[0]?.providerReference).toBe(String(pei.orders.get(created.providerOrderId!)!.purchaseId));
      } finally {
        pei.options.payConfirms = 'declined';
      }
    });
  });
});
