/**
 * Round five of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). What changes at Pei between the gateway's calls, and
 * the gateway's recovery paths against it:
 *   - a listing that lags a create (a day's report built from a replica, or cached a while): an
 *     Orders/Pay or Recurring charge whose answer Pei lost with its own 500 is not yet listed when
 *     the gateway looks, and the client's retry with the same key must not charge again;
 *   - a back office's `orders` listing while Pei is still charging an Orders/Pay order: the
 *     listing's entry must be judged as the order's own read is (a purchase for a buyer is not
 *     waiting on a checkout page, and .NET's DateTime.MinValue expires nothing);
 *   - a listing that lags longer than the creation takes to settle: still not charged again;
 *   - a read that lags a write by a few hundred ms: Orders/Pay's read-back, a postback's re-read;
 *   - where the gateway decides money moved: Orders/Pay answered 202 Accepted (taken, not done) and
 *     declined in the background; answered with a declined attempt's purchase id and no word;
 *   - where it decides an order is final: an ExpirationDate written in the server's local time
 *     without a zone (hours early), in reads and in the order a lost submit's retry adopts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';

const SSN = PEI_BUYER_SSN;
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };


describe('Pei adapter against an independent Pei, round five', () => {
  const harness = independentPeiHarness('-5');
  const { gatewayFor, readAt, untilAt, callsTo, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  // ---- a listing that lags a create ------------------------------------------------------------

  describe('a listing that shows an order only 1.5 s after it is made, a charge\'s answer lost with Pei\'s own 500', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listLagMs: 1500 });
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay: the client\'s retry at once is not charged again; once listed, the retry answers the one order', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `lag-pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      if (retry.errors) expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(1600);
      const later = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(later.createOrder.providerOrderId).toBe([...pei.orders.values()].find((order) => order.reference === input['reference'])!.orderId);
      await untilAt(gateway, later.createOrder.id, 'CAPTURED');
    });

    it('a Recurring charge, the day listing an order still waiting on its buyer: the mandate is charged once', async () => {
      // An unconfirmed order in the day's listing: a Pei that lists unconfirmed orders would list this charge too.
      await gqlOk(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      await sleep(1600);
      const input = recurring({ idempotencyKey: `lag-rec-${Math.random()}` });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      if (retry.errors) expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(1600);
      const later = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      await untilAt(gateway, later.createOrder.id, 'CAPTURED');
    });
  });

  describe('a listing that shows an order only 6 s after it is made, longer than a creation takes to settle (4.2 s at a 300 ms provider timeout)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ listLagMs: 6000 }, { providerTimeoutMs: 300 });
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay whose answer Pei lost: the client\'s retry once the call must be over is not charged again', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `lag-settled-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(4500);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(1700);
      const later = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      await untilAt(gateway, later.createOrder.id, 'CAPTURED');
    });
  });

  // ---- a back office's listing while Pei is still charging --------------------------------------

  describe('an Orders/Pay Pei charges 2 s after answering (status words), reading its ExpirationDate as .NET\'s DateTime.MinValue', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, payConfirms: 'later', payLaterMs: 2000, payExpiration: 'dotnetMin' });
    });
    afterAll(() => gateway?.close());

    it('a back office listing the day meanwhile does not make it EXPIRED: it is CAPTURED once Pei charges', async () => {
      pei.purchaseAccess.add(SSN);
      const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      expect(created.status).toBe('PENDING');
      const day = new Date().toISOString().slice(0, 10);
      const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
      expect(listed.orders.nodes.find((node) => node.id === created.id)?.status).toBe('PENDING');
      expect((await readAt(gateway, created.id)).status).toBe('PENDING');
      const paid = await untilAt(gateway, created.id, 'CAPTURED', 5000);
      expect(paid.events.map((event) => event.status)).not.toContain('EXPIRED');
    });
  });

  // ---- a read that lags a write ------------------------------------------------------------------

  describe('Get order that shows an order only 400 ms after it is made (status words), an Orders/Pay Pei declines', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, readLagMs: 400, payAnswer: 'orderId', payConfirms: 'declined' });
    });
    afterAll(() => gateway?.close());

    it('is never CAPTURED: its read-back, once Pei shows it, says Declined', async () => {
      pei.purchaseAccess.add(SSN);
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      else {
        expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
        await sleep(600);
        const read = await readAt(gateway, answer.data!.createOrder.id);
        expect(read).toMatchObject({ providerStatus: 'Declined' });
        expect(read.status).not.toBe('CAPTURED');
      }
    });

    it('one Pei does charge is CAPTURED', async () => {
      pei.options.payConfirms = 'atOnce';
      try {
        const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        await untilAt(gateway, created.id, 'CAPTURED');
      } finally {
        pei.options.payConfirms = 'declined';
      }
    });
  });

  describe('Get order that shows an order only 400 ms after it is made, its reads carrying only the seed\'s Order fields', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readShowsPurchase: false, readLagMs: 400 });
    });
    afterAll(() => gateway?.close());

    it('a Recurring charge posted back before Pei\'s read shows the order is CAPTURED', async () => {
      const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      expect(created.status).toBe('PENDING');
      const paid = await untilAt(gateway, created.id, 'CAPTURED', 3000);
      expect(pei.orders.get(paid.providerOrderId!)!.purchaseId).toBeDefined();
    });
  });

  // ---- 202 Accepted: not done yet ---------------------------------------------------------------

  describe('an Orders/Pay answered 202 Accepted and charged in the background, at a Pei whose reads carry only the seed\'s Order fields', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ payStatus: 202, readShowsPurchase: false, payConfirms: 'laterDeclined', payLaterMs: 100 });
    });
    afterAll(() => gateway?.close());

    it('a charge Pei then declines is never CAPTURED', async () => {
      pei.purchaseAccess.add(SSN);
      const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      expect(created.status).toBe('PENDING');
      await sleep(500);
      expect(pei.orders.get(created.providerOrderId!)!.declined).toBe(true);
      const read = await readAt(gateway, created.id);
      expect(read.status).toBe('PENDING');
      expect(read.payments[0]?.capturedAmount?.amount ?? '0').toBe('0');
    });

    it('a charge Pei makes is CAPTURED by its postback', async () => {
      pei.options.payConfirms = 'later';
      try {
        const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        await untilAt(gateway, created.id, 'CAPTURED');
      } finally {
        pei.options.payConfirms = 'laterDeclined';
      }
    });
  });

  describe('an Orders/Pay Pei declines, answering the attempt\'s purchase id without a word (status words in its reads)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, payAnswer: 'withPurchaseId', payConfirms: 'declined' });
    });
    afterAll(() => gateway?.close());

    it('is never CAPTURED: its read says Declined', async () => {
      pei.purchaseAccess.add(SSN);
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      else {
        expect(answer.data!.createOrder).toMatchObject({ providerStatus: 'Declined' });
        expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
      }
    });

    it('one Pei does charge is CAPTURED at once, with its purchase', async () => {
      pei.options.payConfirms = 'atOnce';
      try {
        const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        expect(created.status).toBe('CAPTURED');
        expect(created.payments[0]?.providerReference).toBe(String(pei.orders.get(created.providerOrderId!)!.purchaseId));
      } finally {
        pei.options.payConfirms = 'declined';
      }
    });
  });

  // ---- a date in the server's own zone ---------------------------------------------------------

  describe('reads writing ExpirationDate in the server\'s local time (five hours behind UTC) without a zone', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ expirationAs: 'localBehind' });
    });
    afterAll(() => gateway?.close());

    it('an order that expires in an hour is not EXPIRED by the read\'s date: the buyer paying makes it CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      await sleep(400);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.events.map((event) => event.status)).not.toContain('EXPIRED');
    });

    it.each([
      ['the ExpirationDate the client chose (an hour on)', { expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, 30 * 60_000],
      ['Pei\'s default (the gateway sends a day on)', {}, 20 * 3_600_000],
    ])('a ONE_OFF submit whose answer is lost, with %s, is adopted by the retry CREATED, not EXPIRED', async (_name, expiry, later) => {
      const input = oneOff({ idempotencyKey: `lost-local-${Math.random()}`, ...expiry });
      pei.loseNextAnswer('/api/orders', 'reset');
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      expect(retry.status).toBe('CREATED');
      await sleep(400);
      expect(await readAt(gateway, retry.id)).toMatchObject({ status: 'CREATED' });
      // Later, the read's date (the server's local time) is past by hours; the one sent is not.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      try {
        vi.setSystemTime(Date.now() + later);
        await sleep(400);
        expect(await readAt(gateway, retry.id)).toMatchObject({ status: 'CREATED' });
      } finally {
        vi.useRealTimers();
      }
      await pei.confirm(retry.providerOrderId!);
      await untilAt(gateway, retry.id, 'CAPTURED');
    });
  });
});
