/**
 * Round twelve of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Round eleven read what Pei's postbacks to the URL the
 * gateway signed say; this round takes that URL and those words where the seed is looser than the
 * adapter's picture of them, and round eleven's leftover:
 *   - the PostbackUrl ("A URL that the Order ID and more will be posted to"): a Pei adding the
 *     order id to the URL's query, as a URI builder does (`&orderId=...`) or by concatenation
 *     (`${postbackUrl}?orderId=...`, a second `?`);
 *   - the word a Pei posting every change posts for the buyer's confirmation: the seed names none
 *     ("when the buyer confirms"), and a Pei's own (`Approved`, Icelandic `Greitt`) is as faithful
 *     as `Confirmed`; and its words for a refused charge other than `Declined` (`Hafnað`,
 *     `PAYMENT_FAILED`);
 *   - Orders/Pay's answer (the seed shows its Output empty) as the order id alone, a bare JSON
 *     string (ASP.NET's `return Ok(order.OrderId)`), at a Pei listing the purchase at once or
 *     only after a while;
 *   - what Pei charged once the buyer chose among the order's items (the seed's GroupName,
 *     IsOptional, IsDefaultSelected): round seven's Pei showed the charge as its reads' `amount`;
 *     a Pei echoing the Order as the merchant submitted it shows the Amount submitted, and may
 *     post what it charged as `amount` ("the Order ID and more"), or not;
 *   - a later charge under the purchase id of an attempt Pei's signed `Declined` named, its
 *     postback lost (round eleven's leftover).
 * Found and fixed in src/providers/pei (see each describe):
 *   - the concatenated `?orderId=...` ran into the MAC's value, so the URL vouched for nothing:
 *     Pei's confirmation was refused (401) where its read cannot say (the paid order CREATED until
 *     its expiry), and its `Declined` was judged as anyone's postback, the read naming the
 *     attempt's purchase made the order CAPTURED while Pei charged nothing (postback-url.ts
 *     vouchedOrder reads the MAC up to the first character base64url does not use);
 *   - round eleven took every word the gateway does not know that does not say paid for a
 *     refusal, so the buyer's confirmation posted as `Approved` beside its purchase noted the paid
 *     purchase as refused: every later read was judged without it, and past its date the order was
 *     EXPIRED (final) with nothing captured while Pei had charged it. Now only words for refused
 *     are a refusal (wire.ts postbackWord, meansRefused); another word is one the gateway does not
 *     know (CONTRACT §7): the order keeps its status with Pei's word, the purchase noted with it
 *     (webhook.ts heldBy), and reads without a word are read as that word (mapping.ts
 *     observationOfOrder, heldPurchasesOf), neither confirmed nor expired by the date;
 *   - Orders/Pay answered with a bare id was unreadable: the charge Pei had made was looked for in
 *     the day's listing as a lost answer's, and where the listing did not show it yet createOrder
 *     failed (PROVIDER_UNAVAILABLE) while the buyer was charged (wire.ts PeiPaid, bareOrderId: a
 *     string shaped like Pei's ids is the order id);
 *   - at a Pei whose reads keep the Amount submitted, the gateway showed the default selection's
 *     amount captured (2000 kr.) where Pei charged 1500 (more than Pei moved) or 2500. A signed
 *     postback's `amount` is now what Pei charged where the read shows the Amount the order was
 *     submitted with (wire.ts PeiPostback amount, webhook.ts chargedAs), noted for the purchase
 *     (mapping.ts chargedAmountsOf) so later reads agree; a read showing another amount shows the
 *     charge itself and is taken as it is.
 * Also (review): the postback's word is classified once (wire.ts postbackWord, PeiPostback.says);
 *   round ten's saysUnconfirmed and round eleven's postbackSays and saysMade each classified it.
 * Left: a later charge under a refused purchase's own id whose postback is lost stays PENDING (an
 *   it.fails: nothing the seed shows tells it from the refused attempt; where reads write the word
 *   it is CAPTURED). At a Pei whose reads keep the Amount submitted and whose postback carries no
 *   amount (or is lost, or unsigned), the default selection's amount is shown captured whatever
 *   the buyer chose (an it.fails: nothing Pei shows says what was charged). An order whose
 *   confirmation Pei posts under a word the gateway does not know is never CAPTURED by it: it
 *   stays CREATED (or PENDING) with Pei's word, re-read for 3 days, until a word it knows comes; a
 *   refusal posted under a word outside meansRefused's list is held alike, not noted refused (a
 *   wordless read naming it neither confirms it nor expires it by its date); such a word beside no
 *   purchase id at all is acknowledged and nothing noted (the order expires at its date where its
 *   reads cannot say). A Pei that drops the PostbackUrl's query altogether leaves every postback
 *   unsigned (judged by the read alone, as any postback to the bare URL: a signature in the path
 *   would need the webhook route, src/server, to change).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';
import { captured } from '../support/captured.js';


describe('Pei adapter against an independent Pei, round twelve', () => {
  const harness = independentPeiHarness('-12');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring, callsTo } = harness;
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

  // ---- a word of Pei's own for the buyer's confirmation -------------------------------------------

  describe.each([
    ["its reads the seed's Order fields (no word; the purchase once made)", {}],
    ['its reads without the purchase either', { readShowsPurchase: false }],
  ] as const)("a Pei posting every change whose word for the buyer's confirmation is its own (`Approved`), %s", (_name, reads) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', confirmedWord: 'Approved', ...reads });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts postbackWord, webhook.ts heldBy, mapping.ts observationOfOrder): round
    // eleven took every word the gateway does not know that does not say paid for a refusal, so
    // the buyer's confirmation posted as `Approved` noted the paid purchase as refused: every
    // later read was judged without it, and once past its date the order was EXPIRED (final) with
    // nothing captured while Pei had charged 5000 kr. Now the word is one the gateway does not know
    // (CONTRACT §7): the order keeps its status, Pei's word shown, and is not expired by its date.
    it('the buyer confirming, posted back as Approved: acknowledged, CREATED with Pei\'s word, and not EXPIRED once past its date', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 60_000).toISOString() }) }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBe(200);
      await sleep(400);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED', providerStatus: 'Approved' });
      // Pei's date passes (the buyer paid at its edge); the gateway's re-reads go on every 150 ms.
      pei.orders.get(order.providerOrderId!)!.expirationDate = new Date(Date.now() - 5 * 60_000);
      await sleep(700);
      const read = await readAt(gateway, order.id);
      expect(read.status).toBe('CREATED');
      expect(read.providerStatus).toBe('Approved');
      expect(read.events.map((event) => event.status)).not.toContain('EXPIRED');
    });

    it('the buyer pressing Cancel, posted back as Cancelled: CANCELLED, as before', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect((await pei.cancel(order.providerOrderId!))?.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CANCELLED'))).toBe(0);
    });
  });

  describe.each(['Declined', 'Hafnað', 'PAYMENT_FAILED'])('a Pei posting every change declining a Recurring charge as `%s`, its reads showing the attempt\'s purchase id and no word', (word) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackOn: 'everyChange', recurringCharge: 'declined', declinedWord: word }, { reconcileIntervalMs: 500 });
    });
    afterAll(() => gateway?.close());

    // Round eleven's refusal still noted for Pei's words for refused (wire.ts meansRefused).
    it('stays PENDING at every re-read, never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      await sleep(400);
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.declined).toBe(true);
      expect(pei.postbacks.filter((delivery) => delivery.url === made.postbackUrl).map((delivery) => delivery.status)).toEqual([200]);
      await sleep(1100);
      const read = await readAt(gateway, order.id);
      expect(read).toMatchObject({ status: 'PENDING', providerStatus: word });
      expect(captured(read)).toBe(0);
    });
  });

  // ---- Orders/Pay answered with the order id alone ------------------------------------------------

  describe.each([
    ['listing it at once', { listLagMs: 0 }],
    ['listing it only after a while (a report from a replica)', { listLagMs: 60_000 }],
  ] as const)('a Pei answering Orders/Pay with the order id alone as a JSON string (`"fdfQQ33..."`), %s', (_name, listing) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ payAnswer: 'bareOrderId', ...listing });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts PeiPaid): the seed shows no output for Orders/Pay, and ASP.NET's
    // `return Ok(order.OrderId)` writes the id as a bare JSON string. Before, that answer was
    // unreadable: the charge Pei had made was looked for in the day's listing as a lost answer's,
    // and where the listing did not show it yet, createOrder failed (PROVIDER_UNAVAILABLE) while
    // the buyer was charged.
    it('the purchase is answered CAPTURED, read back from Pei by the id answered, with no listing searched', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const input = purchase();
      const before = pei.calls.length;
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
      expect(order.status).toBe('CAPTURED');
      const made = pei.orders.get(order.providerOrderId!)!;
      expect(made.reference).toBe(input['reference']);
      expect(captured(order)).toBe(5000);
      expect(order.payments[0]?.providerReference).toBe(String(made.purchaseId));
      expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
      // The listing is looked at only before the call (what Pei held under the client's reference), never for a lost answer after it.
      const calls = pei.calls.slice(before);
      const pay = calls.findIndex((call) => call.path === '/api/orders/pay');
      expect(calls.slice(pay).filter((call) => call.method === 'GET' && call.path.startsWith('/api/orders?')).map((call) => call.path)).toEqual([]);
    });
  });

  // ---- what Pei charged, where its reads keep the Amount submitted ----------------------------------

  /**
   * An order with a choice (the seed's GroupName, IsOptional, IsDefaultSelected): the Helicopter or
   * the Glider, and a Parachute selected by default the buyer may untick. The gateway's total is the
   * default selection's (Helicopter and Parachute, 2000 kr.).
   */
  const CHOICE_ITEMS = [
    { name: 'Helicopter', amount: '1500', group: 'Flying vehicles', selected: true },
    { name: 'Glider', amount: '2000', group: 'Flying vehicles' },
    { name: 'Parachute', amount: '500', optional: true, selected: true },
  ];

  describe.each([
    ['to the URL the gateway signed', {}],
    ['to the URL the gateway signed, its reads without the purchase', { readShowsPurchase: false }],
  ] as const)("a Pei whose reads keep the Amount as submitted, posting what it charged as `amount` (\"the Order ID and more\") %s", (_name, reads) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readAmount: 'submitted', postbackAmount: 'charged', ...reads });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts PeiPostback amount, webhook.ts chargedAs, mapping.ts observationOfOrder):
    // round seven read what Pei charged from its reads' `amount`; a Pei echoing the Order as the
    // merchant submitted it shows the default selection's there, so the gateway showed 2000 kr.
    // captured where Pei charged 1500 (more than Pei moved), and 2000 where it charged 2500.
    it.each([
      [['Helicopter'], 1500],
      [['Glider', 'Parachute'], 2500],
    ] as const)('the buyer choosing %j: CAPTURED for what Pei charged (%i kr.), at the postback and at later reads', async (chosen, charge) => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      expect(Number(order.total.amount)).toBe(2000);
      const delivery = await pei.confirm(order.providerOrderId!, [...chosen]);
      expect(delivery?.status).toBe(200);
      expect(pei.orders.get(order.providerOrderId!)!.charged).toBe(charge);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(charge);
      await sleep(400);
      const later = await readAt(gateway, order.id);
      expect(later.status).toBe('CAPTURED');
      expect(captured(later)).toBe(charge);
    });
  });

  describe("a Pei whose reads keep the Amount as submitted, sending no postback of its own: one posted to the URL the gateway signed (a leaked URL)", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ readAmount: 'submitted', postbackAmount: 'charged', sendPostback: false });
    });
    afterAll(() => gateway?.close());

    // The postback's figure is believed because of the URL it came to, which can leak: one above
    // the most the buyer could choose (the dearer vehicle and the Parachute, 2500 kr.) is not
    // taken, and the order shows what its reads show. (The buyer keeps the default selection, so
    // Pei charged what the reads show: the harness's closing check holds both ways.)
    it('saying 99,999 kr. were charged, more than any choice adds up to: CAPTURED for the Amount the reads show, at the postback and later', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      const made = pei.orders.get(order.providerOrderId!)!;
      const posted = await fetch(made.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ orderId: made.orderId, purchaseId: made.purchaseId, amount: 99_999 }),
      });
      expect(posted.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(2000);
      await sleep(400);
      expect(captured(await readAt(gateway, order.id))).toBe(2000);
    });
  });

  describe("a Pei whose reads show what it charged (round seven's) and whose postback carries the Amount as submitted", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ postbackAmount: 'submitted' });
    });
    afterAll(() => gateway?.close());

    // A read whose amount is not the one submitted shows the charge itself: the postback's figure does not replace it.
    it('the buyer unticking the Parachute: CAPTURED for the 1500 kr. Pei charged, as its read says', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      expect((await pei.confirm(order.providerOrderId!, ['Helicopter']))?.status).toBe(200);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(1500);
    });
  });

  describe("a Pei whose reads keep the Amount as submitted and whose postback carries no amount", () => {
    let gateway: Gateway;
    beforeAll(async () => {
      // Not the harness's gatewayFor: its closing money check would fail the suite on what this
      // it.fails shows (the figure is asserted in the test instead).
      pei.reset({ readAmount: 'submitted' });
      gateway = await harness.parts.env.startGateway({
        pei: { url: pei.url, tokenUrl: pei.tokenUrl, clientId: pei.clientId, clientSecret: pei.clientSecret, merchantId: pei.merchantId, checkoutUrl: pei.checkoutUrl },
        reconcileIntervalMs: 150,
      });
    });
    afterAll(() => gateway?.close());

    // LEFT: nothing Pei shows says what the buyer chose: its reads echo the Amount submitted (the
    // seed's Order has no field for what was charged), and the seed's postback carries ids only.
    // The gateway shows the default selection's amount captured, more or less than Pei charged.
    it.fails('the buyer unticking the Parachute: CAPTURED for the 1500 kr. Pei charged', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!, ['Helicopter']);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(1500);
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
