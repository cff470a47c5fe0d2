/**
 * Round twenty-six of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to twenty-five varied what Pei answers
 * (shapes, words, figures, lags, charsets, redirects, id alphabets, MinValue dates, texts for "no
 * value") and combined them. Round seventeen took the bytes an Icelandic Reference travels in, and
 * rounds nineteen and twenty-four the labels on them; none took the letters themselves. This round:
 *   - Unicode normalisation of the texts Pei writes back (the server's new `textForm`): the seed
 *     types the Reference, the buyer's name and the lines' names "String" and names no
 *     normalisation. `ö` is one code point composed (NFC, U+00F6) and two decomposed (NFD, `o` and
 *     U+0308): canonically the same text, not the same string. A Pei whose store or search column
 *     decomposes (.NET `Normalize(NormalizationForm.FormD)` before a case- and accent-folding index,
 *     a file-system-backed store on macOS) writes `Po\u0308ntun` back for `Pöntun`; one composing
 *     what it receives (most input stacks) writes `Pöntun` back for a client's decomposed
 *     `Po\u0308ntun` (a reference typed on a Mac, pasted from a PDF). Taken where money depends on
 *     the Reference: an Orders/Pay and a Recurring charge whose answer was lost, found by it in the
 *     listing; a client's reference used before (what Pei held under it before the call); and held
 *     where it does not (the buyer's payment, the listing's adoption of an order made outside).
 *   - round twenty-five's leftover: placeholders outside its list (`n.a.`, `tbd`) for an unset
 *     purchase id, in reads, listings and the postback of a Pei posting every change.
 * Found (run on the adapter before this round's fix: 10 of 17 failed) and fixed in src/providers/pei:
 *   - NFD at Pei (`Po\u0308ntun-þæð-...` written back for `Pöntun-þæð-...`), and a client's NFD
 *     reference at a Pei writing NFC: an Orders/Pay or a Recurring charge whose answer was lost
 *     (500) was not found in the listing (no spelling the search knew), so the client's retry under
 *     its key past Pei's listing lag bound charged the buyer, or the mandate, a second time; under a
 *     client's reference used before, what Pei held under it before the call was not seen either,
 *     the new purchase left unknown and charged again on the retry. Now references are compared
 *     canonically (NFD), the reference sent spelled in both forms and each form's misread spellings
 *     (reference-forms.ts canonicalReference, referenceSpellings; lost-answer.ts referenceAs, cutFrom),
 *     so a Reference cut to a column's width in either form is a prefix too;
 *   - `n.a.`, `tbd`, `TBA` for an unset purchase id: every read of a waiting order was unreadable,
 *     so the buyer's Cancel Pei's read says was never seen (CREATED, then EXPIRED at the expiry),
 *     and a waiting order made outside the gateway was skipped by `orders(filter)`. Now any text
 *     without a digit in a purchase id's place is none, in reads, listings and the postback
 *     (purchase-id-text.ts withoutNoPurchaseText; wire-fields.ts PeiPurchaseId, postback-shape.ts).
 * Held (no change): a one-off order the buyer pays, whatever form Pei writes its texts in (nothing
 *   reads the Reference back on that path); a listed order made outside the gateway with decomposed
 *   names; the charged choice's lines are the gateway's own.
 * Left: a MandateId written `tbd` (an it.fails below); a Reference Pei changes otherwise (accents
 *   stripped, case folded, `þ` as `th`); an order made outside the gateway written `5.000` is still
 *   skipped by `orders(filter)`; adopted orders show Pei's names in the form Pei wrote them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { icelandicChargePaths } from '../support/independent/pei-icelandic-charges.js';
import { today } from '../support/test-time.js';
import { captured } from '../support/captured.js';

/** Reconciliation out of the way: only the postback (or the listing) can move an order within a test. */
const NO_RECONCILIATION = { reconcileIntervalMs: 60_000 };
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };
const buyer = { name: 'Jón Þórsson', email: 'jon@example.is', nationalId: PEI_BUYER_SSN, phone: '1234567' };
const items = [{ code: 'LOPI', name: 'Lopapeysa, grá', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }];

describe('Pei adapter against an independent Pei, round twenty-six', () => {
  const harness = independentPeiHarness('-26');
  const { gatewayFor, untilAt, readAt, oneOff, purchase } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;
  /** A reference with a letter NFD decomposes (`ö`) and ones it does not (`þæð`), in `form`, and Pei's POSTs and orders under it. */
  const reference = (form: 'NFC' | 'NFD') => {
    const tag = Math.random().toString(36).slice(2, 10);
    return {
      reference: `Pöntun-þæð-${tag}`.normalize(form),
      posts: (path: string) => pei.calls.filter((call) => call.method === 'POST' && call.path === path && String((call.body as { reference?: unknown } | undefined)?.reference ?? '').endsWith(tag)),
      made: () => [...pei.orders.values()].filter((order) => String(order.reference ?? '').endsWith(tag)),
    };
  };

  // ---- a Pei writing its texts back decomposed (NFD) -------------------------------------------------

  describe('a Pei writing its texts back decomposed (NFD: `Po\\u0308ntun` for `Pöntun`)', () => {
    // FINDING (the Orders/Pay and Recurring tests), fixed (reference-forms.ts, lost-answer.ts
    // referenceAs): the listed Reference `Po\u0308ntun-þæð-...` was no spelling of the one sent, so a
    // charge whose answer was lost was "not there" once Pei's listing lag bound had passed, and the
    // client's retry under its key charged the buyer, or the mandate, a second time. The one-off
    // order's payment held (no change): nothing reads its Reference back.
    icelandicChargePaths(harness, { textForm: 'NFD' });

    // FINDING, fixed likewise: what Pei held under a client's reference before the call (an earlier
    // purchase) was not seen under its decomposed spelling, and the new purchase not found either:
    // the lost answer left the creation unknown and the retry past the lag bound charged again.
    it('an Orders/Pay under a reference used before, its answer lost (500): the new purchase found at once, the earlier one not taken for it', async () => {
      const gateway = await gatewayFor({ textForm: 'NFD' });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const ref = reference('NFC');
        const earlier = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase({ reference: ref.reference, buyer, items }) }, merchant)).createOrder;
        expect(earlier.status).toBe('CAPTURED');
        const input = purchase({ reference: ref.reference, buyer, items, idempotencyKey: `nfd-reused-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        const created = first.data?.createOrder ?? (await createPastListingLag(gateway.url, input, merchant)).data?.createOrder;
        expect(ref.posts('/api/orders/pay')).toHaveLength(2);
        expect(ref.made()).toHaveLength(2);
        expect(created?.status).toBe('CAPTURED');
        expect(created?.providerOrderId).not.toBe(earlier.providerOrderId);
        expect(captured(created!)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // Held (no change): the listing's entry of an order made outside the gateway is read whole, its
    // names as Pei wrote them.
    it('orders(filter): a waiting order made outside the gateway, its names decomposed, is adopted CREATED', async () => {
      const gateway = await gatewayFor({ textForm: 'NFD' }, NO_RECONCILIATION);
      try {
        const orderId = `outsideNfd${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, {
          orderId, merchantId: 4, amount: 3000, reference: `Pöntun-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff',
          items: [{ name: 'Lopapeysa, grá og hvít', amount: 3000, groupName: 'Peysur' }], buyer: { name: 'Jón Þórsson' }, created: new Date(),
        });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- a client's decomposed reference at a Pei composing what it receives (NFC) ----------------------

  describe("a client's decomposed reference (`Po\\u0308ntun`) at a Pei writing its texts back composed (NFC)", () => {
    // FINDING, fixed (as above): the listed `Pöntun-...` was no spelling of the decomposed
    // reference sent, so the lost charge was not found and the retry charged again.
    it('an Orders/Pay whose answer was lost (500), retried past the listing lag: found and CAPTURED, the buyer charged once', async () => {
      const gateway = await gatewayFor({ textForm: 'NFC' });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const ref = reference('NFD');
        const input = purchase({ reference: ref.reference, buyer, items, idempotencyKey: `nfc-pay-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(ref.posts('/api/orders/pay')).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
        expect(retry.data!.createOrder.reference).toBe(ref.reference);
        expect(captured(retry.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('a one-off order the buyer pays becomes CAPTURED with 5000, its reference as the client wrote it', async () => {
      const gateway = await gatewayFor({ textForm: 'NFC' });
      try {
        const ref = reference('NFD');
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ reference: ref.reference, buyer, items }) }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const paid = await untilAt(gateway, order.id, 'CAPTURED');
        expect(paid.reference).toBe(ref.reference);
        expect(captured(paid)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- round twenty-five's leftover: placeholders outside its list -----------------------------------

  describe.each(['n.a.', 'tbd', 'TBA'])('a Pei writing `%s` for an unset purchase id in its reads and listings', (text) => {
    // FINDING, fixed (wire-fields.ts PeiPurchaseId): every read of a waiting order was unreadable (a
    // purchase id is digits): the buyer's Cancel Pei's read says was never seen (CREATED until the
    // expiry, then EXPIRED rather than CANCELLED).
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

    // FINDING, fixed likewise: a waiting order made outside the gateway was skipped as unreadable.
    it('orders(filter): a waiting order made outside the gateway is adopted CREATED', async () => {
      const gateway = await gatewayFor({ nullText: true, noValueText: text }, NO_RECONCILIATION);
      try {
        const orderId = `outsideTbd${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', amount: 3000 }], created: new Date() });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });

    it('the buyer pays: CAPTURED with 5000', async () => {
      const gateway = await gatewayFor({ nullText: true, noValueText: text });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  // LEFT here (an it.fails until round twenty-eight): a MandateId "not applicable" written `tbd` was
  // a mandate of that name on the one-off order's payment, which a client could take for a card to
  // charge again. A mandate id is letters and digits like `tbd`, so no placeholder list reads it;
  // round twenty-eight reads a OneOff order as one without a mandate, as the seed says (mapping.ts).
  it("a one-off order's payment at a Pei writing `tbd` for an unset MandateId names no mandate", async () => {
    const gateway = await gatewayFor({ nullText: true, noValueText: 'tbd' });
    try {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments.map((payment) => payment.mandateId ?? null)).toEqual([null]);
    } finally {
      await gateway.close();
    }
  });
});
