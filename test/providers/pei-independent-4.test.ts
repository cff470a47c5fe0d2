/**
 * Round four of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Readings of the seed rounds one to three did not try:
 *   - a charge Pei attempts and declines (a Recurring order, an Orders/Pay), its read or answer
 *     showing the attempt's purchase id beside a word the gateway has never heard of (`Declined`):
 *     never CAPTURED; and words for confirmed it does not know (`Approved`, `"1"`) still confirmed
 *     by the postback to the URL the gateway signed;
 *   - listings whose entries name their order `id` (the seed's Order schema has no OrderId field),
 *     are summaries without the amount, or a report without ids: a purchase whose answer was lost
 *     is found, or left unknown, never charged twice;
 *   - a Pei that no longer keeps an order past its ExpirationDate (its read answers 404, 400 or
 *     410 Gone), or has no Get order at all: `order(id)` still answers, the order becomes EXPIRED,
 *     and a confirmed one is found in the listing (CAPTURED);
 *   - .NET's en-US DateTime.ToString() for ExpirationDate, another stack's enum names (`ONE_OFF`);
 *   - postbacks as the seed shows them: its example as a template (the `.` typo: not JSON), and
 *     the Order ID alone;
 *   - the CheckoutUrl the seed's SequenceType text names in Submit's answer; PEI_URL copied from
 *     the seed's environments (`.../api/orders`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';

const SSN = PEI_BUYER_SSN;
const DAY_MS = 86_400_000;
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };


describe('Pei adapter against an independent Pei, round four', () => {
  const harness = independentPeiHarness('-4');
  const { gatewayFor, readAt, untilAt, callsTo, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  // ---- a word never heard of beside a purchase id ----------------------------------------------

  describe('a Recurring charge Pei declines, its read showing the attempt\'s purchase id beside "Declined"', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, recurringCharge: 'declined' });
    });
    afterAll(() => gateway?.close());

    it('stays PENDING with Pei\'s word shown, never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      // The charge is declined 50 ms on; the gateway re-reads every 150 ms.
      await sleep(700);
      const read = await readAt(gateway, order.id);
      expect(pei.orders.get(order.providerOrderId!)!.declined).toBe(true);
      expect(read).toMatchObject({ status: 'PENDING', providerStatus: 'Declined' });
      expect(read.payments[0]?.capturedAmount?.amount ?? '0').toBe('0');
    });

    it('a Recurring charge Pei does make (Confirmed) is still CAPTURED', async () => {
      pei.options.recurringCharge = 'charged';
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
        await untilAt(gateway, order.id, 'CAPTURED');
      } finally {
        pei.options.recurringCharge = 'declined';
      }
    });
  });

  describe('an Orders/Pay Pei declines, answering the order with the attempt\'s purchase id beside "Declined"', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, payAnswer: 'echo', payConfirms: 'declined' });
    });
    afterAll(() => gateway?.close());

    it('is never CAPTURED: Pei\'s word is shown and nothing is captured', async () => {
      pei.purchaseAccess.add(SSN);
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      else {
        expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
        expect(answer.data!.createOrder.providerStatus).toBe('Declined');
        await sleep(400);
        const read = await readAt(gateway, answer.data!.createOrder.id);
        expect(read.status).not.toBe('CAPTURED');
        expect(read.payments[0]?.capturedAmount?.amount ?? '0').toBe('0');
      }
    });
  });

  const OTHER_WORDS: [string, Partial<IndependentPeiOptions>][] = [
    ['Open / Approved / Expired (a word for confirmed the gateway does not know)', { statusWords: { waiting: 'Open', confirmed: 'Approved', expired: 'Expired' } }],
    ['"0" / "1" / "2" (status numbers written as strings)', { statusWords: { waiting: '0', confirmed: '1', expired: '2' } }],
  ];

  describe.each(OTHER_WORDS)('status words %s beside the purchase id', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('the buyer confirming (its postback, to the URL the gateway signed) makes the order CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await sleep(300);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments[0]?.providerReference).toBe(String(pei.orders.get(order.providerOrderId!)!.purchaseId));
    });

    it('a forged postback (to the bare URL) for a waiting order changes nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const answer = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order.providerOrderId, purchaseId: 5 }) });
      expect([401, 429]).toContain(answer.status);
      await sleep(300);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
    });
  });

  const POSTBACKS: [string, Partial<IndependentPeiOptions>][] = [
    ['the seed\'s example as a template, its "." typo and all (not JSON)', { postbackBody: 'seedTemplate' }],
    ['the Order ID alone (Orders/Pay\'s PostbackUrl row)', { postbackBody: 'orderIdOnly' }],
    ['the seed\'s example as a template, labelled text/plain', { postbackBody: 'seedTemplate', postbackContentType: 'text/plain; charset=utf-8' }],
  ];

  describe.each(POSTBACKS)('a Pei whose reads cannot say (only the seed\'s Order fields), posting back %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readShowsPurchase: false, ...variation });
    });
    afterAll(() => gateway?.close());

    it('the buyer confirming makes the order CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST' } }) }, shop)).createOrder;
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      if (variation.postbackBody === 'seedTemplate') expect(paid.payments[0]?.mandateId).toBe(pei.orders.get(order.providerOrderId!)!.mandateId);
    });

    it('the same body to the bare URL (not the one the gateway signed) changes nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const body = variation.postbackBody === 'orderIdOnly' ? JSON.stringify(order.providerOrderId) : `{ "orderId" : "${order.providerOrderId}". "purchaseId" : 5 }`;
      const answer = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect([401, 429]).toContain(answer.status);
      await sleep(300);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
    });
  });

  // ---- listings that name orders otherwise, or summarise them -----------------------------------

  const LISTINGS: [string, Partial<IndependentPeiOptions>][] = [
    ['entries naming their order `id`', { listIdKey: 'id' }],
    ['summary entries (id, reference, status; no amount)', { listEntries: 'summary', statusWords: WORDS }],
    ['summary entries naming their order `id`, no status words', { listEntries: 'summary', listIdKey: 'id' }],
    ['in an envelope ({data: [...], errors: [], links: [], totalCount})', { listShape: 'envelope' }],
  ];

  describe.each(LISTINGS)('a Pei listing %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay whose answer is lost (500): found at once, CAPTURED; Pei charged once', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase();
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors).toBeUndefined();
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      await untilAt(gateway, first.data!.createOrder.id, 'CAPTURED');
    });

    it('a Recurring charge whose answer is lost (reset), retried with its key: charged once, CAPTURED', async () => {
      const input = recurring({ idempotencyKey: `rec-${Math.random()}` });
      pei.loseNextAnswer('/api/orders', 'reset');
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
    });

    // Once (4 s): what "not found" cost before, a second charge.
    it.runIf(variation.listIdKey === 'id' && variation.listEntries === undefined)('Orders/Pay whose answer is lost (reset), retried with its key once the call must be over: still charged once', async () => {
      // A gateway whose calls end sooner, so the creation settles (4 provider timeouts + 3 s) within the test.
      const quick = await harness.parts.env.startGateway(
        { pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl }, reconcileIntervalMs: 150, providerTimeoutMs: 250 },
      );
      try {
        pei.purchaseAccess.add(SSN);
        const input = purchase({ idempotencyKey: `late-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 'reset');
        const first = await gql<{ createOrder: OrderView }>(quick.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        await sleep(4_300);
        const retry = await gql<{ createOrder: OrderView }>(quick.url, CREATE_ORDER, { input }, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(retry.data?.createOrder.status).toBe('CAPTURED');
      } finally {
        await quick.close();
      }
    }, 15_000);

    it.runIf(variation.listEntries !== 'summary')('orders made at Pei outside the gateway are adopted by a listing of their day', async () => {
      const when = new Date(`${new Date(Date.now() - 9 * DAY_MS).toISOString().slice(0, 10)}T12:00:00Z`);
      const orderId = `outside${Math.random().toString(36).slice(2, 12)}`;
      pei.orders.set(orderId, { orderId, merchantId: 4, amount: 7000, reference: 'made-at-pei', expirationDate: new Date(Date.now() + DAY_MS), sequenceType: 'OneOff', items: [{ name: 'Lopapeysa', amount: 7000 }], created: when });
      const day = when.toISOString().slice(0, 10);
      const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
      expect(listed.orders.nodes.find((node) => node.providerOrderId === orderId)).toMatchObject({ status: 'CREATED', total: { amount: '7000' } });
    });
  });

  describe('a Pei showing an Orders/Pay order as a charge on the buyer\'s card (Recurring, with the mandate it charged)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ payShowsAs: 'mandateCharge' });
    });
    afterAll(() => gateway?.close());

    it.each(['reset', 500] as const)('Orders/Pay whose answer is lost (%s): found at once, CAPTURED; Pei charged once', async (how) => {
      pei.purchaseAccess.add(SSN);
      const input = purchase();
      pei.loseNextAnswer('/api/orders/pay', how);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors).toBeUndefined();
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      await untilAt(gateway, first.data!.createOrder.id, 'CAPTURED');
    });

    it('Orders/Pay answered: CAPTURED', async () => {
      pei.purchaseAccess.add(SSN);
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      await untilAt(gateway, order.id, 'CAPTURED');
    });
  });

  describe('a Pei writing when an order was made as its server\'s local time (five hours behind UTC) without a zone', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ createdShown: 'localBehind' });
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay whose answer is lost (500): found at once by its reference, CAPTURED; Pei charged once', async () => {
      pei.purchaseAccess.add(SSN);
      const input = purchase({ reference: undefined });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors).toBeUndefined();
      expect(pei.calls.filter((call) => call.method === 'POST' && call.path === '/api/orders/pay' && (call.body as { reference?: string }).reference === first.data!.createOrder.id)).toHaveLength(1);
      await untilAt(gateway, first.data!.createOrder.id, 'CAPTURED');
    });
  });

  describe('a Pei listing a day as a report (reference, amount, status; no order ids)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await harness.parts.env.startGateway({
        pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
        reconcileIntervalMs: 150,
        providerTimeoutMs: 250,
      });
    });
    afterAll(() => gateway?.close());

    it('Orders/Pay whose answer is lost (reset), retried with its key once the call must be over: the outcome stays unknown, never a second charge', async () => {
      pei.reset({ listIdKey: 'none', listEntries: 'summary', statusWords: WORDS });
      pei.purchaseAccess.add(SSN);
      const input = purchase({ idempotencyKey: `report-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 'reset');
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(4_300);
      const retry = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
      expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    }, 15_000);
  });

  // ---- orders Pei no longer keeps ----------------------------------------------------------------

  const FORGETTING: [string, IndependentPeiOptions['notFound']][] = [
    ['404', '404empty'],
    ['400', '400'],
    ['410 Gone', '410'],
  ];

  describe.each(FORGETTING)('a Pei purging unconfirmed orders past their ExpirationDate, then answering their read %s', (_name, notFound) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ forget: 'expired', notFound });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('order(id) keeps answering; the order becomes EXPIRED once past its expiry (and the grace) by the gateway\'s clock', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      // Six minutes on, for Pei and the gateway alike: past the expiry, its two minutes' grace and the
      // two minutes a listing may lag (round seven: only Pei's listing can say an order its read
      // no longer shows is unpaid, and it may be a report built a while ago).
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 6 * 60_000);
      const read = await gql<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, backOffice);
      expect(read.errors).toBeUndefined();
      await untilAt(gateway, order.id, 'EXPIRED');
    });

    it('a submit whose answer was lost (500), adopted by the retry with its key, is EXPIRED alike once Pei purges it', async () => {
      const input = oneOff({ idempotencyKey: `lost-${Math.random()}`, expiresAt: new Date(Date.now() + 60_000).toISOString() });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(retry.createOrder.status).toBe('CREATED');
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 6 * 60_000);
      await untilAt(gateway, retry.createOrder.id, 'EXPIRED');
    });

    it('an order Pei no longer shows before the expiry the gateway sent stays CREATED (nothing is known yet)', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() }) }, shop)).createOrder;
      pei.expire(order.providerOrderId!); // Pei's own date moved on: it purges the order
      await sleep(500);
      const read = await gql<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, backOffice);
      expect(read.errors).toBeUndefined();
      expect(read.data!.order.status).toBe('CREATED');
    });

    it('an order the buyer confirmed is not forgotten, and stays CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');
    });
  });

  const NO_READ: [string, IndependentPeiOptions['getOrderRoute']][] = [
    ['404 for every id', 404],
    ['405', 405],
  ];

  describe.each(NO_READ)('a Pei without Get order (its route answering %s)', (_name, getOrderRoute) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ getOrderRoute });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('order(id) keeps answering; past its expiry an order the buyer confirmed is CAPTURED (Pei lists it so), one nobody confirmed EXPIRED', async () => {
      const expiresAt = new Date(Date.now() + 60_000).toISOString();
      const paid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt }) }, shop)).createOrder;
      const unpaid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt }) }, shop)).createOrder;
      // The postback cannot be checked against a read Pei does not serve: refused, nothing changes yet.
      await pei.confirm(paid.providerOrderId!);
      const read = await gql<{ order: OrderView }>(gateway.url, GET_ORDER, { id: paid.id }, backOffice);
      expect(read.errors).toBeUndefined();
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 6 * 60_000);
      await untilAt(gateway, paid.id, 'CAPTURED');
      await untilAt(gateway, unpaid.id, 'EXPIRED');
    });
  });

  // ---- fields the gateway uses but does not need, written otherwise --------------------------------

  const ODD_FIELDS: [string, Partial<IndependentPeiOptions>][] = [
    ['ExpirationDate as .NET\'s DateTime.ToString() under en-US culture (7/31/2018 1:33:33 PM)', { expirationAs: 'usCulture' }],
    ['SequenceType as another language\'s enum (ONE_OFF, FIRST, RECURRING)', { sequenceTypeAs: 'upperSnake' }],
  ];

  describe.each(ODD_FIELDS)('a Pei writing %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('a waiting order stays CREATED; the buyer confirming (its postback) makes it CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST' } }) }, shop)).createOrder;
      await sleep(400);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments[0]?.mandateId).toBe(pei.orders.get(order.providerOrderId!)!.mandateId);
    });

    it('a Recurring charge on a mandate is CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await untilAt(gateway, order.id, 'CAPTURED');
    });

    it('an order nobody confirms is EXPIRED once past its expiry (the one the gateway sent, where Pei\'s cannot be read)', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 4 * 60_000);
      await untilAt(gateway, order.id, 'EXPIRED');
    });
  });

  // ---- PEI_URL as the seed writes its environments ------------------------------------------------

  it('PEI_URL given as the seed\'s "URL endpoint" (https://externalapistaging.pei.is/api/orders): the gateway calls /api/orders, not /api/orders/api/orders', async () => {
    pei.reset();
    const gateway = await harness.parts.env.startGateway({
      pei: { url: `${pei.url}/api/orders/`, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
      reconcileIntervalMs: 150,
    });
    try {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');
    } finally {
      await gateway.close();
    }
  });
});
