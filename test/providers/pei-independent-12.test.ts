/**
 * Round twelve of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Round eleven read what Pei's postbacks to the URL the
 * gateway signed say; this round takes that URL and those words where the seed is looser than the
 * adapter's picture of them, and round eleven's leftover:
 *   - the PostbackUrl ("A URL that the Order ID and more will be posted to"): a Pei adding the
 *     order id to the URL's query, as a URI builder does (`&orderId=...`) or by concatenation
 *     (`${postbackUrl}?orderId=...`, a second `?`);
 *   - a later charge under the purchase id of an attempt Pei's signed `Declined` named, its
 *     postback lost (round eleven's leftover).
 * Found and fixed in src/providers/pei (see each describe):
 *   - the concatenated `?orderId=...` ran into the MAC's value, so the URL vouched for nothing:
 *     Pei's confirmation was refused (401) where its read cannot say (the paid order CREATED until
 *     its expiry), and its `Declined` was judged as anyone's postback, the read naming the
 *     attempt's purchase made the order CAPTURED while Pei charged nothing (postback-url.ts
 *     vouchedOrder reads the MAC up to the first character base64url does not use).
 * Left: a later charge under a refused purchase's own id whose postback is lost stays PENDING (an
 *   it.fails: nothing the seed shows tells it from the refused attempt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness } from '../support/independent/pei-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What the gateway shows as captured, over all of the order's payments, in whole krónur. */
const captured = (order: OrderView): number => order.payments.reduce((sum, payment) => sum + Number(payment.capturedAmount?.amount ?? 0), 0);

describe('Pei adapter against an independent Pei, round twelve', () => {
  const harness = independentPeiHarness('-12');
  const { gatewayFor, readAt, untilAt, oneOff, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- the order id added to the PostbackUrl -------------------------------------------------------

  describe("a Pei adding the order id to the PostbackUrl's query by concatenation (`${postbackUrl}?orderId=...`), its reads the seed's Order fields without the purchase", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackUrlQuery: 'concatenated', readShowsPurchase: false });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (postback-url.ts vouchedOrder): the `?orderId=...` Pei added ran into the
    // MAC's value (`sig=<MAC>?orderId=...`), so the URL vouched for nothing; the read cannot say,
    // so Pei's confirmation was refused as forged (401) and, Pei not posting again, the paid order
    // waited CREATED until its expiry.
    it('the buyer confirming: the postback acknowledged (200), CAPTURED through it', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });

    it('a postback to the bare URL with the same concatenation (no MAC): still refused, the order CREATED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const made = pei.orders.get(order.providerOrderId!)!;
      const forged = await fetch(`${gateway.url}/webhooks/pei?orderId=${made.orderId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: 966127 }),
      });
      expect([401, 429]).toContain(forged.status);
      // Nor one whose MAC is another order's with Pei's concatenation after it.
      const other = new URL(made.postbackUrl!);
      other.searchParams.set('order', 'someone-else');
      const borrowed = await fetch(`${other.toString()}?orderId=${made.orderId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: 966127 }),
      });
      expect([401, 429]).toContain(borrowed.status);
      await sleep(300);
      expect((await readAt(gateway, order.id)).status).toBe('CREATED');
    });
  });

  describe('a Pei adding the order id by concatenation and posting every change with its word, its reads showing the attempt\'s purchase id and no word', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackUrlQuery: 'concatenated', postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (postback-url.ts): the refusal's postback vouched for nothing, so round
    // eleven's note of the refused purchase was never made; judged as anyone's postback beside a
    // read naming that purchase without a word, the `Declined` itself made the order CAPTURED
    // while Pei charged nothing.
    it('a Recurring charge declined, posted back as Declined: stays PENDING, never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      await sleep(1500);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(captured(read)).toBe(0);
      expect(read.events.map((event) => event.status)).not.toContain('CAPTURED');
    });
  });

  describe("a Pei adding the order id to the PostbackUrl's query as a URI builder does (`&orderId=...`), its reads without the purchase", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackUrlQuery: 'added', readShowsPurchase: false });
    });
    afterAll(() => gateway?.close());

    it('the buyer confirming: CAPTURED through the postback (an added parameter is no part of the MAC)', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
    });
  });

  // ---- round eleven's leftover: a later charge under the refused purchase's own id -----------------

  describe("a Pei declining a Recurring charge and later charging it under the same purchase id, that postback lost", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 500 });
    });
    afterAll(() => gateway?.close());

    // LEFT (round eleven's leftover, decided from the seed): the purchase Pei's signed `Declined`
    // named is noted refused, and a read without a word naming it is read as not confirmed. Pei
    // charging later under that same id shows in such a read as nothing new: the seed's Order has
    // no field that changes with the charge (its fields are the submitted ones; the purchase id is
    // the same), a status number is not believed (the seed numbers none, and the number after a
    // refusal may as well be Expired's or Cancelled's), and the listing carries the same fields.
    // Whatever would confirm here would confirm a declined attempt just as well (round eleven's
    // finding), so the order waits PENDING (re-read for 3 days) unless that postback comes.
    it.fails('the charge under the refused id, its Confirmed lost: CAPTURED at reconciliation', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect((await readAt(gateway, order.id)).status).toBe('PENDING');
      made.declined = false;
      made.charged = made.amount;
      made.confirmedAt = Date.now();
      // No postback: it is lost. Reconciliation re-reads every 500 ms.
      const paid = await untilAt(gateway, order.id, 'CAPTURED', 2500);
      expect(captured(paid)).toBe(5000);
    });

    it('the same at a Pei whose reads write the word: the read says Confirmed, CAPTURED at reconciliation', async () => {
      await gateway.close();
      gateway = await gatewayFor(
        { postbackOn: 'everyChange', recurringCharge: 'declined', statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } },
        { reconcileIntervalMs: 500 },
      );
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect((await readAt(gateway, order.id)).status).toBe('PENDING');
      made.declined = false;
      made.charged = made.amount;
      made.confirmedAt = Date.now();
      const paid = await untilAt(gateway, order.id, 'CAPTURED', 2500);
      expect(captured(paid)).toBe(5000);
      expect(paid.payments[0]?.providerReference).toBe(String(made.purchaseId));
    });
  });
});
