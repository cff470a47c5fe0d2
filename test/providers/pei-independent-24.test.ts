/**
 * Round twenty-four of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to twenty-three varied what Pei
 * answers (shapes, words, figures, lags, charsets, redirects, id alphabets, MinValue dates) and
 * combined them. This round takes round nineteen's two leftovers, and one reading of "none" no
 * round took:
 *   - `5.000` (is-IS `decimal.ToString("N0")` of an order of one line of 5000 kr.: 5 kr. in the
 *     invariant culture, 5000 in is-IS, both whole krónur) where the gateway read it without the
 *     order's total: the signed postback's own re-read (the webhook sees the postback and Pei's
 *     answer only), and the day's listing in `orders(filter)`. The seed says "Numeric" and names no
 *     culture, and shows no read's or listing's output;
 *   - the charset label of Pei's answer carried to a lost charge's search for its Reference (round
 *     nineteen tried every single-byte label's spelling instead), taken with an answer the brute
 *     force did not cover: UTF-8 bytes labelled `charset=windows-1250` (a JSON handler writing UTF-8
 *     itself while the header names the site's code page). The seed names no charset for anything;
 *   - the text `"null"` for a value Pei has none of (an unconfirmed order's purchaseId, a MandateId
 *     "not applicable", the return URLs), in reads and listings, and in the postback of a Pei posting
 *     every change (round ten's `everyChange`). The seed says only that "the mandateId should be
 *     null" where it does not apply, and shows no read; rounds two and twenty took JSON's `null`, a
 *     blank and a field left out. A read model or postback written by hand (Java's string
 *     concatenation, JavaScript's template literals, a reporting view's `ISNULL(..., 'null')`)
 *     writes the word.
 * Found (run on the adapter before this round's fix) and fixed in src/providers/pei:
 *   - `5.000`: the signed postback of a paid order was answered 503 (its re-read unreadable) and Pei
 *     does not post again: the order waited for reconciliation's read (or stayed CREATED with it
 *     off); a Recurring charge's postback likewise; and `orders(filter)` skipped the paid order's
 *     entry as unreadable, so with its postback lost the listing did not bring it up to date. Now
 *     the total the gateway submitted each Pei order with is noted by Pei's order id in the shared
 *     store as soon as the id is known (submitted-totals.ts; index.ts createOrder, findCreated), and
 *     the postback's re-read (webhook.ts) and the listing's unreadable entries (client.ts
 *     listingOn, totalsOfUnread; read-back.ts findListed with the stored order's) are read beside
 *     it, as the gateway's own reads are (round nineteen's marksByTotal: never a guess, a `d.000`
 *     neither of whose readings is the total stays unread). An order made outside the gateway has no
 *     total noted: its `5.000` entry is still skipped, not adopted at either reading;
 *   - UTF-8 answers labelled windows-1250: an Orders/Pay or a Recurring charge under an Icelandic
 *     client reference whose answer was lost was not found (its Reference came back `PĂ¶ntun-Ăľ...`,
 *     no spelling the search tried), so the client's retry past the listing lag bound charged the
 *     buyer, or the mandate, a second time. Now every order Pei shows carries the single-byte charset
 *     its answer's label named (client.ts answeredIn, PeiOrder.answeredIn, PeiListing.answeredIn),
 *     and the search spells the Reference as that label reads the bytes Pei may have written, UTF-8
 *     or ISO-8859-1 (reference-bytes.ts misreadSpellings, asLabelled). The 26 decoders tried on every
 *     search are gone: without a single-byte label only Pei's own misreading of the request remains;
 *   - `"null"`: every read of an unconfirmed order was unreadable (a purchase id is digits), so the
 *     buyer's Cancel that Pei's read says was never seen (CREATED until the expiry, then EXPIRED, not
 *     CANCELLED), and a waiting order made outside the gateway was skipped by `orders(filter)`; the
 *     Cancel's postback (`"purchaseId": "null"`) was refused (400), Pei posting nothing again, so
 *     where its reads carry no word the Cancel was lost. Now `"null"` and `"undefined"` are no value
 *     for a purchase id and a mandate id (no-value-text.ts; wire-fields.ts PeiPurchaseId, PeiOptionalId;
 *     postback-shape.ts). A client's Reference is read as written (it is the client's text).
 * Also (not this file): tests of earlier rounds that asserted which path recorded a capture first
 * (the postback or reconciliation's re-read, which race under load) now assert the outcome, once
 * (pei-independent.test.ts, pei.test.ts, pei-independent-14.test.ts).
 * Left: a postback's `amount` of `d.000` alone (what Pei charged for the buyer's choice) is still
 *   unread where nothing beside it says; orders made before this round have no total noted (their
 *   postback's `5.000` re-read is unread as before; their own reads pass the stored total); an order
 *   made outside the gateway written `5.000` is still skipped by `orders(filter)`; a charge's
 *   postback Pei sends before answering the submit (round two's `beforeAnswer`) finds no total noted
 *   yet and is answered 503 at such a Pei (reconciliation's read, with the total, takes it). A Reference the
 *   client chose as the word `null` is taken as written; a Pei writing other words for none (Python's
 *   `None`, `N/A`) is not read so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness } from '../support/independent/pei-harness.js';
import { icelandicChargePaths } from '../support/independent/pei-icelandic-charges.js';
import { today } from '../support/test-time.js';
import { captured } from '../support/captured.js';

/** Round fifteen's order: one line of 5000 kr. (quantity 1), every money figure `5.000` at a Pei writing "N0". */
const ONE_LINE = { items: [{ code: 'HEL1', name: 'Helicopter', quantity: 1, unitPrice: '5000', amount: '5000' }] };
/** Reconciliation out of the way: only the postback (or the listing) can move an order within a test. */
const NO_RECONCILIATION = { reconcileIntervalMs: 60_000 };
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };

describe('Pei adapter against an independent Pei, round twenty-four', () => {
  const harness = independentPeiHarness('-24');
  const { gatewayFor, untilAt, readAt, oneOff, recurring } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  /** The order as stored (a GraphQL read of a waiting order would re-read Pei itself, with the order's total). */
  const stored = async (gateway: { store: { orders: { get(id: string): Promise<unknown> } } }, id: string) =>
    (await gateway.store.orders.get(id)) as { status: string; payments: { capturedAmount: { minor: number } }[]; events: { status: string; source: string }[] };
  const capturedStored = (order: { payments: { capturedAmount: { minor: number } }[] }) => order.payments.reduce((sum, payment) => sum + payment.capturedAmount.minor, 0);
  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;

  // ---- round nineteen's leftover: `5.000` where the gateway read it without the order's total ----

  describe('a Pei writing money figures as decimal.ToString("N0") under is-IS, an order of one line of 5000 kr. (`5.000` everywhere)', () => {
    // FINDING, fixed (submitted-totals.ts, webhook.ts): the postback's re-read was read without the
    // total: 503, Pei does not post again, and only reconciliation's read (off here) could take it.
    it("the buyer pays: Pei's postback is taken at once (200), CAPTURED with 5000 by it", async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(ONE_LINE) }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const paid = await stored(gateway, order.id);
        expect(paid.status).toBe('CAPTURED');
        expect(capturedStored(paid)).toBe(5000);
        expect(paid.events.filter((event) => event.status === 'CAPTURED')).toEqual([expect.objectContaining({ source: 'WEBHOOK' })]);
      } finally {
        await gateway.close();
      }
    });

    it("a Recurring charge Pei makes on its mandate: its postback is taken (200), CAPTURED with 5000, the mandate charged once", async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' }, NO_RECONCILIATION);
      try {
        const input = recurring(ONE_LINE);
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
        const paid = await untilAt(gateway, order.id, 'CAPTURED', 3000);
        expect(captured(paid)).toBe(5000);
        expect(pei.postbacks.at(-1)?.status).toBe(200);
        expect(harness.callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    // FINDING, fixed (client.ts listingOn with submitted-totals.ts): the paid order's entry was
    // skipped as unreadable, so with its postback lost the listing left it CREATED.
    it('its postback lost: orders(filter) brings the paid order up to date from the listing, CAPTURED with 5000', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped', sendPostback: false }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(ONE_LINE) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        const node = (await listToday(gateway.url)).find((listed) => listed.id === order.id);
        expect(node).toMatchObject({ status: 'CAPTURED', total: { amount: '5000' } });
        expect(captured(node!)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // Held: an order the gateway did not submit has no total to tell `5.000` apart by: never adopted at a guess.
    it('an order made outside the gateway listed `5.000`: not adopted (neither 5 nor 5000 kr.)', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' }, NO_RECONCILIATION);
      try {
        const orderId = `outsideN0${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 5000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', quantity: 1, unitPrice: 5000, amount: 5000 }], created: new Date() });
        expect((await listToday(gateway.url)).some((node) => node.providerOrderId === orderId)).toBe(false);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- the answer's charset label carried to a lost charge's search -------------------------------
  // FINDING, fixed (client.ts answeredIn, reference-bytes.ts asLabelled): `Pöntun-þæð` in UTF-8
  // read as windows-1250 was no spelling the brute force tried, so the lost Orders/Pay and Recurring
  // charge were "not there" past the listing lag bound and the retry charged again.

  describe('a Pei answering UTF-8 bytes labelled charset=windows-1250, Icelandic client references', () => {
    icelandicChargePaths(harness, { answerCharset: 'utf8LabelledWindows1250' });
  });

  // ---- `"null"` for a value Pei has none of ------------------------------------------------------

  describe('a Pei writing `"null"` for unset values in its reads and listings', () => {
    // FINDING, fixed (no-value-text.ts, wire-fields.ts PeiPurchaseId): every read of a waiting order was
    // unreadable: the buyer's Cancel Pei's read says was never seen.
    it("the buyer cancels on Pei's page (its read says Cancelled): CANCELLED, nothing captured", async () => {
      const gateway = await gatewayFor({ nullText: true, statusWords: WORDS });
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

    it('the buyer pays: CAPTURED with 5000, the payment naming no mandate', async () => {
      const gateway = await gatewayFor({ nullText: true });
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
      const gateway = await gatewayFor({ nullText: true }, NO_RECONCILIATION);
      try {
        const orderId = `outsideNull${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', amount: 3000 }], created: new Date() });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });
  });

  describe('a Pei posting every change, its unset fields as `"null"`, reads without a word', () => {
    // FINDING, fixed (postback-shape.ts): the Cancel's postback (`"purchaseId": "null"`) was refused
    // (400), Pei does not post again, and its reads cannot say: the Cancel was lost.
    it("the buyer cancels on Pei's page: its postback is taken (200), CANCELLED", async () => {
      const gateway = await gatewayFor({ postbackOn: 'everyChange', postbackNullText: true, nullText: true }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.cancel(order.providerOrderId!))?.status).toBe(200);
        expect((await stored(gateway, order.id)).status).toBe('CANCELLED');
      } finally {
        await gateway.close();
      }
    });

    it('the buyer pays: its postback is taken (200), CAPTURED with 5000', async () => {
      const gateway = await gatewayFor({ postbackOn: 'everyChange', postbackNullText: true, nullText: true }, NO_RECONCILIATION);
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
});
