/**
 * Round sixteen of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Round fifteen took the money figures (the
 * Order's Amount, its Items' UnitPrice and Amount: "Numeric" in the seed's tables, no read,
 * listing or Orders/Pay output shown) written as strings in the culture of Pei's server, is-IS,
 * and left two readings unread; this round takes both, on the paths where money moves (a buyer's
 * payment and its postback, a read when the postback is lost, Orders/Pay and a Recurring charge
 * whose answer was lost and which the gateway must find rather than send again, the listing):
 *   - thousands grouped by a mark that is never a decimal point, as .NET's `ToString("N0")` and
 *     `("N2")` write them under the culture its server happens to run in (the seed names none; a
 *     hosted .NET service runs under its host's): a no-break space U+00A0 (nb-NO, sv-SE, fi-FI;
 *     fr-FR before ICU: `5 000,00`), a narrow no-break space U+202F (fr-FR under ICU), a plain
 *     space (`5 000`), de-CH's apostrophe (`5'000.00`);
 *   - is-IS's "N0" (`9.990`) for figures whose three last digits are not all zero: the seed's own
 *     Amount (9990) and its items' prices (1500, 4500) are such. Round fifteen left every single
 *     group of three (`5.000`, `9.990`) unread, since it is 5 or 5000 by culture; but `9.990` read
 *     with a decimal point is 9,99 kr., and ISK has no minor units (the adapter reads a fractional
 *     amount as an error already): only 9990 is an amount in krónur;
 *   - is-IS's "N0" `5.000` (5 or 5000 kr., both whole) beside a figure of the same answer that says
 *     how its writer marks thousands: the harness's own order, two lines of 2500 kr. (`2.500`,
 *     `5.000`). One answer comes from one serialiser in one culture.
 * Found (run on the adapter before this round's fix) and fixed in src/providers/pei:
 *   - every read and listing entry with a space-grouped figure was unreadable (numericText knew
 *     only `.` and `,`): a paid order never CAPTURED (its signed postback answered 503, its re-read
 *     unreadable; the postback lost, it stayed CREATED), an Orders/Pay or a Recurring charge whose
 *     answer was lost never found (PROVIDER_UNAVAILABLE to the client's retry until the gateway
 *     gave it up), a paid order's listing entry dropped. Now a group mark that is never a decimal
 *     point makes the one `,` or `.` after the groups the decimal point (numeric.ts spaceGrouped);
 *   - at a Pei writing "N0", an order of 9990 kr. was unreadable likewise. Now a money figure (whole
 *     krónur: wire.ts PeiKrónur) with one group of three whose other reading is a fraction of a
 *     króna is the thousands (numeric.ts krónurText); quantities (PeiNumeric) are not read so;
 *   - at a Pei writing "N0", the order of 2 x 2500 kr. was unreadable likewise (`5.000`), though its
 *     unit price `2.500` says the answer writes `.` between thousands. Now a single group of `000` in
 *     an order answer (a read, a listing entry) is read as the answer's other money figures say its
 *     writer uses that mark: between thousands (`2.500`, `5.000,00`, `1.000.000`) gives 5000, as the
 *     decimal point (`2500.000`) gives 5; nothing beside it, or figures that disagree, leave it
 *     unread (numeric.ts krónurInOneCulture, wire.ts withFiguresInOneCulture in asOrderFields).
 * Left: `5.000`, `10.000` (a single group of `000`) with no figure beside it that says how the answer
 *   marks thousands (an order of one line of 5000 kr.; a postback's `amount` alone) stays unread:
 *   5 kr. and 5000 kr. are both whole krónur, and telling them apart needs the order's own total
 *   beside the read (round fifteen's it.fails stands). A figure grouped by a mark this round does
 *   not list (another culture's) is still no number.
 * Added after the round: a request turned away before any work ("come back later": 429, 408, 425)
 *   with an error body in ASP.NET's shapes was Pei's refusal (PROVIDER_REJECTED): an Orders/Pay or
 *   a Recurring charge refused for a request Pei never looked at, its retry refused again unsent.
 *   Now PROVIDER_UNAVAILABLE that sent nothing, so the retry under the key is sent once
 *   (client.ts expectOk; the server's turnAwayNext).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { captured } from '../support/captured.js';

/** The seed's own Amount (9990 kr.), one line: `9.990` at a Pei writing is-IS's "N0". */
const SEED_AMOUNT = { items: [{ code: 'HEL1', name: 'Helicopter', quantity: 1, unitPrice: '9990', amount: '9990' }] };
/** The seed's items' prices (1500, 4500): a group of two vehicles, the Helicopter selected by default (1500 kr.). */
const SEED_CHOICE = [
  { name: 'Helicopter', amount: '1500', group: 'Flying vehicles', selected: true },
  { name: 'Airship', amount: '4500', group: 'Flying vehicles' },
];

describe('Pei adapter against an independent Pei, round sixteen', () => {
  const harness = independentPeiHarness('-16');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  /** The money paths of one way of writing the figures: `items` the order's lines (the harness's default: 2 x 2500 = 5000). */
  function moneyPaths(money: Partial<IndependentPeiOptions>, total: number, items?: Record<string, unknown>) {
    const lines = items ?? {};

    it('a one-off order the buyer pays becomes CAPTURED with what Pei charged, by its postback and by its reads', async () => {
      const gateway = await gatewayFor(money);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(lines) }, shop)).createOrder;
        const delivery = await pei.confirm(order.providerOrderId!);
        expect(delivery?.status).toBe(200);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(total);
      } finally {
        await gateway.close();
      }
    });

    it('its postback lost, a paid one-off order becomes CAPTURED from its reads', async () => {
      const gateway = await gatewayFor({ ...money, sendPostback: false });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(lines) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(total);
      } finally {
        await gateway.close();
      }
    });

    it('an Orders/Pay whose answer was lost (500), retried with its key past the listing lag: found and CAPTURED, not charged again', async () => {
      const gateway = await gatewayFor(money);
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `money16-${Math.random()}`, ...lines });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
        expect(captured(retry.data!.createOrder)).toBe(total);
      } finally {
        await gateway.close();
      }
    });

    it('a Recurring charge whose answer was lost (500), retried with its key past the listing lag: the mandate is not charged again', async () => {
      const gateway = await gatewayFor(money);
      try {
        const input = recurring({ idempotencyKey: `money16-rec-${Math.random()}`, ...lines });
        pei.loseNextAnswer('/api/orders', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        const done = await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
        expect(captured(done)).toBe(total);
      } finally {
        await gateway.close();
      }
    });

    it("the day's listing shows a paid order with its total and captured amount", async () => {
      const gateway = await gatewayFor(money);
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(lines) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        await untilAt(gateway, order.id, 'CAPTURED');
        const day = new Date().toISOString().slice(0, 10);
        const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
        const entry = listed.orders.nodes.find((node) => node.id === order.id);
        expect(entry).toMatchObject({ status: 'CAPTURED', total: { amount: String(total) } });
        expect(captured(entry!)).toBe(total);
      } finally {
        await gateway.close();
      }
    });
  }

  // ---- thousands grouped by a mark that is never a decimal point --------------------------------
  // Before: every figure was no number, so every read and listing entry was unreadable: a paid
  // order never CAPTURED (its postback answered 503), a lost charge never found.

  describe.each([
    ['"N2" under nb-NO / sv-SE (a no-break space U+00A0: `5 000,00`)', { moneyAs: 'groupedDecimal', moneyGroup: '\u00A0' }],
    ['"N2" under fr-FR with ICU (a narrow no-break space U+202F: `5 000,00`)', { moneyAs: 'groupedDecimal', moneyGroup: '\u202F' }],
    ['"N0" with a plain space (`5 000`)', { moneyAs: 'grouped', moneyGroup: ' ' }],
    ["\"N2\" under de-CH (an apostrophe, a decimal point: `5'000.00`)", { moneyAs: 'groupedDecimal', moneyGroup: "'" }],
  ] as const)('a Pei writing its money figures as strings with %s', (_name, money) => {
    moneyPaths(money, 5000);
  });

  // ---- is-IS "N0" for a figure that is not whole thousands ---------------------------------------
  // Before: `9.990` was unread (5 in one culture, 5000 in the other, round fifteen): every read of
  // an order of the seed's own Amount unreadable.

  describe('a Pei writing money figures as decimal.ToString("N0") under is-IS, an order of the seed\'s own Amount (`9.990`)', () => {
    moneyPaths({ moneyAs: 'grouped' }, 9990, SEED_AMOUNT);
  });

  // ---- is-IS "N0" `5.000` beside a figure that says how the answer writes thousands ---------------
  // The harness's order: two lines of 2500 kr., 5000 in all: `2.500` (only thousands make it whole
  // krónur) and `5.000` (5 or 5000). Before (and after krónurText alone), `5.000` was unread, so
  // every read and listing entry of the order was.

  describe('a Pei writing money figures as decimal.ToString("N0") under is-IS, an order whose unit price (`2.500`) says how `5.000` is written', () => {
    moneyPaths({ moneyAs: 'grouped' }, 5000);
  });

  describe('a Pei writing money figures as decimal.ToString("N0") under is-IS, the buyer choosing among the seed\'s items (`1.500`, `4.500`)', () => {
    it.each([
      ['Airship', 4500],
      ['Helicopter', 1500],
    ] as const)('the buyer choosing the %s: CAPTURED for what Pei charged (%i kr.), at the postback and at later reads', async (chosen, charge) => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: SEED_CHOICE }) }, shop)).createOrder;
        expect(Number(order.total.amount)).toBe(1500);
        expect((await pei.confirm(order.providerOrderId!, [chosen]))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(charge);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(captured(await readAt(gateway, order.id))).toBe(charge);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- "come back later" (408, 425, 429) with Pei's error body ---------------------------------
  // Found by the lead after the round: a rate limit in front of Pei's controllers (or a request
  // timeout, a TLS early-data refusal) answered with an error body in ASP.NET's shapes was read as
  // Pei's refusal (PROVIDER_REJECTED): a buyer charged with Orders/Pay or a Recurring charge was
  // told "refused" for a request Pei never looked at, and the retry under the same key answered
  // that refusal again. Now it is PROVIDER_UNAVAILABLE that sent nothing, so the retry is sent once.

  describe('a request Pei turns away before any work ("come back later") with its error body', () => {
    it.each([
      ['429 with {message}', 429, 'message'],
      ['429 with a problem+json', 429, 'problem'],
      ['408 with {message}', 408, 'message'],
      ['425 with {message}', 425, 'message'],
    ] as const)('Orders/Pay turned away (%s) is PROVIDER_UNAVAILABLE; the retry under its key charges the buyer once: CAPTURED', async (_name, status, errorBody) => {
      const gateway = await gatewayFor({ errorBody });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `away16-${Math.random()}` });
        pei.turnAwayNext('/api/orders/pay', status);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        expect(pei.turnedAway).toEqual([{ method: 'POST', path: '/api/orders/pay' }]);
        const retry = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(retry.createOrder.status).toBe('CAPTURED');
        expect(captured(retry.createOrder)).toBe(5000);
        // Two POSTs reached the server, one turned away: Pei made (and charged) one order.
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(2);
        expect([...pei.orders.values()].filter((order) => order.reference === input['reference'])).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    it('a Recurring charge turned away (429) is PROVIDER_UNAVAILABLE; the retry under its key charges the mandate once', async () => {
      const gateway = await gatewayFor({});
      try {
        const input = recurring({ idempotencyKey: `away16-rec-${Math.random()}` });
        pei.turnAwayNext('/api/orders', 429);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        const done = await untilAt(gateway, retry.createOrder.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
        expect([...pei.orders.values()].filter((order) => order.reference === input['reference'])).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    it('a one-off order turned away (429) is PROVIDER_UNAVAILABLE; the retry under its key makes one order the buyer pays', async () => {
      const gateway = await gatewayFor({});
      try {
        const input = oneOff({ idempotencyKey: `away16-one-${Math.random()}` });
        pei.turnAwayNext('/api/orders', 429);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
        expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
        expect([...pei.orders.values()].filter((stored) => stored.reference === input['reference'])).toHaveLength(1);
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });
});
