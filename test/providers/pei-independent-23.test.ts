/**
 * Round twenty-three of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Pei skipped round twenty-two; rounds one to
 * twenty-one varied what Pei answers (shapes, words, figures, lags, charsets, redirects, id
 * alphabets) and combined them. This round takes two things no round varied, and one leftover:
 *   - .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`) as "no date". The seed types ExpirationDate
 *     "DateTime", "not required", "Default is one day into the future", and shows no read or listing
 *     output; `created` is no field of its at all. A .NET Pei writes a non-nullable `DateTime` it has
 *     no value for as MinValue: a listing's summary projection that does not select the dates into
 *     the DTO reads and listings share, or a read model whose expiry column is nullable and whose
 *     default is applied when the order is checked rather than stored. Round five took MinValue on an
 *     Orders/Pay order only (its input has no ExpirationDate); here it is every order's, in the
 *     listing or everywhere, in the seed's forms (ISO, the table's space, older ASP.NET's
 *     `/Date(-62135596800000)/`);
 *   - every answer with `Connection: close` (keep-alive off, an HTTP/1.0-minded front tier): the
 *     seed says nothing of connections, and a money call must still be sent once;
 *   - round twenty-one's leftover: an id ending in `/` (one base64 id in 64) written raw in the
 *     `Location` of a 201 or a 303 (`Created($"/api/orders/{id}")`), where it ends the path as a
 *     trailing slash would, with Pei's listing lagging.
 * House: Pei's `rawIdAfterOrders` (location.ts) repeated the shared `idAfter`
 *   (src/providers/location-id.ts) but for an id running over several segments (round twenty-one's
 *   raw `/`); that is now idAfter's `spanningSegments` option, the copy dropped (other providers
 *   call idAfter without it, unchanged: test/unit/location-id.test.ts). A Location sent twice
 *   (or comma-joined) now names nothing for Pei too, as for the others (the copy took the first).
 * Found (run on the adapter before this round's fix) and fixed in src/providers/pei:
 *   - an ExpirationDate read back as MinValue was the order's expiry (read as 1901, not even year
 *     one: `Date.UTC` takes years 0-99 for 1900-1999), long past, so a one-off order the buyer was
 *     about to pay was EXPIRED (final) at its first re-read (reconciliation, 150 ms here), in each of
 *     the three forms. In `orders(filter)`, an order made outside the gateway whose buyer may still
 *     pay was adopted EXPIRED (final); with a `created` of MinValue beside it, it was not listed at
 *     all (dated 1901, outside the day asked for). Now a date in year one, or `/Date(ms)/` within a
 *     day of MinValue, is no date (dates.ts isNoDate, in parsePeiAnswerDateTime): the expiry the
 *     gateway sent is the one it judges by (mapping.ts expiryOf), as for a read without one; an
 *     order nobody sent an expiry for waits on Pei's word; a listed order without `created` is
 *     dated by the day it was listed under; a lost charge's search places it by its other fields.
 *   - the id ending in `/` was read as a trailing slash: the order misnamed, its read-back found
 *     nothing, so an Orders/Pay Pei DECLINED was CAPTURED on the answer alone (the harness's money
 *     check: more captured than Pei moved), one it charged was CAPTURED under an id Pei does not
 *     have, and a one-off order's buyer was sent to a page of that id. Now a Location whose path
 *     ends in `/` names two candidates (location.ts locatedOrderIds) and the client asks Pei which
 *     one it has, a read each, before reading the answer (client.ts locatedOrder); neither shown
 *     (a read lagging the write), the first, as before.
 * Held (no change): with `Connection: close` on every answer, a one-off order, an Orders/Pay and a
 *   lost Orders/Pay answer found by its retry each reach Pei once (the shared transport,
 *   src/providers/http.ts, needs nothing).
 * Left: an id ending in `/` in a raw Location at a Pei whose reads lag its writes is still taken
 *   without its `/` (neither candidate shown yet). Round nineteen's `5.000` on the signed
 *   postback's own re-read and in `orders(filter)`, the charset label carried to the Reference
 *   search, and the lost-charge test helper were not taken this round (README Known
 *   limitations). A "no date" spelled otherwise (SQL Server's `1753-01-01`, `1900-01-01`, a Unix epoch zero) is still read as that
 *   date: those are real instants the gateway cannot tell from a date Pei means.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { captured } from '../support/captured.js';


/** Long enough for several reconciliation re-reads (every 150 ms here). */
const SOME_RE_READS_MS = 1200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Pei adapter against an independent Pei, round twenty-three', () => {
  const harness = independentPeiHarness('-23');
  const { gatewayFor, untilAt, readAt, oneOff, purchase, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  /** The order Pei made under `reference`. */
  const madeUnder = (reference: unknown) => [...pei.orders.values()].find((stored) => stored.reference === reference)!;

  describe.each([
    ['`0001-01-01T00:00:00`', {}],
    ["the seed table's `0001-01-01 00:00:00`", { expirationAs: 'space' }],
    ['`/Date(-62135596800000)/`', { expirationAs: 'msjson' }],
  ] as const)('a Pei writing DateTime.MinValue as %s for dates it has none of', (_form, form: Partial<IndependentPeiOptions>) => {
    // FINDING, fixed (dates.ts isNoDate): the read's year-one expiry was the order's: EXPIRED
    // (final) at the first re-read while the buyer could still pay on Pei's page.
    it('in reads and listings: a one-off order stays CREATED through its re-reads; paid, CAPTURED', async () => {
      const gateway = await gatewayFor({ ...form, minValueDates: 'everywhere', createdShown: 'utc' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect(order.status).toBe('CREATED');
        await pause(SOME_RE_READS_MS);
        expect((await readAt(gateway, order.id)).status).toBe('CREATED');
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const paid = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(paid)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // FINDING, fixed: the listing's entry for an order made outside the gateway, whose buyer may
    // still pay, was adopted EXPIRED (final).
    it("in the listing: an order made outside the gateway, its buyer still to pay, is adopted CREATED, not EXPIRED", async () => {
      const gateway = await gatewayFor({ ...form, minValueDates: 'listing', createdShown: 'utc' });
      try {
        const orderId = `outsideMin${Math.random().toString(36).slice(2, 12)}`;
        pei.orders.set(orderId, { orderId, merchantId: 4, amount: 3000, reference: `back-office-${orderId}`, expirationDate: new Date(Date.now() + 86_400_000), sequenceType: 'OneOff', items: [{ name: 'Helicopter', amount: 3000 }], created: new Date() });
        const day = new Date().toISOString().slice(0, 10);
        const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
        const entry = listed.orders.nodes.find((node) => node.providerOrderId === orderId);
        expect(entry).toMatchObject({ status: 'CREATED', total: { amount: '3000' } });
      } finally {
        await gateway.close();
      }
    });
  });

  // Guard: a date the gateway cannot use keeps nothing open past Pei's own word.
  it('MinValue dates beside Pei\'s own `Expired`: EXPIRED all the same', async () => {
    const gateway = await gatewayFor({ minValueDates: 'everywhere', statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } });
    try {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      pei.orders.get(order.providerOrderId!)!.expirationDate = new Date(Date.now() - 1000);
      expect((await untilAt(gateway, order.id, 'EXPIRED')).status).toBe('EXPIRED');
    } finally {
      await gateway.close();
    }
  });

  // Guard: Orders/Pay (round five's MinValue), its lost answer found by the retry past the lag.
  it('MinValue everywhere: an Orders/Pay whose answer was lost (500), retried past the listing lag: found, CAPTURED, charged once', async () => {
    const gateway = await gatewayFor({ minValueDates: 'everywhere', createdShown: 'utc' });
    try {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const input = purchase({ idempotencyKey: `min-pay-${Math.random()}` });
      pei.loseNextAnswer('/api/orders/pay', 500);
      const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
      if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retry = await createPastListingLag(gateway.url, input, merchant);
      expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.createOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: madeUnder(input['reference']).orderId });
    } finally {
      await gateway.close();
    }
  });

  // Round twenty-one's leftover. FINDING, fixed (location.ts locatedOrderIds, client.ts
  // locatedOrder): the id's last `/` was read as a trailing slash, the order misnamed.
  describe.each([
    ['201 Created', 201],
    ["303 See Other to the order's read", 303],
  ] as const)('a POST that made an order whose id ends in `/` answered %s, the Location written raw; the listing lagging', (_how, status) => {
    const SLASH_END = { idAlphabet: 'base64EndingSlash', locationIdAs: 'raw', payAnswer: 'location', createAnswer: 'location', payStatus: status, createStatus: status, listLagMs: 60_000 } as const;

    it('Orders/Pay: CAPTURED under the order Pei made, charged once', async () => {
      const gateway = await gatewayFor(SLASH_END);
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase();
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        const made = madeUnder(input['reference']);
        expect(made.orderId.endsWith('/')).toBe(true);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.createOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: made.orderId });
        expect(captured(answer.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('Orders/Pay declined (its read says so): never CAPTURED, sent once', async () => {
      const gateway = await gatewayFor({ ...SLASH_END, payConfirms: 'declined', statusWords: { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' } });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase();
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        if (answer.data?.createOrder) {
          expect(answer.data.createOrder.status).not.toBe('CAPTURED');
          expect(captured(answer.data.createOrder)).toBe(0);
        }
      } finally {
        await gateway.close();
      }
    });

    it("Submit: a one-off order made once, its buyer sent to its page; paid, CAPTURED", async () => {
      const gateway = await gatewayFor(SLASH_END);
      try {
        const input = oneOff();
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
        expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
        expect(answer.errors).toBeUndefined();
        const made = madeUnder(input['reference']);
        expect(answer.data!.createOrder).toMatchObject({ status: 'CREATED', providerOrderId: made.orderId });
        expect(decodeURIComponent(new URL(answer.data!.createOrder.creation.stopAction!.redirectUrl!).pathname.slice(1))).toBe(made.orderId);
        await pei.confirm(made.orderId);
        expect(captured(await untilAt(gateway, answer.data!.createOrder.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  describe('a Pei answering every call with `Connection: close`', () => {
    const CLOSE: Partial<IndependentPeiOptions> = { connectionClose: true };

    // Held.
    it('a one-off order made once; paid, CAPTURED', async () => {
      const gateway = await gatewayFor(CLOSE);
      try {
        const input = oneOff();
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
        expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
        await pei.confirm(order.providerOrderId!);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    // Held.
    it('Orders/Pay, several at once: each charged once, CAPTURED', async () => {
      const gateway = await gatewayFor(CLOSE);
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const inputs = [purchase(), purchase(), purchase()];
        const answers = await Promise.all(inputs.map((input) => gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)));
        for (const [index, input] of inputs.entries()) {
          expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
          expect(answers[index]!.createOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: madeUnder(input['reference']).orderId });
        }
      } finally {
        await gateway.close();
      }
    });

    // Held.
    it('an Orders/Pay whose answer was lost (a reset), retried past the listing lag: found, CAPTURED, charged once', async () => {
      const gateway = await gatewayFor(CLOSE);
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `close-pay-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 'reset');
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: madeUnder(input['reference']).orderId });
      } finally {
        await gateway.close();
      }
    });
  });
});
