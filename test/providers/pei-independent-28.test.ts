/**
 * Round twenty-eight of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Round twenty-seven took Pei answering in HAL and
 * JSON:API and left two things: those formats' next pages were never fetched, and a MandateId
 * written `tbd` on a one-off order (round twenty-six). This round takes both, and the forms a next
 * link may take:
 *   - a HAL or JSON:API listing that serves the page its own parameters ask for (the server's new
 *     `listPagesServed`: Spring Data's `page`/`size`, JSON:API's `page[number]`/`page[size]`), each
 *     page linking to the next. The seed shows no listing output and no paging at all, so it leaves
 *     open both whether a day is answered in pages and how the next one is named; but a HAL or
 *     JSON:API document names its next page itself, so following that link is reading the format,
 *     not guessing a page parameter;
 *   - the next link's form (the server's new `listNextLink`): host-relative (`/api/orders?...`),
 *     absolute, protocol-relative (`//host/...`), query-only (`?merchantId=...`), percent-encoded
 *     (`/%61pi/%6Frders?...`), and absolute to another host, which must not be sent the gateway's
 *     token (RFC 3986 resolves each of the others against the URL the page came from);
 *   - a one-off order's payment at a Pei writing `tbd` for the MandateId it does not apply to.
 * Taken where money moves: an Orders/Pay and a Recurring charge whose answer was lost (500), found
 * in the listing on a later page or not; orders(filter)'s adoption of an order made outside the
 * gateway on a later page; a one-off order's payment.
 * Found (run on the adapter before this round's fix: 10 of 12 failed):
 *   - a lost Orders/Pay or Recurring charge on the day's second page was never found (round
 *     twenty-seven read the first page and called the day partial): the client's retry answered
 *     PROVIDER_UNAVAILABLE until the gateway gave the creation up, while Pei had charged the buyer
 *     (or the mandate): a client sees a failure for money that moved, and no order shows it; and an
 *     order made outside the gateway on a later page was never adopted by orders(filter);
 *   - a one-off order's payment named a mandate `tbd`, which a client could take for a card it may
 *     charge again.
 * Fixed in src/providers/pei: listing-pages.ts nextPageUrl (HAL `_links.next`, JSON:API
 * `links.next`, resolved against the URL the page came from, http(s) only); client.ts listingOn
 * walks those links on the same server only (sameServer, as redirects), at most MAX_LISTING_PAGES
 * (20) pages, never a page already read, and stops at a page adding no order (a server answering
 * the first page whatever is asked); where it stops with a next page named, the day stays partial
 * (a lost charge's search unsure, never "absent"). mapping.ts observationOfOrder: a read whose
 * SequenceType is OneOff names no mandate (the seed: MandateId "only applies if SequenceType is
 * Recurring otherwise the mandateId should be null"; the postback's "MandateId when it is
 * applicable"), whatever text stands there. Round twenty-six's it.fails for it now passes (made an `it`).
 * Found while fixing (second commit): once later pages were fetched, one answering 503 failed the
 *   whole listing, so orders(filter) failed where it had shown the first page; now a later page
 *   that fails ends the walk and leaves the day partial (client.ts listingOn; the server's new
 *   `listLaterPageStatus`).
 * Held (no change): a next link to another host is not followed (the search stays unsure: the
 *   retry PROVIDER_UNAVAILABLE, sent once); a Pei answering the first page whatever is asked (round
 *   twenty-seven's server) is read once more and then left partial.
 * Left: next pages named only in plain JSON wrappers (`nextPage`, `@odata.nextLink`) or a `Link`
 *   header are still not fetched (the day stays partial, as round six); a day of more than 20 pages
 *   is partial past them; a MandateId `tbd` on an order whose read shows no SequenceType (or an
 *   Orders/Pay read as Recurring) is still a value.
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

describe('Pei adapter against an independent Pei, round twenty-eight', () => {
  const harness = independentPeiHarness('-28');
  const { gatewayFor, untilAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;
  const madeUnder = (reference: string) => [...pei.orders.values()].filter((order) => order.reference === reference);
  /** Enough orders before the test's own that it is on a later page. */
  const fillFirstPage = async (url: string) => {
    for (let index = 0; index < PAGE; index++) await gqlOk(url, CREATE_ORDER, { input: oneOff() }, shop);
  };

  describe.each([
    ['HAL, a host-relative next link', 'hal', 'path'],
    ['HAL, an absolute next link', 'hal', 'absolute'],
    ['HAL, a protocol-relative next link', 'hal', 'protocolRelative'],
    ['JSON:API, a query-only next link', 'jsonApi', 'query'],
    ['JSON:API, a percent-encoded next link', 'jsonApi', 'encoded'],
  ] as const)('a Pei paging its listing in %s', (_name, mediaType, listNextLink) => {
    const variation = (more: Partial<IndependentPeiOptions> = {}): Partial<IndependentPeiOptions> => ({ mediaType, listNextLink, listPageSize: PAGE, listPagesServed: true, ...more });

    // FINDING: the charge, on the day's second page or later, was never found: the retry answered
    // PROVIDER_UNAVAILABLE (never charged again) while Pei had charged the buyer.
    it('an Orders/Pay whose answer was lost (500) on a later page: the retry finds it, CAPTURED with 5000, the buyer charged once', async () => {
      const gateway = await gatewayFor(variation());
      try {
        await fillFirstPage(gateway.url);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `paged-pay-${Math.random()}` });
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
  });

  describe.each([
    ['HAL', 'hal'],
    ['JSON:API', 'jsonApi'],
  ] as const)('a Pei paging its listing in %s, host-relative links', (_name, mediaType) => {
    const variation = (more: Partial<IndependentPeiOptions> = {}): Partial<IndependentPeiOptions> => ({ mediaType, listPageSize: PAGE, listPagesServed: true, ...more });

    // FINDING: as Orders/Pay's: the mandate's charge on a later page was never found.
    it('a Recurring charge whose answer was lost (500) on a later page: the mandate is charged once, CAPTURED with 5000', async () => {
      const gateway = await gatewayFor(variation());
      try {
        await fillFirstPage(gateway.url);
        const input = recurring({ idempotencyKey: `paged-recurring-${Math.random()}` });
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
      const gateway = await gatewayFor(variation(), NO_RECONCILIATION);
      try {
        await fillFirstPage(gateway.url);
        const orderId = `outsidePaged${Math.random().toString(36).slice(2, 12)}`;
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

    // HELD (with the walk's own guard: a later page failing must not fail the pages read): the
    // listing's first page is still shown, and a lost charge stays unknown, never charged again.
    it('a later page answering 503: orders(filter) still adopts the first page, and a lost Orders/Pay stays unknown, sent once', async () => {
      const gateway = await gatewayFor(variation({ listLaterPageStatus: 503 }), NO_RECONCILIATION);
      try {
        const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        await fillFirstPage(gateway.url);
        const firstPage = [...pei.orders.values()].filter((order) => order.created.toISOString().slice(0, 10) === today()).slice(0, PAGE).map((order) => order.orderId);
        const listed = await gql<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice);
        expect(listed.errors).toBeUndefined();
        if (firstPage.includes(made.providerOrderId!)) expect(listed.data!.orders.nodes.map((node) => node.providerOrderId)).toContain(made.providerOrderId);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `paged-failing-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        await gql(gateway.url, CREATE_ORDER, { input }, merchant);
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      } finally {
        await gateway.close();
      }
    });

    // HELD: a next link to another host is not sent the gateway's token: the search stays unsure,
    // the charge unknown (PROVIDER_UNAVAILABLE), never charged again.
    it('a next link to another host is not followed: an Orders/Pay whose answer was lost stays unknown, sent once', async () => {
      const gateway = await gatewayFor(variation({ listNextLink: 'otherHost' }));
      try {
        await fillFirstPage(gateway.url);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `paged-elsewhere-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        expect(pei.calls.filter((call) => call.host?.startsWith('localhost'))).toEqual([]);
      } finally {
        await gateway.close();
      }
    });
  });

  // FINDING (round twenty-six's it.fails): a one-off order's payment named the mandate `tbd`.
  it("a one-off order's payment at a Pei writing `tbd` for an unset MandateId names no mandate", async () => {
    const gateway = await gatewayFor({ nullText: true, noValueText: 'tbd' });
    try {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid.payments.map((payment) => payment.mandateId ?? null)).toEqual([null]);
      expect(captured(paid)).toBe(5000);
    } finally {
      await gateway.close();
    }
  });
});
