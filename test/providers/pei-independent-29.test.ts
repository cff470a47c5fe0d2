/**
 * Round twenty-nine of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Round twenty-eight followed the next pages HAL and
 * JSON:API documents name and left those named in plain JSON or in headers. This round takes that
 * leftover, and a clock no round moved:
 *   - a plain JSON listing paged by the server, naming its next page (the server's new
 *     `listNextIn`): an RFC 8288 `Link: <...>; rel="next"` header around a bare array (beside
 *     `rel="first"`), an ASP.NET paged result's `nextPage`, Django REST framework's `{count, next,
 *     previous, results}`, OData's `@odata.nextLink`. The seed shows no listing output and no
 *     paging: whether a day is paged, and how, is open. Round six read the first page and called
 *     the day partial; a link the answer itself names, followed as round twenty-eight follows HAL's
 *     (same server only, bounded, never a page read before), is reading the answer, not guessing a
 *     page parameter;
 *   - Pei's clock minutes ahead of or behind the gateway's (the server's new `clockSkewMs`), in the
 *     `created` it writes and the day it files an order under, where a lost charge's search places
 *     what it finds in time. The seed shows no time Pei writes but the ExpirationDate sent to it.
 * Taken where money moves: an Orders/Pay and a Recurring charge whose answer was lost (500), found
 * on a later page or not; orders(filter)'s adoption of an order made outside the gateway on a later
 * page; a lost Orders/Pay under a client's reference at a Pei whose clock is off.
 * Found (run on the adapter before this round's fix: see each FINDING):
 *   - a lost Orders/Pay or Recurring charge on a later page of a plain JSON listing was never found:
 *     the retry answered PROVIDER_UNAVAILABLE until the gateway gave the creation up, while Pei had
 *     charged the buyer (or the mandate); an order made outside the gateway on a later page was
 *     never adopted by orders(filter).
 * Fixed in src/providers/pei/listing-pages.ts nextPageUrl: also a `Link` header's `rel="next"`
 *   target and a plain wrapper's `nextPage` / `next` / `nextLink` / `nextPageUrl` /
 *   `@odata.nextLink` when it is written as a link (absolute http(s), `/...`, `//...` or `?...`;
 *   never a page number or an opaque token, which would need a parameter the seed does not name).
 *   client.ts listingOn walks them as it walks HAL's.
 * Held (no change): Pei's clock seven minutes ahead of the gateway's, or seven or twenty behind,
 *   on a lost Orders/Pay under a client's reference found by the call's own search (what Pei held
 *   under the reference before the call rules out earlier orders, not the time).
 * Found and fixed after the round (src/providers/pei/held-before.ts): with Pei's listing lagging,
 *   the retry's search placed an order under a client's reference by Pei's `created` against the
 *   gateway's clock (5 minutes' window): Pei's clock seven or more minutes behind dated the charge
 *   "before the call", and the retry charged the buyer a second time. What Pei held under the
 *   reference before the call is now kept for the retry (one store write before such a charge).
 * Left: a next page named only by a number or a continuation
 *   token is not fetched (the day stays partial, as round six).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { today } from '../support/test-time.js';
import { captured } from '../support/captured.js';

/** Reconciliation out of the way: only the postback (or the listing) can move an order within a test. */
const NO_RECONCILIATION = { reconcileIntervalMs: 60_000 };
/** Pages of this many orders: every test's charge lands past the first page once three orders are made before it. */
const PAGE = 3;

describe('Pei adapter against an independent Pei, round twenty-nine', () => {
  const harness = independentPeiHarness('-29');
  const { gatewayFor, untilAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;
  const madeUnder = (reference: string) => [...pei.orders.values()].filter((order) => order.reference === reference);
  const fillFirstPage = async (url: string) => {
    for (let index = 0; index < PAGE; index++) await gqlOk(url, CREATE_ORDER, { input: oneOff() }, shop);
  };

  describe.each([
    ['a Link header (rel="next")', 'linkHeader'],
    ['an ASP.NET paged result\'s nextPage', 'nextPage'],
    ['Django REST framework\'s next', 'next'],
    ['OData\'s @odata.nextLink', 'odataNextLink'],
  ] as const)('a Pei paging its plain JSON listing, the next page named in %s', (_name, listNextIn) => {
    const variation = (more: Partial<IndependentPeiOptions> = {}): Partial<IndependentPeiOptions> => ({ listNextIn, listPageSize: PAGE, ...more });

    // FINDING: the charge on a later page was never found: the retry answered PROVIDER_UNAVAILABLE
    // (never charged again) while Pei had charged the buyer.
    it('an Orders/Pay whose answer was lost (500) on a later page: the retry finds it, CAPTURED with 5000, the buyer charged once', async () => {
      const gateway = await gatewayFor(variation());
      try {
        await fillFirstPage(gateway.url);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `plain-paged-pay-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(madeUnder(input['reference'] as string)).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
        expect(retry.data!.createOrder.providerOrderId).toBe(madeUnder(input['reference'] as string)[0]?.orderId);
        expect(captured(retry.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // FINDING: as Orders/Pay's: the mandate's charge on a later page was never found.
    it('a Recurring charge whose answer was lost (500) on a later page: the mandate is charged once, CAPTURED with 5000', async () => {
      const gateway = await gatewayFor(variation());
      try {
        await fillFirstPage(gateway.url);
        const input = recurring({ idempotencyKey: `plain-paged-recurring-${Math.random()}` });
        pei.loseNextAnswer('/api/orders', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(1);
        expect(madeUnder(input['reference'] as string)).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(captured(await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // FINDING: an order made outside the gateway on a later page was never adopted.
    it('orders(filter): a waiting order made outside the gateway, on a later page, is adopted CREATED with its 3000', async () => {
      // Pages wide enough that the day (every earlier test's orders) is well within the walk's
      // MAX_LISTING_PAGES (20), yet the order made last is past the first page.
      const gateway = await gatewayFor(variation({ listPageSize: Math.max(PAGE, Math.ceil((pei.orders.size + PAGE + 1) / 8)) }), NO_RECONCILIATION);
      try {
        await fillFirstPage(gateway.url);
        const orderId = `outsidePlain${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, {
          orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff',
          items: [{ name: 'Helicopter', quantity: 1, unitPrice: 3000, amount: 3000 }], created: new Date(),
        });
        const node = (await listToday(gateway.url)).find((listed) => listed.providerOrderId === orderId);
        expect(node).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });
  });

  /** A lost Orders/Pay under a client's own reference at a Pei whose clock is `clockSkewMs` off, listed `listLagMs` after it is made. */
  const lostPayUnderClientReference = async (clockSkewMs: number, listLagMs: number) => {
    const gateway = await gatewayFor({ clockSkewMs, createdShown: 'utc', listLagMs });
    try {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const reference = `client-ref-${Math.random().toString(36).slice(2, 10)}`;
      const input = purchase({ idempotencyKey: `skewed-pay-${Math.random()}`, reference });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await createPastListingLag(gateway.url, input, merchant);
      expect(callsTo('/api/orders/pay', reference)).toHaveLength(1);
      expect(madeUnder(reference)).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder.status).toBe('CAPTURED');
      expect(captured(retry.data!.createOrder)).toBe(5000);
    } finally {
      await gateway.close();
    }
  };

  describe.each([
    ['seven minutes behind', -7 * 60_000],
    ['seven minutes ahead of', 7 * 60_000],
    ['twenty minutes behind', -20 * 60_000],
  ] as const)("Pei's clock %s the gateway's, writing the time it made each order", (_name, clockSkewMs) => {
    // HELD: found by the call's own search, where what Pei held under the reference before the
    // call rules out earlier orders (lost-answer.ts sendOrFind), not the time Pei gives it.
    it('an Orders/Pay under a client reference whose answer was lost (500), listed at once: CAPTURED with 5000, sent once', async () => {
      await lostPayUnderClientReference(clockSkewMs, 0);
    });
  });

  // HELD: ahead, the order is "made since shortly before the call" by any clock.
  it("Pei's clock seven minutes ahead: an Orders/Pay under a client reference whose answer was lost, listed only a minute on, is found by the retry: CAPTURED with 5000, sent once", async () => {
    await lostPayUnderClientReference(7 * 60_000, 60_000);
  });

  // FIXED (round twenty-nine, src/providers/pei/held-before.ts): the retry's search (index.ts
  // findCreated) placed an order under a client's reference in time, by Pei's `created` against the
  // gateway's clock, within LOST_ANSWER_WINDOW_MS (5 minutes) before the call: with Pei's clock
  // seven or more minutes behind, the charge Pei made was dated "before the call", taken for an
  // earlier purchase under the reused reference, and the retry charged the buyer a second time.
  // What Pei held under the reference before the call is now kept for the retry, which rules out
  // earlier orders by it, as the call's own search does, whatever Pei's clock says.
  it.each([
    ['seven minutes behind', -7 * 60_000],
    ['twenty minutes behind', -20 * 60_000],
  ])("Pei's clock %s: an Orders/Pay under a client reference whose answer was lost, listed only a minute on, is found by the retry, sent once", async (_name, clockSkewMs) => {
    await lostPayUnderClientReference(clockSkewMs, 60_000);
  });
});
