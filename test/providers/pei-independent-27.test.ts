/**
 * Round twenty-seven of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to twenty-six varied what Pei answers
 * (shapes, words, figures, lags, charsets, redirects, id alphabets, MinValue dates, texts for "no
 * value", Unicode forms) and combined them; the wrappers they tried (`{order}`, `{orders}`, .NET's
 * `{data, errors, success}`, OData's `value`) are all plain JSON holding plain orders. None took a
 * hypermedia media type. The seed says "This API is a REST service" and names no media type; it
 * shows Submit's answer as plain `{orderId}` (kept so here) and no body at all for Get order, Get
 * orders by date or Orders/Pay. A Pei built on Spring HATEOAS, or a .NET service with a HAL
 * formatter, answers those in HAL; one built on JsonApiDotNetCore in JSON:API. This round (the
 * server's new `mediaType`):
 *   - HAL (`application/hal+json`): each order with `_links.self` and its lines under
 *     `_embedded.items`; the day's orders under `_embedded.orders`, with Spring Data REST's `page`
 *     (`{size, totalElements, totalPages, number}`) and, on a first page of more, `_links.next`;
 *   - JSON:API (`application/vnd.api+json`): `{data: {type: 'orders', id, attributes: {...}}}`
 *     (the id beside the fields, not among them), the listing `{data: [...], meta: {total},
 *     links: {self, next}}`, Orders/Pay's answer `{data: {type, id, attributes: {purchaseId}}}`;
 *   - each with the listing answered one page at a time (round six took paging in a .NET
 *     envelope and an `X-Pagination` header, not in these formats' own links and counts).
 * Taken where money moves or an order's status is decided: the buyer's payment and its signed
 * postback's re-read, Orders/Pay's answer with Pei's listing lagging, an Orders/Pay and a
 * Recurring charge whose answer was lost (found in the listing, charged once), a lost charge on a
 * page the gateway is not given, and `orders(filter)`'s adoption of an order made outside.
 * Also: refusals as JSON:API's error document (`{errors: [{status, title, detail, source:
 * {pointer}}]}`), and an empty day's HAL page without `_embedded` (Spring HATEOAS leaves it out).
 * Found (run on the adapter before this round's fix: 10 of 18 failed):
 *   - JSON:API reads were unreadable (no amount at the document's top): the signed postback's
 *     re-read answered 503 and Pei does not post again, so a paid order stayed CREATED; Orders/Pay
 *     answered `{data: {type, id, attributes}}` was looked for in the listing as a lost answer's,
 *     and with the listing lagging createOrder answered PROVIDER_UNAVAILABLE while the buyer was
 *     charged;
 *   - both formats' listings were unreadable (HAL: no array at its top; JSON:API: entries without
 *     an amount): an Orders/Pay or a Recurring charge whose answer was lost was never found (the
 *     retry PROVIDER_UNAVAILABLE until the gateway gave it up), and orders(filter) failed for Pei;
 *     an empty day's HAL page likewise;
 *   - JSON:API refusals' words were not read: at a Pei taking only the seed table's ExpirationDate
 *     form every order was refused ("HTTP 400") rather than sent again in that form (round eight);
 *   - once the listings were read (found while fixing): each format's own paging (`_links.next`
 *     with `page.totalElements`; `links.next` with `meta.total`) went unseen, so an Orders/Pay
 *     whose answer was lost, on the day's second page, was taken for never made past the listing
 *     lag bound, and the client's retry charged the buyer a second time.
 * Fixed in src/providers/pei: media-documents.ts plainDocument (a JSON:API resource object read
 * as its attributes with its id as the order's; a HAL resource as its own fields with what it
 * embeds beside them; either format's next link and count kept where listing-shape.ts
 * listingLeavesOut reads paging, Spring's 0-based page number not read; an empty HAL page is an
 * empty list; a JSON:API error document as the error body wire.ts PeiError reads, its pointer's
 * field named), applied to every answer the client reads an order, a listing or a refusal from
 * (client.ts inPlainJson). Told by shape, not by Content-Type (a proxy may relabel).
 * Held (no change): HAL reads and Orders/Pay answers (an order's own fields stay at its top);
 *   plain JSON labelled `text/plain` (the shared transport reads a body that starts as JSON).
 * Left: a HAL or JSON:API listing's next page is still not fetched (as round six: the seed shows
 *   no way to ask for one), so a lost charge on a later page stays unknown (PROVIDER_UNAVAILABLE),
 *   never charged again; JSON:API `included` resources and `relationships` (lines kept as related
 *   resources rather than attributes) are not read: such an order reads without its lines, and an
 *   order made outside the gateway is adopted without them. Round twenty-six's leftover,
 *   orders(filter)'s reference filter matching exactly, was not taken: the filter is the store's
 *   (src/store/feed.ts matches, redis-feed.ts indexes by the reference's exact text) and the schema
 *   describes it as "exactly", shared by every provider.
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

describe('Pei adapter against an independent Pei, round twenty-seven', () => {
  const harness = independentPeiHarness('-27');
  const { gatewayFor, untilAt, readAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  const listToday = async (url: string) => (await gqlOk<{ orders: { nodes: OrderView[] } }>(url, LIST_ORDERS, { filter: { provider: 'PEI', from: today(), to: today() } }, backOffice)).orders.nodes;
  const madeUnder = (reference: string) => [...pei.orders.values()].filter((order) => order.reference === reference);

  describe.each([
    ['HAL (application/hal+json)', 'hal'],
    ['JSON:API (application/vnd.api+json)', 'jsonApi'],
  ] as const)('a Pei answering its reads, listings and Orders/Pay in %s', (_name, mediaType) => {
    const variation = (more: Partial<IndependentPeiOptions> = {}): Partial<IndependentPeiOptions> => ({ mediaType, ...more });

    // FINDING (JSON:API): the signed postback's re-read was unreadable (no amount at the document's
    // top), answered 503, and Pei does not post again: the paid order stayed CREATED.
    it('a one-off order the buyer pays: its postback is taken (200) and the order is CAPTURED with 5000', async () => {
      const gateway = await gatewayFor(variation(), NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await readAt(gateway, order.id)).status).toBe('CREATED');
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // FINDING (JSON:API): Orders/Pay's answer was unreadable, the purchase Pei had made looked for
    // in the day's listing as a lost answer's; with the listing lagging, createOrder answered
    // PROVIDER_UNAVAILABLE while the buyer was charged.
    it('an Orders/Pay answered with its order and purchase, Pei\'s listing lagging: CAPTURED with 5000, sent once', async () => {
      const gateway = await gatewayFor(variation({ payAnswer: 'withPurchaseId', listLagMs: 60_000 }));
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase();
        const result = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(result.errors).toBeUndefined();
        expect(result.data!.createOrder.status).toBe('CAPTURED');
        expect(result.data!.createOrder.providerOrderId).toBe(madeUnder(input['reference'] as string)[0]?.orderId);
        expect(captured(result.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // FINDING (both): the listing was unreadable (HAL: no array at its top; JSON:API: entries
    // without an amount), so the charge was never found: the retry PROVIDER_UNAVAILABLE until the
    // gateway gave it up, the buyer charged and no order to show it.
    it('an Orders/Pay whose answer was lost (500), retried past the listing lag: found and CAPTURED, the buyer charged once', async () => {
      const gateway = await gatewayFor(variation());
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `media-pay-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(madeUnder(input['reference'] as string)).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
        expect(captured(retry.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('a Recurring charge whose answer was lost (500), retried past the listing lag: the mandate is charged once, CAPTURED', async () => {
      const gateway = await gatewayFor(variation());
      try {
        const input = recurring({ idempotencyKey: `media-recurring-${Math.random()}` });
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

    // FINDING (both): the listing unreadable, an order made outside the gateway was not adopted
    // (orders(filter) failed, PROVIDER_UNAVAILABLE, for the provider it names).
    it('orders(filter): a waiting order made outside the gateway is adopted CREATED with its 3000', async () => {
      const gateway = await gatewayFor(variation(), NO_RECONCILIATION);
      try {
        const orderId = `outsideMedia${Math.random().toString(36).slice(2, 12)}`;
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

    // FINDING (both, once the listing was read): the format's own paging (`_links.next` and
    // `page.totalElements`; `links.next` and `meta.total`) went unseen, so an Orders/Pay whose
    // answer was lost, on the day's second page, was taken for never made past the lag bound, and
    // the client's retry under its key charged the buyer a second time.
    it('a busy day answered 3 orders a page: an Orders/Pay whose answer was lost, on the second page, is not charged again by the retry', async () => {
      const gateway = await gatewayFor(variation({ listPageSize: 3 }));
      try {
        for (let index = 0; index < 3; index++) await gqlOk(gateway.url, CREATE_ORDER, { input: oneOff() }, shop);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `media-paged-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        if (retry.errors) expect(retry.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        else expect(retry.data!.createOrder.providerOrderId).toBe(madeUnder(input['reference'] as string)[0]?.orderId);
      } finally {
        await gateway.close();
      }
    });

    // FINDING (JSON:API): a refusal's words were not read (JSON:API's `errors` is a list of error
    // objects, not ASP.NET's field map), so at a Pei taking only the seed table's ExpirationDate
    // form (`2018-07-31 13:33:33.337`, round eight) the refusal of the JSON example's form did not
    // name the ExpirationDate and the order was not sent again in the table's form: every order
    // with an expiry refused (PROVIDER_REJECTED "HTTP 400"). HAL's `{message}` held.
    it("a Pei taking only the seed table's ExpirationDate form: the order is sent again in that form and made, once", async () => {
      const gateway = await gatewayFor(variation({ expirationInput: 'space' }), NO_RECONCILIATION);
      try {
        const input = oneOff({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
        expect(order.status).toBe('CREATED');
        expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(2);
        expect(madeUnder(input['reference'] as string)).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    // FINDING (HAL): an empty day's page (Spring HATEOAS writes no `_embedded` without content: its
    // links and `page.totalElements: 0`) was no listing: orders(filter) for that day failed.
    it('orders(filter) for a day without orders answers an empty list', async () => {
      const gateway = await gatewayFor(variation(), NO_RECONCILIATION);
      try {
        const day = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
        const result = await gql<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
        expect(result.errors).toBeUndefined();
        expect(result.data!.orders.nodes).toEqual([]);
      } finally {
        await gateway.close();
      }
    });
  });

  // Also varied, held (no change): plain JSON labelled `text/plain` (a controller returning
  // `Content(json)` without a media type; the shared transport reads a body that starts as JSON
  // whatever its label, src/providers/http.ts unexpectedBody).
  describe('a Pei labelling its JSON answers `text/plain; charset=utf-8`', () => {
    it('a one-off order the buyer pays is CAPTURED with 5000', async () => {
      const gateway = await gatewayFor({ contentType: 'text/plain; charset=utf-8' }, NO_RECONCILIATION);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('an Orders/Pay whose answer was lost (500), retried past the listing lag: found and CAPTURED, the buyer charged once', async () => {
      const gateway = await gatewayFor({ contentType: 'text/plain; charset=utf-8' });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `plain-pay-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', input['reference'] as string)).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(captured(retry.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });
});
