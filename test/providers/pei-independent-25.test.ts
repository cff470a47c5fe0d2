/**
 * Round twenty-five of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to twenty-four varied what Pei answers
 * (shapes, words, figures, lags, charsets, redirects, id alphabets, MinValue dates, `"null"`) and
 * combined them. This round takes round twenty-four's three leftovers, each on a path where money
 * moves or an order's status is decided, and one reading of "none" beside them:
 *   - other texts for "no value" than `"null"`: a reporting view's `ISNULL(CAST(PurchaseId AS
 *     varchar), 'N/A')` or `'-'`, a template's placeholder, for an unconfirmed order's purchase id
 *     and a MandateId "not applicable", in reads, listings and the postback of a Pei posting every
 *     change (the server's new `noValueText`). The seed says only that "the mandateId should be
 *     null" where it does not apply and shows no read; round twenty-four took the word `null` (and
 *     `None`, `nil`, `<nil>`, `(null)`, `undefined`) and left these, which may be values of free text;
 *   - the status (no field of the seed's Order) unset until the buyer confirms, written as such a
 *     placeholder (`N/A`, or the text `null`) where a status column is nullable; no round took it;
 *   - what Pei charged for the buyer's choice among the order's items (the seed's GroupName,
 *     IsOptional, IsDefaultSelected), posted as `amount` ("the Order ID and more") in is-IS's
 *     `decimal.ToString("N0")` as a single group of `000` (`5.000`: 5 or 5000 kr., both whole
 *     krónur) at a Pei whose reads keep the Amount submitted (round twelve). The seed names no
 *     culture and shows no postback amount;
 *   - a Recurring charge ("will be automatically charged") or an Orders/Pay whose postback Pei sends
 *     before it answers the submit (round two's `beforeAnswer`: the seed says when Pei posts, not
 *     after what), at a Pei writing its figures `5.000`: the gateway learns Pei's order id only
 *     from that answer.
 * Found (run on the adapter before this round's fix) and fixed:
 *   - `N/A`, `n/a`, `-` for an unset purchase id made every read of a waiting order unreadable (a
 *     purchase id is digits): the buyer's Cancel that Pei's read says was never seen (CREATED until
 *     the expiry, then EXPIRED, not CANCELLED); a waiting order made outside the gateway was skipped
 *     by `orders(filter)`; the Cancel's postback (`"purchaseId": "N/A"`) was refused 400, and Pei
 *     does not post again; and a one-off order's payment named a mandate `N/A`, which a client
 *     would take for a card it may charge again. Now a placeholder (src/providers/no-value-text.ts
 *     isPlaceholderText / withoutPlaceholderText: `N/A`, `NA`, `-`, `--`, en and em dashes, and the
 *     words of round twenty-four; shared, additive, read only where the field's own shape cannot
 *     be such text) is none for a Pei purchase id and mandate id (wire-fields.ts PeiPurchaseId,
 *     PeiOptionalId; postback-shape.ts). A client's Reference is read as written;
 *   - a status written `N/A` or `null` was a word the gateway does not know: the order was held with
 *     it, shown with providerStatus `N/A`, and one unpaid past its ExpirationDate was never EXPIRED
 *     (adopted CREATED by `orders(filter)`). Now such a status is no word (status-words.ts
 *     PeiStatusField, statusWordOf; postback-shape.ts writesUnreadStatus): the order is judged by
 *     its purchase and date, as one whose status is JSON's null;
 *   - the postback's `3.000` / `5.000` was unread, so the gateway showed the default selection's
 *     4000 kr. captured where Pei charged 3000 (more than Pei moved) or 5000. Now the one of the two
 *     readings that is a total some choice among the order's lines makes (one alternative of a
 *     group or none, each optional line in or out) is what Pei charged; both or neither stays
 *     unread, never a guess (charged-choice.ts, numeric.ts thousandReadings, postback-shape.ts
 *     amountReadings, webhook.ts chargedAs);
 *   - the charge's postback before the answer found no total noted (the total was noted under Pei's
 *     id once answered), so its re-read of `5.000` was unreadable and the signed postback answered
 *     503; Pei not posting again, a Recurring order stayed PENDING until reconciliation's read (off
 *     here). Now a Recurring charge's or an Orders/Pay's total is noted under the gateway order id
 *     before the submit, in the shared store (so another instance receiving the postback reads it
 *     too), and a postback to the URL signed for that gateway order reads its order beside it where
 *     Pei's id has none yet (submitted-totals.ts noteForOrder / ofOrder, index.ts createOrder,
 *     webhook.ts). The total only tells `5.000`'s two readings apart; the read is judged as any other.
 * Left: a placeholder outside that list (`n.a.`, `tbd`, `0` for a mandate id) is still a value; a
 *   `d.000` postback amount where both readings are choosable (an order with lines of 5 kr. and of
 *   5000 kr.), or of an order with more than 4096 choosable totals, stays unread (the default
 *   selection's total shown, as before); an order made outside the gateway written `5.000` is
 *   still skipped by `orders(filter)` (no total to read it by); a one-off or First order's postback
 *   cannot come before the answer (the buyer needs the page it names), so only charges without the
 *   buyer note a total before the submit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep, today } from '../support/test-time.js';
import { captured } from '../support/captured.js';

/** Round fifteen's order: one line of 5000 kr. (quantity 1), every money figure `5.000` at a Pei writing "N0". */
const ONE_LINE = { items: [{ code: 'HEL1', name: 'Helicopter', quantity: 1, unitPrice: '5000', amount: '5000' }] };
/** Reconciliation out of the way: only the postback (or the listing) can move an order within a test. */
const NO_RECONCILIATION = { reconcileIntervalMs: 60_000 };
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };

describe('Pei adapter against an independent Pei, round twenty-five', () => {
  const harness = independentPeiHarness('-25');
  const { gatewayFor, untilAt, readAt, oneOff, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  /** The order as stored (a GraphQL read of a waiting order would re-read Pei itself). */
  const stored = async (gateway: { store: { orders: { get(id: string): Promise<unknown> } } }, id: string) =>
    (await gateway.store.orders.get(id)) as { status: string; payments: { capturedAmount: { minor: number } }[]; events: { status: string; source: string }[] };
  const capturedStored = (order: { payments: { capturedAmount: { minor: number } }[] }) => order.payments.reduce((sum, payment) => sum + payment.capturedAmount.minor, 0);
  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;

  // ---- round twenty-four's leftover: other texts for "no value" ------------------------------------

  describe.each(['N/A', '-', 'n/a'])('a Pei writing `%s` for unset values in its reads and listings', (text) => {
    // FINDING, fixed (no-value-text.ts isPlaceholderText, wire-fields.ts PeiPurchaseId): every read of
    // a waiting order was unreadable (a purchase id is digits): the buyer's Cancel Pei's read says
    // was never seen (CREATED until the expiry, then EXPIRED rather than CANCELLED).
    it("the buyer cancels on Pei's page (its read says Cancelled): CANCELLED, nothing captured", async () => {
      const gateway = await gatewayFor({ nullText: true, noValueText: text, statusWords: WORDS });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await readAt(gateway, order.id)).status).toBe('CREATED');
        await pei.cancel(order.providerOrderId!);
        const cancelled = await untilAt(gateway, order.id, 'CANCELLED', 3000);
        expect(captured(cancelled)).toBe(0);
      } finally {
        await gateway.close();
      }
    });

    // FINDING, fixed (wire-fields.ts PeiOptionalId): the one-off order's payment named a mandate `N/A`
    // ("the mandateId should be null"), which a client would take for a card to charge again.
    it('the buyer pays: CAPTURED with 5000, the payment naming no mandate', async () => {
      const gateway = await gatewayFor({ nullText: true, noValueText: text });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const paid = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(paid)).toBe(5000);
        expect(paid.payments.map((payment) => payment.mandateId ?? null)).toEqual([null]);
      } finally {
        await gateway.close();
      }
    });

    // FINDING, fixed: a waiting order made outside the gateway was skipped as unreadable.
    it('orders(filter): a waiting order made outside the gateway is adopted CREATED', async () => {
      const gateway = await gatewayFor({ nullText: true, noValueText: text }, NO_RECONCILIATION);
      try {
        const orderId = `outsideNA${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', amount: 3000 }], created: new Date() });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });
  });

  describe.each(['N/A', '-'])('a Pei posting every change, its unset fields as `%s`, reads without a word', (text) => {
    // FINDING, fixed (postback-shape.ts): the Cancel's postback (`"purchaseId": "N/A"`) was refused
    // (400), Pei does not post again, and its reads cannot say: the Cancel was lost.
    it("the buyer cancels on Pei's page: its postback is taken (200), CANCELLED", async () => {
      const gateway = await gatewayFor({ postbackOn: 'everyChange', postbackNullText: true, nullText: true, noValueText: text }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.cancel(order.providerOrderId!))?.status).toBe(200);
        expect((await stored(gateway, order.id)).status).toBe('CANCELLED');
      } finally {
        await gateway.close();
      }
    });

    it('the buyer pays: its postback is taken (200), CAPTURED with 5000', async () => {
      const gateway = await gatewayFor({ postbackOn: 'everyChange', postbackNullText: true, nullText: true, noValueText: text }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const paid = await stored(gateway, order.id);
        expect(paid.status).toBe('CAPTURED');
        expect(capturedStored(paid)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  describe.each(['N/A', 'null'])('a Pei whose status is unset until the buyer confirms, written `%s` (a report\'s ISNULL(Status, ...))', (text) => {
    const UNSET = { statusWords: { waiting: text, confirmed: 'Confirmed', expired: text } };

    // FINDING, fixed (status-words.ts PeiStatusField, statusWordOf): the placeholder was a word the
    // gateway does not know, so an order past its ExpirationDate (and the gateway's grace) was held
    // with it, shown CREATED with providerStatus `N/A`, never EXPIRED by its date.
    it('orders(filter): an order made outside the gateway, unpaid past its expiry, is adopted EXPIRED', async () => {
      const gateway = await gatewayFor(UNSET, NO_RECONCILIATION);
      try {
        const orderId = `outsideSt${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() - 3_600_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', amount: 3000 }], created: new Date() });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'EXPIRED', total: { amount: '3000' } });
        expect(captured(node!)).toBe(0);
      } finally {
        await gateway.close();
      }
    });

    it('the buyer pays, its postback lost: CAPTURED with 5000 from the reads', async () => {
      const gateway = await gatewayFor({ ...UNSET, sendPostback: false });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await readAt(gateway, order.id)).status).toBe('CREATED');
        await pei.confirm(order.providerOrderId!);
        const paid = await untilAt(gateway, order.id, 'CAPTURED', 3000);
        expect(captured(paid)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- round twenty-four's leftover: the postback's `amount` `d.000` alone ----------------------------

  /**
   * An order with a choice whose every total is whole thousands: the Helicopter (3000, selected) or
   * the Glider (4000), and a Parachute (1000, selected) the buyer may untick. The gateway's total is
   * the default selection's, 4000 kr.; at a Pei writing "N0" every figure is a single group of `000`.
   */
  const CHOICE_ITEMS = [
    { name: 'Helicopter', amount: '3000', group: 'Flying vehicles', selected: true },
    { name: 'Glider', amount: '4000', group: 'Flying vehicles' },
    { name: 'Parachute', amount: '1000', optional: true, selected: true },
  ];

  describe('a Pei writing "N0" (`5.000`), its reads keeping the Amount submitted, posting what it charged as `amount`', () => {
    // FINDING, fixed (charged-choice.ts, postback-shape.ts amountText, webhook.ts chargedAs): the
    // postback's `3.000` / `5.000` was unread (3 or 3000 kr.?), so the gateway showed the default
    // selection's 4000 kr. captured where Pei charged 3000 (more than Pei moved) or 5000. Only one
    // reading is a total the buyer could choose among the order's lines: that one is what Pei charged.
    it.each([
      [['Helicopter'], 3000],
      [['Glider', 'Parachute'], 5000],
    ] as const)('the buyer choosing %j: CAPTURED for what Pei charged (%i kr.), at the postback and at later reads', async (chosen, charge) => {
      const gateway = await gatewayFor({ moneyAs: 'grouped', readAmount: 'submitted', postbackAmount: 'charged' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
        expect(Number(order.total.amount)).toBe(4000);
        expect((await pei.confirm(order.providerOrderId!, [...chosen]))?.status).toBe(200);
        expect(pei.orders.get(order.providerOrderId!)!.charged).toBe(charge);
        const paid = await stored(gateway, order.id);
        expect(paid.status).toBe('CAPTURED');
        expect(capturedStored(paid)).toBe(charge);
        await sleep(400);
        const later = await readAt(gateway, order.id);
        expect(later.status).toBe('CAPTURED');
        expect(captured(later)).toBe(charge);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- round twenty-four's leftover: a Recurring charge's postback before the submit's answer -------

  describe('a Pei writing "N0" (`5.000`), posting a Recurring charge before it answers the submit', () => {
    // FINDING, fixed (submitted-totals.ts noteForOrder, index.ts createOrder, webhook.ts): the
    // postback's re-read had no total to tell `5.000` apart by (Pei's order id is noted only once
    // its answer comes), so the signed postback was answered 503 and Pei does not post again: with
    // reconciliation off (or slow), the charged mandate's order stayed PENDING.
    it('its postback is taken (200), CAPTURED with 5000, the mandate charged once', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped', postbackTiming: 'beforeAnswer' }, NO_RECONCILIATION);
      try {
        const input = recurring(ONE_LINE);
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
        expect(pei.postbacks.at(-1)?.status).toBe(200);
        const paid = await untilAt(gateway, order.id, 'CAPTURED', 3000);
        expect(captured(paid)).toBe(5000);
        expect(harness.callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    // FINDING, fixed likewise: Orders/Pay's postback posted before its answer was answered 503 (the
    // create's own read-back, with the total, still made the order CAPTURED: no money was misshown).
    it("Orders/Pay's postback before its answer is taken (200); CAPTURED with 5000, charged once", async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped', postbackTiming: 'beforeAnswer' }, NO_RECONCILIATION);
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = harness.purchase(ONE_LINE);
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
        expect(pei.postbacks.at(-1)?.status).toBe(200);
        expect(order.status).toBe('CAPTURED');
        expect(captured(order)).toBe(5000);
        expect(harness.callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });
  });
});
