/**
 * Round seven of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Pei has no capture, refund or cancel: its money moves
 * once, when the buyer confirms (or Orders/Pay, or a Recurring charge). Rounds five and six took
 * timing and recovery; this one takes the money figures and where the gateway decides "final":
 *   - the buyer choosing among the order's optional and grouped items on Pei's page (the seed's
 *     GroupName, IsOptional, IsDefaultSelected): Pei charges the choice, and the gateway must report
 *     what Pei charged (no more) at every step, through the postback, a re-read and a listing; the
 *     harness's closing check now compares the captured amount with Pei's charge, not only the status;
 *   - a day's listing holding an order made outside the gateway whose line has no Amount (the seed's
 *     Items[n].Amount is optional) and a quantity times unit price that is not whole krónur;
 *   - where the listing alone decides, at a Pei without Get order: an order filed under Pei's local
 *     date, a day's report cached from before the buyer paid (every order, or confirmed ones only):
 *     neither may make a paid order EXPIRED (final); a Recurring or Orders/Pay charge Pei made and
 *     lists must become CAPTURED, one it declined must not;
 *   - the seed's literal postback (its example with only the ids changed, `.` typo and all) and its
 *     minimal one (the Order ID alone), posted to two gateway instances at once while Pei answers
 *     reads slowly and out of order; Orders/Pay's postback before its slow read-back;
 *   - Get order answered as a list of the orders with that id (`[{...}]`, `[]`), and a read that
 *     answers another order than the one asked for.
 * Found and fixed in src/providers/pei: five breaks (see each describe); and, later, in the domain
 * (domain/line-choices.ts): an order's grouped and optional lines all counted toward the Amount sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, tokenFor } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions, type StoredOrder } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';

const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };
/** A back office token minted by the clock as it is now (some tests move the clock on). */
const laterBackOffice = () => tokenFor('orders:read orders:manage', 'back-office-independent-pei-7');

/** Whole krónur of an amount the gateway shows. */
const kr = (amount: { amount: string } | null | undefined): number => Number(amount?.amount ?? 0);
/** What the gateway shows as captured, over all of the order's payments. */
const captured = (order: OrderView): number => order.payments.reduce((sum, payment) => sum + kr(payment.capturedAmount), 0);

/**
 * An order with a choice, as the seed's Items rows allow: a group of two vehicles (one selected by
 * default) and an optional extra not selected. The gateway's total is the default selection's (the
 * Helicopter, 1500 kr.); every line's sum would be 4000 kr.
 */
const CHOICE_ITEMS = [
  { name: 'Helicopter', amount: '1500', group: 'Flying vehicles', selected: true },
  { name: 'Glider', amount: '2000', group: 'Flying vehicles' },
  { name: 'Parachute', amount: '500', optional: true },
];

describe('Pei adapter against an independent Pei, round seven', () => {
  const harness = independentPeiHarness('-7');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  // ---- the buyer's choice: Pei charges less than the order's amount -------------------------------

  const CHOICES: [string, Partial<IndependentPeiOptions>, Partial<IndependentPeiOptions>?][] = [
    ['its postback re-read (amounts as strings, PascalCase, status words)', { numbersAs: 'string', keyCase: 'pascal', statusWords: WORDS }],
    ['reconciliation alone (no postback)', { sendPostback: false }],
    ['a postback to the URL the gateway signed, reads showing only the seed\'s Order fields', { readShowsPurchase: false }],
  ];

  describe.each(CHOICES)('the buyer choosing the Glider without the Parachute, seen through %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('CREATED shows the default selection\'s amount and nothing captured; CAPTURED shows what Pei charged (2000 kr.), never more', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      expect(kr(order.total)).toBe(1500);
      expect(captured(order)).toBe(0);
      const stored = pei.orders.get(order.providerOrderId!)!;
      expect(stored.amount).toBe(1500);
      const waiting = await readAt(gateway, order.id);
      expect(captured(waiting)).toBe(0);

      await pei.confirm(stored.orderId, ['Glider']);
      expect(stored.charged).toBe(2000);
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(done)).toBe(stored.charged);
      expect(kr(done.payments[0]!.amount)).toBe(stored.charged);
      expect(done.payments[0]!.status).toBe('CAPTURED');
      // The history's CAPTURED event carries the same figure.
      expect(kr(done.events.find((event) => event.status === 'CAPTURED')?.amount)).toBe(stored.charged);
      // Once more after a while (reconciliation, a postback's re-read): the figure stays what Pei charged.
      await sleep(400);
      const later = await readAt(gateway, order.id);
      expect(later.status).toBe('CAPTURED');
      expect(captured(later)).toBe(stored.charged);
      expect(later.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it.runIf(variation === CHOICES[0]![1])('the buyer keeping the default (Helicopter and the Parachute): 2000 kr. captured; the default alone: 1500 kr.', async () => {
      for (const [chosen, charge] of [[['Helicopter', 'Parachute'], 2000], [['Helicopter'], 1500]] as const) {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!, [...chosen]);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(charge);
      }
    });
  });

  describe('a Pei charging the order\'s Amount as submitted (the seed: "TotalAmount of purchase"; the buyer keeps the default)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({});
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed in the domain (domain/line-choices.ts): the gateway's total of an order was
    // every line's sum, and the Pei adapter sent it as Amount, alternatives and unticked optional
    // lines included: 4000 kr. here, where the seed's Items rows make the purchase as created the
    // default selection (the Helicopter, 1500 kr.: "only one of them selected by the buyer"; an
    // optional item is selected only when IsDefaultSelected). A Pei that charges the Amount it was
    // given (as our own sandbox does) charged the buyer for both vehicles and the parachute, and a
    // client could not send the right Amount either (not the items' sum: BAD_USER_INPUT).
    it('Pei is asked for the default selection\'s total, not every alternative\'s; a client\'s amount is that total', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      expect(kr(order.total)).toBe(1500);
      expect(pei.orders.get(order.providerOrderId!)!.amount).toBe(1500);
      await pei.confirm(order.providerOrderId!, ['Helicopter']);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(1500);

      const stated = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS, amount: '1500' }) }, shop);
      expect(kr(stated.createOrder.total)).toBe(1500);
      const everyLine = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS, amount: '4000' }) }, shop);
      expect(everyLine.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    });
  });

  describe('the buyer\'s choice at a Pei without Get order (404 for every id): the listing is all that shows the charge', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ getOrderRoute: 404 });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('past its expiry the order is CAPTURED for what Pei charged, and a back office listing of the day shows the same', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS, expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!, ['Helicopter']);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 4 * 60_000);
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(done)).toBe(1500);
      const day = new Date().toISOString().slice(0, 10);
      const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, await laterBackOffice());
      const entry = listed.orders.nodes.find((node) => node.id === order.id);
      expect(entry?.status).toBe('CAPTURED');
      expect(captured(entry!)).toBe(1500);
    });
  });
  // ---- "not in the listing, so EXPIRED": the listing of the days Pei filed it under ---------------

  describe('a Pei without Get order (404 for every id) filing orders under its own local date, five hours behind UTC', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ getOrderRoute: 404, listDayZoneHours: -5 });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('an order made at 02:00 UTC (filed under the day before) that the buyer paid is CAPTURED past its expiry, never EXPIRED', async () => {
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      const tomorrow = new Date(Date.now() + 24 * 3_600_000);
      vi.setSystemTime(Date.parse(`${tomorrow.toISOString().slice(0, 10)}T02:00:00Z`));
      const laterShop = await tokenFor('orders:create', 'shop-independent-pei-7');
      const paid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, laterShop)).createOrder;
      const unpaid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, laterShop)).createOrder;
      // Its postback cannot be checked against a read Pei does not serve: only the listing can show the payment.
      await pei.confirm(paid.providerOrderId!);
      vi.setSystemTime(Date.now() + 6 * 60_000);
      const token = await laterBackOffice();
      const until = (id: string, status: string) =>
        eventually(async () => {
          const { order } = await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, token);
          return order.status === status ? order : undefined;
        }, 4000);
      await until(unpaid.id, 'EXPIRED');
      const done = await until(paid.id, 'CAPTURED').catch(async () => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: paid.id }, token)).order);
      expect(done.status).toBe('CAPTURED');
      expect(done.events.map((event) => event.status)).not.toContain('EXPIRED');
      expect(captured(done)).toBe(5000);
    });
  });
  // ---- a listing holding a line Pei's own figures cannot make whole krónur of ------------------------

  describe('a day\'s listing holding an order made outside the gateway whose line has no Amount (optional in the seed) and 0.35 Kg. at 9990 kr.', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({});
    });
    afterAll(() => gateway?.close());

    it('the back office listing still answers, with the day\'s other orders', async () => {
      const when = new Date(`${new Date(Date.now() - 12 * 86_400_000).toISOString().slice(0, 10)}T12:00:00Z`);
      const day = when.toISOString().slice(0, 10);
      const made = (orderId: string, amount: number, items: Record<string, unknown>[]): StoredOrder => ({ orderId, merchantId: 4, amount, reference: orderId, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items, created: when });
      const plain = `outside-plain-${Math.random().toString(36).slice(2, 10)}`;
      const weighed = `outside-weighed-${Math.random().toString(36).slice(2, 10)}`;
      pei.orders.set(plain, made(plain, 7000, [{ name: 'Lopapeysa', amount: 7000 }]));
      // 0.35 x 9990 = 3496.5 kr.: not a figure ISK has; the order's Amount (the charge) is Pei's 3497.
      pei.orders.set(weighed, made(weighed, 3497, [{ name: 'Harðfiskur', quantity: 0.35, unit: 'Kg.', unitPrice: 9990 }]));
      const listed = await gql<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.orders.nodes.find((node) => node.providerOrderId === plain)).toMatchObject({ status: 'CREATED', total: { amount: '7000' } });
      // The odd one is left out (reported) rather than shown with a line amount rounded by guess.
      const odd = listed.data!.orders.nodes.find((node) => node.providerOrderId === weighed);
      if (odd) expect(odd.items.every((item) => Number.isInteger(Number(item.amount.amount)))).toBe(true);
    });
  });
  // ---- the seed's literal postback at two gateway instances at once, reads slow and out of order ---

  /** The seed's example postback, character for character, with only its ids changed (the `.` typo kept: not JSON). */
  const seedPostback = (order: StoredOrder) =>
    `{ "orderId" : "${order.orderId}". "purchaseId" : ${order.purchaseId}, "mandateId" : "${order.mandateId ?? ''}" }`;
  /** The order's signed postback URL at another gateway instance (same path and query, its own origin). */
  const at = (gateway: Gateway, postbackUrl: string) => {
    const url = new URL(postbackUrl);
    return `${gateway.url.replace(/\/graphql$/, '')}${url.pathname}${url.search}`;
  };

  describe.each([
    ['status words', { statusWords: WORDS }],
    ['reads carrying only the seed\'s Order fields', { readShowsPurchase: false }],
  ] as [string, Partial<IndependentPeiOptions>][])('the seed\'s literal postback, twice at each of two gateway instances at once, Pei\'s reads slow and out of order (%s)', (_name, variation) => {
    let gateway: Gateway;
    let other: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ ...variation, sendPostback: false });
      other = await harness.parts.env.startGateway({
        pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
        reconcileIntervalMs: 150,
      });
    });
    afterAll(async () => {
      await other?.close();
      await gateway?.close();
    });

    it('a FIRST order: one CAPTURED, its amount captured once, the mandate kept; a read that left before the buyer paid, answered last, changes nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST' } }) }, shop)).createOrder;
      const stored = pei.orders.get(order.providerOrderId!)!;
      // A read-through that reaches Pei before the buyer pays and is answered 700 ms later; the postbacks' re-reads are answered at once.
      pei.options.readDelaysMs = [700];
      const early = gql<{ order: OrderView }>(other.url, GET_ORDER, { id: order.id }, backOffice);
      await sleep(100);
      await pei.confirm(stored.orderId);
      const body = seedPostback(stored);
      const posts = await Promise.all(
        [gateway, other, gateway, other].map((to) => fetch(at(to, stored.postbackUrl!), { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
      );
      for (const post of posts) expect([200, 202, 204, 429]).toContain(post.status);
      expect(posts.some((post) => post.status < 300)).toBe(true);
      const read = await early;
      expect(read.errors).toBeUndefined();
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      await sleep(400);
      for (const instance of [gateway, other]) {
        const final = await readAt(instance, order.id);
        expect(final.status).toBe('CAPTURED');
        expect(captured(final)).toBe(stored.charged);
        expect(final.payments[0]!.mandateId).toBe(stored.mandateId);
        expect(final.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
        expect(final.events.at(-1)!.status).toBe('CAPTURED');
      }
      expect(done.payments).toHaveLength(1);
    });

    it.runIf(variation.readShowsPurchase === false)('a ONE_OFF order, the Order ID alone posted (the minimal postback), before and after Pei\'s read shows the payment', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const stored = pei.orders.get(order.providerOrderId!)!;
      pei.options.readDelaysMs = [500, 0, 300];
      const body = JSON.stringify(stored.orderId);
      await pei.confirm(stored.orderId);
      const posts = await Promise.all([gateway, other, other, gateway].map((to) => fetch(at(to, stored.postbackUrl!), { method: 'POST', headers: { 'content-type': 'application/json' }, body })));
      for (const post of posts) expect([200, 202, 204, 429]).toContain(post.status);
      await untilAt(gateway, order.id, 'CAPTURED');
      await sleep(400);
      const final = await readAt(other, order.id);
      expect(final.status).toBe('CAPTURED');
      expect(captured(final)).toBe(5000);
      expect(final.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });
  });
  // ---- a listing answered from a report built before the buyer paid, at a Pei without Get order ----

  describe.each([
    ['every order', {}],
    ['its confirmed orders only', { listOnly: 'confirmed' }],
  ] as [string, Partial<IndependentPeiOptions>][])('a Pei without Get order (404 for every id) whose day listing of %s is a report cached 2 s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ ...variation, getOrderRoute: 404, listCacheMs: 2000 });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('an order the buyer paid just before the report was asked again is not made EXPIRED past its expiry: it is CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      const day = new Date().toISOString().slice(0, 10);
      // The day's report is built now, the order waiting (or not on it: nothing confirmed yet).
      await gqlOk(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
      await pei.confirm(order.providerOrderId!); // its postback cannot be checked without Get order
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      // Past the expiry and the gateway's 2 minutes' grace: the cached report still shows it unpaid.
      vi.setSystemTime(Date.now() + 4 * 60_000);
      const done = await eventually(async () => {
        const { order: now } = await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, backOffice);
        return now.status === 'CAPTURED' || now.status === 'EXPIRED' ? now : undefined;
      }, 5000);
      expect(done.status).toBe('CAPTURED');
      expect(done.events.map((event) => event.status)).not.toContain('EXPIRED');
      expect(captured(done)).toBe(5000);
    });
  });
  // ---- Orders/Pay: its postback before its read-back's slow answer ----------------------------------

  describe.each([
    ['reads carrying only the seed\'s Order fields', { readShowsPurchase: false }],
  ] as [string, Partial<IndependentPeiOptions>][])('Orders/Pay answered at once, its read-back answered 800 ms late, its postback meanwhile (%s)', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    it('CAPTURED once, for the amount Pei charged; the postback is taken, not refused', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      pei.options.readDelaysMs = [800];
      const before = pei.postbacks.length;
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      const stored = pei.orders.get(order.providerOrderId!)!;
      expect(['PENDING', 'CAPTURED']).toContain(order.status);
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      await sleep(300);
      const delivered = pei.postbacks.slice(before).filter((delivery) => delivery.url === stored.postbackUrl);
      expect(delivered.length).toBe(1);
      expect(delivered[0]!.status).toBeLessThan(300);
      const final = await readAt(gateway, order.id);
      expect(captured(final)).toBe(stored.charged);
      expect(final.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
      expect(done.payments).toHaveLength(1);
    });
  });
  // ---- a charge at a Pei without Get order: only the listing can show it was made -------------------

  describe('a Pei without Get order (404 for every id)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ getOrderRoute: 404 });
    });
    afterAll(() => gateway?.close());

    it('a Recurring charge Pei makes (and lists) is CAPTURED for its amount, not left PENDING', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant);
      expect(order.status).toBe('PENDING');
      const stored = pei.orders.get(order.providerOrderId!)!;
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      expect(stored.purchaseId).toBeDefined();
      expect(captured(done)).toBe(stored.charged);
      expect(done.payments[0]!.providerReference).toBe(String(stored.purchaseId));
    });

    it('one Pei has not charged yet stays PENDING (nothing listed says otherwise)', async () => {
      pei.options.recurringCharge = 'never';
      try {
        const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant);
        await sleep(800);
        const read = await readAt(gateway, order.id);
        expect(read.status).toBe('PENDING');
        expect(captured(read)).toBe(0);
      } finally {
        pei.options.recurringCharge = 'charged';
      }
    });

    it('an Orders/Pay answered 202 and charged in the background is CAPTURED once Pei lists it so', async () => {
      pei.options.payStatus = 202;
      pei.options.payConfirms = 'later';
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
        expect(order.status).toBe('PENDING');
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(pei.orders.get(order.providerOrderId!)!.charged);
      } finally {
        pei.options.payStatus = 200;
        pei.options.payConfirms = 'atOnce';
      }
    });
  });
  describe('a Pei without Get order (404 for every id) writing status words, declining a Recurring charge', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ getOrderRoute: 404, statusWords: WORDS, recurringCharge: 'declined' });
    });
    afterAll(() => gateway?.close());

    it('listed with the attempt\'s purchase id beside "Declined": stays PENDING, nothing captured', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant);
      await eventually(async () => pei.orders.get(order.providerOrderId!)!.declined === true, 2000);
      await sleep(800);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(read.providerStatus).toBe('Declined');
      expect(captured(read)).toBe(0);
    });
  });
  // ---- Get order answered as a list of one ------------------------------------------------------------

  describe('a Pei answering Get order as a list of the orders with that id ([{...}], [] for none)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readShape: 'array', statusWords: WORDS });
    });
    afterAll(() => gateway?.close());

    it('a waiting order stays CREATED on re-reads; the buyer confirming makes it CAPTURED for its amount', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      await sleep(300);
      const waiting = await gql<{ order: OrderView }>(gateway.url, GET_ORDER, { id: order.id }, backOffice);
      expect(waiting.errors).toBeUndefined();
      expect(waiting.data!.order.status).toBe('CREATED');
      expect((await pei.confirm(order.providerOrderId!))?.status).toBeLessThan(300);
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(done)).toBe(5000);
    });

    it('a read answering another order than the one asked for (a list of one that is not it) is no read of it: a waiting order stays CREATED', async () => {
      const { createOrder: paid } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      await pei.confirm(paid.providerOrderId!);
      await untilAt(gateway, paid.id, 'CAPTURED');
      const { createOrder: waiting } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
      pei.options.readAnswersWith = paid.providerOrderId!;
      try {
        await sleep(500); // reconciliation re-reads the waiting order meanwhile
        await gql(gateway.url, GET_ORDER, { id: waiting.id }, backOffice);
        const read = await readAt(gateway, waiting.id);
        expect(read.status).toBe('CREATED');
        expect(captured(read)).toBe(0);
      } finally {
        pei.options.readAnswersWith = undefined;
      }
    });

    it('a Recurring charge is CAPTURED; a postback naming an order Pei does not have ([]) changes nothing (401)', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant);
      await untilAt(gateway, order.id, 'CAPTURED');
      const forged = await fetch(`${gateway.url.replace(/\/graphql$/, '')}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'nosuchorder0000000000000000000000', purchaseId: 1 }) });
      expect(forged.status).toBe(401);
    });
  });
  // ---- a charge posted back inside its own request, its answer then lost -----------------------------

  describe.each([
    ['reads carrying the purchase', {}],
    ['reads carrying only the seed\'s Order fields', { readShowsPurchase: false }],
  ] as [string, Partial<IndependentPeiOptions>][])('a Recurring charge posted back before Pei answers the submit, the answer then lost (500), %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ ...variation, postbackTiming: 'beforeAnswer' });
    });
    afterAll(() => gateway?.close());

    it('the mandate is charged once; the order ends CAPTURED for its amount (the retry with its key answers it)', async () => {
      const input = recurring({ idempotencyKey: `posted-lost-${Math.random()}` });
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const made = [...pei.orders.values()].find((order) => order.reference === input['reference'])!;
      expect(made.purchaseId).toBeDefined();
      expect(pei.postbacks.find((delivery) => delivery.url === made.postbackUrl)).toBeDefined();
      const id = first.data?.createOrder.id ?? (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder.id;
      const done = await untilAt(gateway, id, 'CAPTURED');
      expect(harness.callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
      expect(done.providerOrderId).toBe(made.orderId);
      expect(captured(done)).toBe(made.charged);
    });
  });
  // ---- Pei's "Expired" beside a purchase -------------------------------------------------------------

  describe('a Pei whose status word puts the date first (past its ExpirationDate a paid order reads Expired, beside its purchase id)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, statusDateFirst: true, sendPostback: false }, { reconcileIntervalMs: 60_000 });
    });
    afterAll(() => gateway?.close());
    afterEach(() => void vi.useRealTimers());

    it('an order the buyer paid at the edge, first read past its date: never EXPIRED with nothing captured; Pei\'s postback then makes it CAPTURED', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop);
      const stored = pei.orders.get(order.providerOrderId!)!;
      await pei.confirm(stored.orderId); // its postback is held back
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 3 * 60_000);
      const read = await readAt(gateway, order.id);
      expect(read.status).not.toBe('EXPIRED');
      // Pei's own postback (to the URL the gateway signed), late.
      const posted = await fetch(stored.postbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: stored.orderId, purchaseId: stored.purchaseId }) });
      expect(posted.status).toBeLessThan(300);
      const done = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(done)).toBe(stored.charged);
    });

    it('an order nobody paid is still EXPIRED past its date', async () => {
      const { createOrder: order } = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop);
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      vi.setSystemTime(Date.now() + 3 * 60_000);
      expect((await readAt(gateway, order.id)).status).toBe('EXPIRED');
    });
  });
});
