/**
 * Round ten of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Rounds one to nine varied the answers' shapes, names
 * and words, lost answers, lag, listings and where the gateway decides "final"; this one takes four
 * places where the seed's words are looser than the adapter's picture of them, all where money is
 * decided:
 *   - the postback: "A URL that the Order ID *and more* will be posted to when the Order becomes
 *     confirmed". The seed says when Pei posts, not that it posts at no other time. A Pei posting
 *     every change of the order posts its status word with it: when the buyer presses Cancel on
 *     its page (the seed's CancelReturnUrl), and when a Recurring charge ("will be automatically
 *     charged") or an Orders/Pay is attempted and declined, beside the attempt's purchase id;
 *   - the Reference ("String", "A reference in Order in the merchant's system"), which the gateway
 *     finds a charge by when Pei's answer to it is lost: a Pei keeping it in a SQL `CHAR(50)`
 *     column answers it padded with spaces to that width, in reads and listings;
 *   - the order id likewise: the seed's own ids are of two lengths (`fdfQQ33gdgWfgGoP642`, 19;
 *     `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf`, 32), and a `CHAR(n)` column as wide as the longest pads
 *     the shorter in reads and listings, while Submit answers the id as made;
 *   - a subscription's due dates after the first (SubscriptionOptions' Cycles: "How many due dates
 *     there should be"): Pei charging the buyer again on the same order, posting each charge back.
 * Found and fixed in src/providers/pei (see each describe): a postback to the URL the gateway signed
 * was taken for a confirmation whatever it said where Pei's read cannot say (the seed's Order
 * fields only), so a cancelled order and a declined Recurring or Orders/Pay charge were CAPTURED while Pei
 * charged nothing (webhook.ts, wire.ts PeiPostback and saysUnconfirmed); a padded Reference was not
 * the one sent, so an Orders/Pay or a Recurring charge whose answer Pei lost was "not there" once
 * Pei's listing lag bound had passed, and the client's retry charged the buyer, or the mandate,
 * again (wire.ts PeiOptionalString, lost-answer.ts asListed); a padded order id in a read was
 * another order than the one Submit answered, so Pei's postback of the buyer's confirmation moved
 * no order (only reconciliation's read did), and an Orders/Pay found in the listing after its lost
 * answer was stored under the padded id (wire.ts PeiOrderId, listedOrderId).
 * Left: a subscription's later due dates (the seed's SubscriptionOptions), charged by Pei as new
 * purchases on the same order and posted back: the gateway shows the order's total captured once
 * (an it.fails: the domain holds one capture of an order's total). A postback's word is read
 * only to refuse a confirmation; a signed `Cancelled` is acknowledged and not believed, so where Pei's reads carry no word a cancel still shows as
 * EXPIRED at the expiry (README, Assumptions). A read without a status word that names the
 * declined attempt's purchase id is still taken as confirmed at reconciliation, whatever its
 * postback said (the seed gives a read no word to tell them apart); only the postback no longer
 * confirms it.
 * Round eleven (pei-independent-11.test.ts) took both: a signed `Cancelled` with no purchase on
 * either side is CANCELLED at once, and a signed `Declined` notes the attempt's purchase on the
 * order so that neither the postback nor a later read without a word confirms it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';
import { captured } from '../support/captured.js';


describe('Pei adapter against an independent Pei, round ten', () => {
  const harness = independentPeiHarness('-10');
  const { gatewayFor, readAt, untilAt, callsTo, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- a postback on every change, with its word -------------------------------------------------

  describe("a Pei posting every change of an order with its status word, its reads the seed's Order fields (no word)", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts): where the read cannot say (no word, no purchase), a postback to
    // the URL the gateway signed was a confirmation whatever its body said: the buyer's Cancel,
    // posted as `{orderId, status: "Cancelled"}`, made the order CAPTURED with nothing charged.
    it("the buyer pressing Cancel, posted back as Cancelled to the signed URL: acknowledged (200), never CAPTURED", async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      const delivery = await pei.cancel(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      await sleep(400);
      const read = await readAt(gateway, order.id);
      // Round eleven (pei-independent-11.test.ts): CANCELLED at once, where round ten left it CREATED until its expiry.
      expect(read.status).toBe('CANCELLED');
      expect(captured(read)).toBe(0);
      expect(read.events.map((event) => event.status)).not.toContain('CAPTURED');
    });

    it('the buyer confirming, posted back as Confirmed: CAPTURED through the postback, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });
  });

  describe('the same Pei, its reads showing no purchase either, declining a Recurring charge and posting the refusal', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', readShowsPurchase: false, recurringCharge: 'declined' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts, wire.ts saysUnconfirmed): the refusal's postback, `{orderId,
    // purchaseId, mandateId, status: "Declined"}`, to the signed URL beside a read that cannot say,
    // made the charge CAPTURED: the merchant was told the mandate paid, and Pei charged nothing.
    it('a Recurring charge Pei declines, posted back with "Declined" and the attempt\'s purchase id: stays PENDING, never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      // Declined (and posted) 50 ms on.
      await sleep(600);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(captured(read)).toBe(0);
    });
  });

  describe('the same Pei taking an Orders/Pay (202 Accepted), charging the buyer in the background and declining', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', readShowsPurchase: false, payStatus: 202, payConfirms: 'laterDeclined' });
    });
    afterAll(() => gateway?.close());

    // The same finding on Orders/Pay: its refusal posted back to the signed URL made it CAPTURED.
    it('the refusal posted back with "Declined": the purchase stays PENDING, never CAPTURED', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      await sleep(600);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(captured(read)).toBe(0);
    });
  });

  describe('the same Pei, its reads showing no purchase, charging a Recurring order', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', readShowsPurchase: false });
    });
    afterAll(() => gateway?.close());

    it('the charge posted back as Confirmed: CAPTURED through the postback, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
    });
  });

  // ---- the Reference padded to its column's width -------------------------------------------------

  describe('a Pei answering the Reference padded to its CHAR(50) column, in reads and listings', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ referenceWidth: 50 });
    });
    afterAll(() => gateway?.close());

    const retryLater = (input: Record<string, unknown>) => createPastListingLag(gateway.url, input, merchant);

    // FINDING, fixed (wire.ts PeiOptionalString, lost-answer.ts asListed): the lost answer's search
    // compared the listed Reference with the one sent as they came: `ind10-x` and 43 spaces was
    // another order's, so the purchase was "not there" once Pei's listing lag bound had passed, and
    // the retry charged the buyer a second time.
    it('an Orders/Pay whose answer Pei lost (500): the retry finds it under its padded Reference and does not charge again', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const input = purchase({ idempotencyKey: `padded-pay-${Math.random()}` });
      const reference = input['reference'] as string;
      pei.loseNextAnswer('/api/orders/pay', 500);
      // Found at once in the listing (no lag here), or not yet: either way the retry must not charge again.
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
      const retry = await retryLater(input);
      expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
      const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED', reference });
    });

    it("the same under a client's Reference ending in a blank (read back without it): charged once", async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const input = purchase({ idempotencyKey: `padded-blank-${Math.random()}` });
      const reference = `${input['reference'] as string} `;
      input['reference'] = reference;
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await retryLater(input);
      expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
      const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
      expect(retry.data?.createOrder.providerOrderId).toBe(made.orderId);
    });

    it('a Recurring submit whose answer Pei lost (500): the retry finds it and does not charge the mandate again', async () => {
      const input = recurring({ idempotencyKey: `padded-recurring-${Math.random()}` });
      const reference = input['reference'] as string;
      pei.loseNextAnswer('/api/orders', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(200); // charged 50 ms on
      const retry = await retryLater(input);
      expect(callsTo('/api/orders', reference)).toHaveLength(1);
      const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder.providerOrderId).toBe(made.orderId);
    });
  });

  // ---- a subscription's later due dates ---------------------------------------------------------

  describe("a Pei charging a FIRST order's subscription on each due date, as a new purchase on the same order", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({});
    });
    afterAll(() => gateway?.close());

    it('the first payment: CAPTURED with its purchase', async () => {
      const subscription = { startDate: new Date().toISOString().slice(0, 10), frequency: 'MONTH', frequencyInterval: 1, cycles: 3 };
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST', subscription } }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
    });

    // LEFT (it.fails): the seed's SubscriptionOptions ("How many due dates there should be in the
    // subscription") has Pei charge the buyer again on each due date, and does not say how: as a
    // new purchase on the same order is one reading. Its postback (the new purchase id, which the
    // read then shows) is taken as one more sight of the order's confirmation: the order stays
    // CAPTURED with its total, the payment's providerReference moved to the new purchase (the first
    // one's is no longer shown), and the second charge is shown nowhere. Showing it needs the domain
    // to hold more than one capture of an order's total (or a gateway order per due date made by
    // the provider), which is beyond an adapter's fix.
    it.fails('the second due date charged and posted back: the gateway shows both charges (10 000 kr.)', async () => {
      const subscription = { startDate: new Date().toISOString().slice(0, 10), frequency: 'MONTH', frequencyInterval: 1, cycles: 3 };
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ pei: { sequenceType: 'FIRST', subscription } }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');
      const delivery = await pei.chargeDueDate(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      await sleep(400);
      const read = await readAt(gateway, order.id);
      expect(read.payments.map((payment) => payment.providerReference)).toContain(String(pei.orders.get(order.providerOrderId!)!.purchaseId));
      expect(captured(read)).toBe(10_000);
    });
  });

  // ---- the order id padded to its column's width --------------------------------------------------

  describe('a Pei answering the order id padded to its CHAR(40) column in reads and listings (Submit answering it as made)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ orderIdWidth: 40 });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts PeiOrderId): the read's padded id was taken as the order's, another
    // than the one stored: the postback's fact named no order of the gateway's and moved nothing.
    it('the buyer confirming: CAPTURED through the postback, under the order id Submit answered', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.providerOrderId).toBe(order.providerOrderId);
      expect(captured(paid)).toBe(5000);
      expect(paid.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });

    it('the buyer confirming, its postback lost: CAPTURED at the next re-read', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      pei.options.sendPostback = false;
      try {
        await pei.confirm(order.providerOrderId!);
      } finally {
        pei.options.sendPostback = true;
      }
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.providerOrderId).toBe(order.providerOrderId);
    });

    // FINDING, fixed (wire.ts PeiOrderId, listedOrderId): found in the listing, the purchase was stored under its padded id.
    it('an Orders/Pay whose answer Pei lost (500): found in the listing, its id without the padding, charged once', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const input = purchase({ idempotencyKey: `padded-id-${Math.random()}` });
      const reference = input['reference'] as string;
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      const made = [...pei.orders.values()].find((order) => order.reference === reference)!;
      const answer = first.data?.createOrder ?? (await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).data?.createOrder;
      expect(answer).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
      expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
      await sleep(400);
      expect(await readAt(gateway, answer!.id)).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
    });
  });
});
