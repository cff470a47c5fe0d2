/**
 * Round fifteen of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). After fourteen rounds of answers' shapes, words,
 * lags and postbacks, this round takes two things the seed leaves to its implementer's platform,
 * on the paths where money moves (a buyer's payment, Orders/Pay, a Recurring charge, a lost
 * answer's search, the postback's charged amount):
 *   - the money figures (the Order's Amount, its Items' UnitPrice and Amount: "Numeric" in the
 *     seed's tables; no read, listing or Orders/Pay output shown) written as strings in the
 *     culture of Pei's server, Icelandic (is-IS: `,` for the decimal point, `.` between
 *     thousands), as a .NET DTO with `string Amount = order.Amount.ToString(...)` of a
 *     `decimal(18,2)` column writes them: `5000,00` (`ToString()`), `5.000,00` (`"N2"`), `5.000`
 *     (`"N0"`). Round two tried numbers as strings only as `"5000"`; round four took is-IS for dates;
 *   - how a POST that made an order names it where it sends no body: the seed shows Orders/Pay's
 *     Output empty, and a REST service answers `201 Created` with the order's read in `Location`
 *     (ASP.NET's `CreatedAtAction`), `202 Accepted` with it as the status monitor (RFC 9110), or a
 *     POST-redirect-GET's `303 See Other` to it; with Pei's listing lagging the create (round five).
 *     Round one's Pei answered no body without a Location (payAnswer `none`).
 * Found and fixed in src/providers/pei (see each describe):
 *   - `5000,00` and `5.000,00` were no number: every read and listing entry unreadable, so a paid
 *     order never CAPTURED (its postback answered 503, its re-read unreadable), a charge whose
 *     answer was lost never found (unknown until the gateway gave it up), and round twelve's
 *     postback `amount` (what Pei charged for the buyer's choice) dropped, so the order showed the
 *     default selection's 2000 kr. captured where Pei charged 1500. `5.000` was read as 5 kr.: a
 *     paid order of 5000 kr. CAPTURED with 5 (the harness's closing check: less than Pei charged),
 *     an Orders/Pay whose answer was lost found and CAPTURED as a 5 kr. purchase. Now a numeric
 *     string is read in the invariant culture, or in is-IS or en-US where it can be nothing else;
 *     one group of three after one to three digits (`5.000`, `5,000`: 5 in one culture, 5000 in the
 *     other) is no number, never guessed (numeric.ts, wire.ts PeiNumeric);
 *   - a 2xx without a body naming the order in its `Location`, or a 303 See Other to its read, was
 *     unreadable (or PROVIDER_UNAVAILABLE, as any 3xx): the purchase was looked for in the day's
 *     listing as a lost answer's, and while the listing lagged createOrder failed
 *     (PROVIDER_UNAVAILABLE) although Pei had charged the buyer (an Orders/Pay, a Recurring charge)
 *     or made the order whose page the buyer was to be sent to. Now the order the Location names
 *     (`.../orders/<id>`, absolute or relative) is the answer, read back as a `{orderId}` answer is
 *     (a declined purchase is not CAPTURED; 202 is still charging: PENDING); another 3xx, or a
 *     Location naming no order, stays as it was (location.ts, client.ts madeAnswer, seesOther).
 * Left: at a Pei writing `"N0"` (`5.000`), an order of 1.000 to 999.999 kr. is unreadable (an
 *   it.fails): a paid one is not CAPTURED (CREATED until a readable read, then its expiry's rules),
 *   a lost charge's outcome stays unknown (PROVIDER_UNAVAILABLE, never sent again). Telling `5.000`
 *   apart needs the order's own total beside the read, which the reading context does not carry.
 *   Spaces or non-breaking spaces between thousands (`5 000`, other cultures) are still no number.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { createPastListingLag, independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { captured } from '../support/captured.js';

/** What the gateway shows as captured, over all of the order's payments, in whole krónur. */
const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };
/** Round twelve's choice: a group of two vehicles and an optional Parachute, the Helicopter and the Parachute selected by default (2000 kr.). */
const CHOICE_ITEMS = [
  { name: 'Helicopter', amount: '1500', group: 'Flying vehicles', selected: true },
  { name: 'Glider', amount: '2000', group: 'Flying vehicles' },
  { name: 'Parachute', amount: '500', optional: true, selected: true },
];
/** One line of 5000 kr. (quantity 1): every money figure of the order is `5.000` at a Pei writing "N0". */
const ONE_LINE = { items: [{ code: 'HEL1', name: 'Helicopter', quantity: 1, unitPrice: '5000', amount: '5000' }] };

describe('Pei adapter against an independent Pei, round fifteen', () => {
  const harness = independentPeiHarness('-15');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  let backOffice: string;
  beforeAll(() => ({ pei, shop, merchant, backOffice } = harness.parts));

  // ---- money figures written as a server under Icelandic culture writes a decimal ----------------

  describe.each([
    ["decimal.ToString() (`5000,00`: is-IS's decimal comma)", 'decimalComma'],
    ['decimal.ToString("N2") (`5.000,00`)', 'groupedDecimal'],
  ] as const)('a Pei writing its reads\' and listings\' money figures as strings with %s', (_name, moneyAs) => {
    it('a one-off order the buyer pays becomes CAPTURED with what Pei charged, by its postback and by its reads', async () => {
      const gateway = await gatewayFor({ moneyAs });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('its postback lost, a paid one-off order becomes CAPTURED from its reads', async () => {
      const gateway = await gatewayFor({ moneyAs, sendPostback: false });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('an Orders/Pay whose answer was lost (500), retried with its key past the listing lag: found, not charged again', async () => {
      const gateway = await gatewayFor({ moneyAs });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `money-${Math.random()}` });
        pei.loseNextAnswer('/api/orders/pay', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        expect(retry.data!.createOrder.status).toBe('CAPTURED');
      } finally {
        await gateway.close();
      }
    });

    it('a Recurring charge whose answer was lost (500), retried with its key past the listing lag: the mandate is not charged again', async () => {
      const gateway = await gatewayFor({ moneyAs });
      try {
        const input = recurring({ idempotencyKey: `money-rec-${Math.random()}` });
        pei.loseNextAnswer('/api/orders', 500);
        const first = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        if (first.errors) expect(first.errors[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
        expect(retry.errors).toBeUndefined();
        const done = await untilAt(gateway, retry.data!.createOrder.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it("the day's listing shows a paid order with its total and captured amount", async () => {
      const gateway = await gatewayFor({ moneyAs });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        await untilAt(gateway, order.id, 'CAPTURED');
        const day = new Date().toISOString().slice(0, 10);
        const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PEI', from: day, to: day } }, backOffice);
        const entry = listed.orders.nodes.find((node) => node.id === order.id);
        expect(entry).toMatchObject({ status: 'CAPTURED', total: { amount: '5000' } });
        expect(captured(entry!)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  describe.each([
    ['`5000,00`', 'decimalComma'],
    ['`5.000,00`', 'groupedDecimal'],
  ] as const)("a Pei whose reads keep the Amount as submitted, posting what it charged as `amount` (round twelve's) written as %s", (_name, moneyAs) => {
    // Round twelve read the postback's figure only as a number: written so, it was none, and the
    // order showed the default selection's 2000 kr. captured where Pei charged 1500 (more than Pei
    // moved: the harness's closing check) or 2500.
    it.each([
      [['Helicopter'], 1500],
      [['Glider', 'Parachute'], 2500],
    ] as const)('the buyer choosing %j: CAPTURED for what Pei charged (%i kr.), at the postback and at later reads', async (chosen, charge) => {
      const gateway = await gatewayFor({ moneyAs, readAmount: 'submitted', postbackAmount: 'charged' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items: CHOICE_ITEMS }) }, shop)).createOrder;
        expect(Number(order.total.amount)).toBe(2000);
        expect((await pei.confirm(order.providerOrderId!, [...chosen]))?.status).toBe(200);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(charge);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(captured(await readAt(gateway, order.id))).toBe(charge);
      } finally {
        await gateway.close();
      }
    });
  });

  describe('a Pei writing money figures as decimal.ToString("N0") under is-IS (`5.000`: the thousands separator is a dot)', () => {
    // `5.000` is 5 kr. in the invariant culture and 5000 in is-IS: either guess is a thousandfold
    // error, so it is no number (numeric.ts). Left: such a Pei's reads of an order of 1.000 to 999.999
    // kr. (one group) are unreadable, so a paid order is CAPTURED only where its amount has no
    // group or two (`990`, `1.000.000`). Telling them apart needs the order's own total beside the
    // read (the reading context has none): too large for this round.
    // Round nineteen (pei-independent-19.test.ts): the total the gateway submitted the order with
    // now reads it where the gateway knows that total (numeric.ts marksByTotal): the three below
    // are as round nineteen left them.
    it('a paid one-off order of 5000 kr. becomes CAPTURED with 5000 from its postback and reads', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(ONE_LINE) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        const done = await untilAt(gateway, order.id, 'CAPTURED', 2000);
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('a paid one-off order is never shown CAPTURED with 5 kr. where Pei charged 5000', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff(ONE_LINE) }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        await new Promise((resolve) => setTimeout(resolve, 600));
        const read = await readAt(gateway, order.id);
        // Before: CAPTURED with 5 kr. (the harness's closing check: less than Pei charged). Round
        // fifteen left the read unreadable (CREATED); round nineteen reads it beside the order's total.
        expect(captured(read)).not.toBe(5);
        expect(read.status === 'CAPTURED' ? captured(read) : 0).toBe(read.status === 'CAPTURED' ? 5000 : 0);
      } finally {
        await gateway.close();
      }
    });

    it('an Orders/Pay whose answer was lost (500), retried with its key past the listing lag: not charged again', async () => {
      const gateway = await gatewayFor({ moneyAs: 'grouped' });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase({ idempotencyKey: `money-n0-${Math.random()}`, ...ONE_LINE });
        pei.loseNextAnswer('/api/orders/pay', 500);
        await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        const retry = await createPastListingLag(gateway.url, input, merchant);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
        // Before: found as a 5 kr. purchase and CAPTURED so. Round fifteen left its entry unreadable
        // (PROVIDER_UNAVAILABLE, never sent again); round nineteen reads the entry's order beside the
        // amount sent: found, CAPTURED with 5000.
        expect(retry.errors).toBeUndefined();
        expect(captured(retry.data!.createOrder)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  // ---- a made order named by the Location of a 201 Created without a body, or a 303 See Other ------
  // Before: the answer was unreadable. Orders/Pay's charge was looked for in the day's listing as a
  // lost answer's, and where the listing did not show it yet (it lags: round five) createOrder
  // failed, PROVIDER_UNAVAILABLE, while Pei had charged the buyer; a submit likewise.

  describe.each([
    ['201 Created with no body, its Location absolute (`<url>/api/orders/<id>`, as ASP.NET Core writes it)', 201, 'absolute'],
    ['201 Created with no body, its Location relative (`/api/orders/<id>`)', 201, 'relative'],
    ["303 See Other to the order's read (a POST-redirect-GET)", 303, 'absolute'],
  ] as const)('a Pei answering a POST that made an order %s; its listing lagging', (_name, status, locationAs) => {
    const LAGGING = { payStatus: status, createStatus: status, locationAs, listLagMs: 1500 } as const;

    it('Orders/Pay: the purchase Pei made is CAPTURED at once, under the order the Location names', async () => {
      const gateway = await gatewayFor({ ...LAGGING, payAnswer: 'location' });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase();
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
        const made = [...pei.orders.values()].find((stored) => stored.reference === input['reference'])!;
        expect(order).toMatchObject({ providerOrderId: made.orderId, status: 'CAPTURED' });
        expect(captured(order)).toBe(5000);
        expect(callsTo('/api/orders/pay', String(input['reference']))).toHaveLength(1);
      } finally {
        await gateway.close();
      }
    });

    it('Orders/Pay: a purchase Pei declines (its read says Declined) is never CAPTURED', async () => {
      const gateway = await gatewayFor({ ...LAGGING, payAnswer: 'location', payConfirms: 'declined', statusWords: WORDS });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.createOrder.status).not.toBe('CAPTURED');
        expect(answer.data!.createOrder.providerStatus).toBe('Declined');
        expect(captured(await readAt(gateway, answer.data!.createOrder.id))).toBe(0);
      } finally {
        await gateway.close();
      }
    });

    it('Submit: a one-off order is made once and its buyer sent to its page; paid, it is CAPTURED', async () => {
      const gateway = await gatewayFor({ ...LAGGING, createAnswer: 'location' });
      try {
        const input = oneOff();
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
        const made = [...pei.orders.values()].find((stored) => stored.reference === input['reference'])!;
        expect(order).toMatchObject({ providerOrderId: made.orderId, status: 'CREATED' });
        expect(order.creation.stopAction?.redirectUrl).toBe(`${pei.checkoutUrl}/${made.orderId}`);
        await pei.confirm(made.orderId);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('Submit: a Recurring charge is made once and CAPTURED', async () => {
      const gateway = await gatewayFor({ ...LAGGING, createAnswer: 'location' });
      try {
        const input = recurring();
        const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant);
        expect(answer.errors).toBeUndefined();
        expect(callsTo('/api/orders', String(input['reference']))).toHaveLength(1);
        expect(captured(await untilAt(gateway, answer.data!.createOrder.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });

  describe("a Pei answering Orders/Pay 202 Accepted with no body, the order in its Location (RFC 9110's status monitor), charging later; its listing lagging", () => {
    const ACCEPTED = { payStatus: 202, payAnswer: 'location', payConfirms: 'later', payLaterMs: 300, listLagMs: 1500 } as const;

    it('the purchase is PENDING under the order the Location names, then CAPTURED from its reads (its postback lost)', async () => {
      const gateway = await gatewayFor({ ...ACCEPTED, sendPostback: false });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const input = purchase();
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, merchant)).createOrder;
        const made = [...pei.orders.values()].find((stored) => stored.reference === input['reference'])!;
        expect(order).toMatchObject({ providerOrderId: made.orderId, status: 'PENDING' });
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('a purchase Pei declines later (its read says Declined) is never CAPTURED', async () => {
      const gateway = await gatewayFor({ ...ACCEPTED, payConfirms: 'laterDeclined', statusWords: WORDS });
      try {
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        expect(order.status).toBe('PENDING');
        await new Promise((resolve) => setTimeout(resolve, 900));
        const read = await readAt(gateway, order.id);
        expect(read.status).not.toBe('CAPTURED');
        expect(read.providerStatus).toBe('Declined');
        expect(captured(read)).toBe(0);
      } finally {
        await gateway.close();
      }
    });
  });
});
