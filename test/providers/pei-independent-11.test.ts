/**
 * Round eleven of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Round ten let Pei post back every change of an order
 * with its word ("the Order ID *and more* will be posted"), and read that word only to refuse a
 * confirmation; this round takes what such postbacks to the URL the gateway signed say beside reads
 * that say less, or the same, and what a Pei posting every change posts besides:
 *   - the buyer pressing Cancel on Pei's page (the seed's CancelReturnUrl: "if he cancels the
 *     purchase"), posted back as `Cancelled`, at a Pei whose reads carry the seed's Order fields
 *     (no status word): round ten's leftover, the order CREATED until its expiry, then EXPIRED;
 *   - a charge without the buyer (a Recurring order, "will be automatically charged"; an
 *     Orders/Pay answered 202) attempted and declined, posted back `Declined` beside the attempt's
 *     purchase id, at a Pei whose reads show that purchase id and no word (round ten took reads
 *     that show no purchase at all); a later attempt that goes through, and the refusal posted late;
 *   - the status in the postback as its enum's number (`"status": 3`: System.Text.Json writes an
 *     enum so unless given a JsonStringEnumConverter; the seed numbers no status);
 *   - the order's making posted too (`Pending`, right after Submit or Orders/Pay answered), a
 *     moment before a charge without the buyer is made and posted;
 *   - the same postbacks at a Pei whose reads do write the word: Pei's postback and read agree.
 * Found and fixed in src/providers/pei (see each describe):
 *   - a signed `Declined` beside a read naming the attempt's purchase id without a word was taken
 *     for the confirmation, by the postback itself and by every later read (and by an unsigned
 *     postback's re-read): CAPTURED while Pei charged nothing. The refused purchase is now noted on
 *     the order (webhook.ts refusalOf, mapping.ts refusedPurchasesOf / observationOfOrder); a signed
 *     word for paid naming it still confirms it, and a late refusal of an earlier attempt is
 *     acknowledged (was 401) and leaves the read's purchase alone;
 *   - a signed `Cancelled` whose read and postback name no purchase was acknowledged and not acted
 *     on: now CANCELLED at once (webhook.ts signedWord);
 *   - a signed postback whose status is a number and names no purchase (the buyer's Cancel as
 *     `status: 3`) was a confirmation beside a read that cannot say: CAPTURED with nothing charged
 *     (wire.ts PeiPostback statusUnread, webhook.ts);
 *   - the making's signed postback took the order's one re-read per interval (the webhook hint's
 *     lease), so the charge's `Confirmed` 50 ms later was turned away (429); Pei not posting again,
 *     at a Pei whose reads cannot say the charge was never shown. Now acknowledged without a read
 *     and without the lease (webhook.ts, wire.ts saysMade);
 *   - a signed postback whose read writes the same word (`Cancelled`) was refused as forged (401):
 *     now acknowledged, the read's word taken.
 * Why CANCELLED is safe: the postback is Pei's (the URL is signed for that order, as round ten
 * relies on for a confirmation), Pei's read shows no purchase, and a confirmation that still comes
 * afterwards (a Pei that lets the buyer back in) is kept on the payment's captured amount, as one
 * after EXPIRED is (README, Known limitations), never lost; a confirmed order (CAPTURED) is never
 * moved by a Cancelled (the state machine), and a repeated Cancelled is one fact.
 * Left: a refused purchase noted on the order keeps a read without a word naming it from
 * confirming, so if Pei later charges under that same purchase id and that postback is lost, the
 * order stays PENDING (re-read for 3 days). A read naming a declined attempt before its postback is
 * processed (a re-read in the milliseconds between Pei's refusal and its postback) is still
 * CAPTURED. A status number beside a purchase id (a declined charge's as much as a confirmation's)
 * still confirms where the read cannot say; a confirmation posted as a number *without* a purchase
 * id is no longer one (the order waits for a read that can say, or its expiry). Two signed
 * postbacks of one order within one reconciliation interval other than the making (a `Declined`
 * or `Cancelled`, then a `Confirmed`) shared one re-read, the second answered 429 and lost at a Pei
 * that does not post again where its reads cannot say: fixed after the round, each of the words
 * Pei's postbacks are told by (paid, refused, cancelled, none) has a lease of its own
 * (WebhookHint.vouchedWord, refresh-lease.ts); the same word twice within an interval is still 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';
import { captured } from '../support/captured.js';


describe('Pei adapter against an independent Pei, round eleven', () => {
  const harness = independentPeiHarness('-11');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- a signed Cancelled beside reads without a word --------------------------------------------

  describe("a Pei posting every change of an order with its word, its reads the seed's Order fields (no word; the purchase once made)", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts): acknowledged and nothing believed: CREATED for a day, then EXPIRED.
    it('the buyer pressing Cancel, posted back as Cancelled to the signed URL: CANCELLED at once, through the postback, nothing captured', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect(order.status).toBe('CREATED');
      const delivery = await pei.cancel(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const cancelled = await untilAt(gateway, order.id, 'CANCELLED');
      expect(cancelled.providerStatus).toBe('Cancelled');
      expect(captured(cancelled)).toBe(0);
      expect(cancelled.events.at(-1)).toMatchObject({ status: 'CANCELLED', source: 'WEBHOOK' });
    });

    it('the same Cancelled posted twice: one CANCELLED, the repeat acknowledged and changing nothing', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.cancel(order.providerOrderId!);
      const cancelled = await untilAt(gateway, order.id, 'CANCELLED');
      const made = pei.orders.get(order.providerOrderId!)!;
      await sleep(200); // a signed postback is re-read once per interval (150 ms here): else 429, to be sent again
      const again = await fetch(made.postbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: made.orderId, status: 'Cancelled' }) });
      expect(again.status).toBe(200);
      await sleep(300);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('CANCELLED');
      expect(read.events.filter((event) => event.status === 'CANCELLED')).toHaveLength(cancelled.events.filter((event) => event.status === 'CANCELLED').length);
    });

    it('a Cancelled to the bare URL (not the one the gateway signed): refused, the order still CREATED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const forged = await fetch(`${gateway.url}/webhooks/pei`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order.providerOrderId, status: 'Cancelled' }) });
      expect([401, 429]).toContain(forged.status);
      await sleep(300);
      expect((await readAt(gateway, order.id)).status).toBe('CREATED');
    });

    it('a Cancelled posted (late) for an order the buyer paid: stays CAPTURED with its amount', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CAPTURED');
      const made = pei.orders.get(order.providerOrderId!)!;
      await sleep(200); // once per interval, as above
      const late = await fetch(made.postbackUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: made.orderId, status: 'Cancelled' }) });
      expect(late.status).toBeLessThan(300);
      await sleep(300);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('CAPTURED');
      expect(captured(read)).toBe(5000);
    });

    // Why CANCELLED is safe: a Pei that lets the buyer back in after Cancel and takes the payment
    // (which a Pei saying `Cancelled` should not) still has it shown, as a confirmation after EXPIRED is.
    it('the buyer paying after all, after Cancelled was posted: the payment shows the 5000 kr. Pei charged', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.cancel(order.providerOrderId!);
      await untilAt(gateway, order.id, 'CANCELLED');
      pei.orders.get(order.providerOrderId!)!.cancelled = false;
      await sleep(200); // once per interval, as above
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBeLessThan(300);
      await sleep(300);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('CANCELLED');
      expect(captured(read)).toBe(5000);
    });

    it('a Recurring charge that goes through, posted back as Confirmed: CAPTURED, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
    });
  });

  // ---- a signed Declined beside a read naming the attempt's purchase --------------------------------

  describe("the same Pei declining a Recurring charge, its reads showing the attempt's purchase id and no word", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      // Re-read every second: the refusal's postback (50 ms after the submit) comes before any re-read.
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts judge, mapping.ts): the read names the postback's purchase id and
    // no word, so it read as Confirmed, and the postback agreeing on the purchase id confirmed it:
    // CAPTURED (through the postback) while Pei charged nothing; and once it was not, every later read did.
    it('the refusal posted back as "Declined" with the attempt\'s purchase id: stays PENDING, at the postback and at every later read', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      // order(id) re-reads a waiting order, and reconciliation does every second.
      expect((await readAt(gateway, order.id)).status).toBe('PENDING');
      await sleep(1500);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(read.providerStatus).toBe('Declined');
      expect(captured(read)).toBe(0);
      expect(read.events.map((event) => event.status)).not.toContain('CAPTURED');
      // Nor does an unsigned postback naming that purchase (anyone's), re-read beside the same read.
      await sleep(1100);
      const unsigned = await fetch(`${gateway.url}/webhooks/pei`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: made.purchaseId, mandateId: made.mandateId }),
      });
      expect([200, 429]).toContain(unsigned.status);
      await sleep(300);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'PENDING' });
    });
  });

  describe('the same Pei refusing the Recurring charge inside the request, its refusal posted before Submit answers', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined', postbackTiming: 'beforeAnswer' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    it('the refusal arrives before the order is stored: PENDING, and no later read confirms the attempt', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      expect(order.status).toBe('PENDING');
      await sleep(1500);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(captured(read)).toBe(0);
    });
  });

  describe('the same Pei taking an Orders/Pay (202 Accepted), declining it in the background, its reads showing the purchase id and no word', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', payStatus: 202, payConfirms: 'laterDeclined' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    it('the refusal posted back as "Declined": the purchase stays PENDING, never CAPTURED', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      await sleep(1500);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('PENDING');
      expect(captured(read)).toBe(0);
    });
  });

  describe('the same Pei charging the mandate after it declined once: a later attempt under a new purchase id, posted back as Confirmed', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    it('the second attempt goes through: CAPTURED with its purchase', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      const attempt = made.purchaseId!;
      made.declined = false;
      await sleep(1100); // a signed postback is re-read once per interval (1 s here): else 429
      const delivery = await pei.confirm(made.orderId);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.payments[0]?.providerReference).toBe(String(made.purchaseId));
      // The first attempt's refusal delivered again, late (after the second's confirmation): acknowledged, nothing moves.
      await sleep(1100); // once per interval
      const late = await fetch(made.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: attempt, mandateId: made.mandateId, status: 'Declined' }),
      });
      expect(late.status).toBe(200);
      await sleep(300);
      const read = await readAt(gateway, order.id);
      expect(read).toMatchObject({ status: 'CAPTURED' });
      expect(read.providerStatus).not.toBe('Declined');
      expect(captured(read)).toBe(5000);
      expect(read.payments[0]?.providerReference).toBe(String(made.purchaseId));
    });
  });

  // Found after the round (the lease is the domain's, refresh-lease.ts): a signed postback took
  // the order's one re-read per interval whatever it said, so the Confirmed of an attempt made
  // right after a declined one was turned away (429), and a Pei that does not post again lost it
  // where its reads cannot say. Each of Pei's words now has its lease (WebhookHint.vouchedWord).
  describe('the same Pei confirming a second attempt within the interval of the first one\'s Declined', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 60_000 });
    });
    afterAll(() => gateway?.close());

    it('the Confirmed right after the Declined is read (200): CAPTURED; the same word again within the interval is still turned away (429)', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      made.declined = false;
      const delivery = await pei.confirm(made.orderId);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      // A leaked URL still costs one read per word per interval: the Confirmed sent again is turned away.
      const again = await fetch(made.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: made.purchaseId, mandateId: made.mandateId, status: 'Confirmed' }),
      });
      expect(again.status).toBe(429);
    });
  });

  describe('the same Pei charging the mandate again under the declined attempt\'s own purchase id, posted back as Confirmed', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined' }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    // The purchase noted as refused is Pei's to confirm after all: its signed word for paid does.
    it('the signed Confirmed naming the noted purchase: CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect((await readAt(gateway, order.id)).status).toBe('PENDING');
      made.declined = false;
      made.charged = made.amount;
      await sleep(1100); // once per interval, as above
      const delivery = await fetch(made.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: made.purchaseId, mandateId: made.mandateId, status: 'Confirmed' }),
      });
      expect(delivery.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.payments[0]?.providerReference).toBe(String(made.purchaseId));
    });
  });

  // ---- the making posted back too -----------------------------------------------------------------

  describe('a Pei posting every change, the making too (Pending), its reads without a word or the purchase', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', postbackOnCreate: true, readShowsPurchase: false });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts, the hint): the making's postback took the order's one re-read per
    // interval (refresh-lease.ts: a signed postback's own lease), so the charge's `Confirmed`, 50 ms
    // on, was turned away (429) and Pei does not post again: the re-read then could not say, and
    // the mandate's charge was never shown (PENDING for 3 days, then left).
    it('a Recurring charge made 50 ms after its making was posted: both postbacks acknowledged, CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200, 200]);
    });

    it('an Orders/Pay answered 202 and charged 50 ms on: CAPTURED', async () => {
      await gateway.close();
      gateway = await gatewayFor({ postbackOn: 'everyChange', postbackOnCreate: true, readShowsPurchase: false, payStatus: 202, payConfirms: 'later' });
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
    });

    it('a one-off order: its making acknowledged without a read, the buyer confirming later: CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await sleep(100);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      expect((await readAt(gateway, order.id)).status).toBe('CREATED');
      await pei.confirm(made.orderId);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
    });
  });

  // ---- the postback's status as its enum's number ----------------------------------------------

  describe.each([
    ["reads the seed's Order fields (no word; the purchase once made)", {}],
    ['reads without the purchase either', { readShowsPurchase: false }],
  ] as const)("a Pei posting every change with its status as the enum's number (System.Text.Json's default), %s", (_name, reads) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', postbackStatusAs: 'number', ...reads });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts PeiPostback statusUnread, webhook.ts): a number is no word, so the
    // postback said nothing and, to the URL the gateway signed beside a read that cannot say, was
    // the confirmation: the buyer's Cancel, posted as `{orderId, status: 3}`, made the order
    // CAPTURED with nothing charged.
    it('the buyer pressing Cancel, posted back as `status: 3` without a purchase: acknowledged (200), never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.cancel(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      await sleep(400);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('CREATED');
      expect(captured(read)).toBe(0);
      expect(read.events.map((event) => event.status)).not.toContain('CAPTURED');
    });

    it('the buyer confirming, posted back as `status: 2` with its purchase: CAPTURED through the postback, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });
  });

  // ---- a signed postback agreeing with a read that writes the word --------------------------------

  describe('a Pei posting every change with its word, its reads writing the word too', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } }, { reconcileIntervalMs: 1000 });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (webhook.ts): the read's `Cancelled` was "Pei saying otherwise" than a
    // confirmation: Pei's own postback answered 401 as forged (a Pei retrying until a 2xx posts it
    // again and again; one counting failures may stop posting to the merchant).
    it('the buyer pressing Cancel, posted back as Cancelled: acknowledged (200), CANCELLED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.cancel(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const cancelled = await untilAt(gateway, order.id, 'CANCELLED');
      expect(captured(cancelled)).toBe(0);
    });

    it('the buyer confirming, posted back as Confirmed: CAPTURED, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });
  });
});
