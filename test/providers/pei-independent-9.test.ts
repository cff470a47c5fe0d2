/**
 * Round nine of the Pei adapter against an implementation of Pei's API written from the seed alone
 * (test/support/independent/pei-server.ts). Rounds one to eight varied the answers' shapes and
 * words, lost answers, lag, listings and where the gateway decides "final"; this one takes four
 * places where the seed's own text leaves a *name* or a *granularity* open that the adapter had
 * fixed on its own:
 *   - the status field's name: the seed names no status field at all (round eight took its shape,
 *     a status table's row). A .NET property named after its enum type writes `"orderStatus":
 *     "Declined"`, an entity's `"state"`, a DTO with the enum's number and display name `"status":
 *     2, "statusName": "Confirmed"`;
 *   - the amount's name in reads: the seed's Order row is "Amount", described as "TotalAmount of
 *     purchase"; a read model taking the description's word answers `totalAmount`;
 *   - Pei's error body as ASP.NET Core writes it (an RFC 7807 problem: `title`, `errors`,
 *     `traceId`), which every `[ApiController]` answers an invalid model with (round one used it
 *     only to see that a refusal is PROVIDER_REJECTED; round eight left what it costs);
 *   - the ExpirationDate read back without its time of day (the seed: "An expiration date for the
 *     order"): a Pei keeping it in a SQL `date` column answers `2026-12-07T00:00:00` or `2026-12-07`.
 * Found and fixed in src/providers/pei (see each describe): a charge Pei declined shown CAPTURED,
 * and Pei's `Expired` unseen, where the word was not under `status` (wire.ts withStatusWord); every
 * read unreadable where the amount was `totalAmount`, so a paid order never CAPTURED (wire.ts
 * withAmount); a problem's words, field and trace id dropped, so a refusal of the ExpirationDate's
 * form was never sent again in the seed table's form and every order was refused (wire.ts
 * PeiError, mapping.ts rejectionOf); an order expiring later the same day EXPIRED (final) at its
 * first re-read, and one with the default expiry at the midnight before it, while the buyer could
 * still pay (mapping.ts expiryOf, dayOfSent).
 * Left: a read whose status field has a name outside those listed (`paymentStatus`, Icelandic
 * `stada`) is still read as one without a status (by its purchase id); a read with no amount under
 * either name is still unreadable, so a paid order stays CREATED (an it.fails: the webhook's
 * re-read would need the stored order's total); an
 * expiry read back as a date is taken as the end of that day (or the instant sent, if later), so
 * where Pei also moves the expiry earlier within that day, or expires at the day's start, the
 * gateway's EXPIRED comes up to a day late unless Pei says `Expired`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { type IndependentPei, type IndependentPeiOptions } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { sleep } from '../support/test-time.js';
import { captured } from '../support/captured.js';

const WORDS = { waiting: 'Pending', confirmed: 'Confirmed', expired: 'Expired' };

describe('Pei adapter against an independent Pei, round nine', () => {
  const harness = independentPeiHarness('-9');
  const { gatewayFor, readAt, untilAt, oneOff, purchase, recurring, callsTo } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- the status field under another name ------------------------------------------------------

  const STATUS_NAMES: [string, Partial<IndependentPeiOptions>][] = [
    ['"orderStatus" (a property named after its enum type)', { statusKey: 'orderStatus' }],
    ['"state"', { statusKey: 'state' }],
    ['"status" as the enum\'s number, its word in "statusName"', { statusAs: 'numberAndName' }],
  ];

  describe.each(STATUS_NAMES)('the status word written under %s', (_name, naming) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ statusWords: WORDS, recurringCharge: 'declined', payConfirms: 'declined', ...naming });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts withStatusWord): the adapter read the status from `status` only. The
    // seed names no status field, so its name is the implementer's: under any other name (or with
    // `status` a number beside its word) the read was judged as one without a status, where a
    // purchase id means confirmed. A charge Pei attempted and declined shows the attempt's purchase
    // id: the order was CAPTURED, and the harness's closing check counted a charge Pei never made.
    it('a Recurring charge Pei declines (the attempt\'s purchase id beside "Declined") stays PENDING with Pei\'s word, never CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: recurring() }, merchant)).createOrder;
      expect(order.status).toBe('PENDING');
      // Declined 50 ms on; the gateway re-reads every 150 ms.
      await sleep(700);
      expect(pei.orders.get(order.providerOrderId!)!.declined).toBe(true);
      const read = await readAt(gateway, order.id);
      expect(read).toMatchObject({ status: 'PENDING', providerStatus: 'Declined' });
      expect(captured(read)).toBe(0);
    });

    it('an Orders/Pay Pei declines (answered {orderId}, its read saying "Declined") is never CAPTURED', async () => {
      pei.purchaseAccess.add(PEI_BUYER_SSN);
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      if (answer.errors) expect(answer.errors[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      else {
        const order = answer.data!.createOrder;
        expect(pei.orders.get(order.providerOrderId!)!.declined).toBe(true);
        expect(order.status).not.toBe('CAPTURED');
        expect(order.providerStatus).toBe('Declined');
        await sleep(400);
        const read = await readAt(gateway, order.id);
        expect(read.status).not.toBe('CAPTURED');
        expect(captured(read)).toBe(0);
      }
    });

    it('Pei\'s "Expired" ends an order at once (EXPIRED), not only after the gateway\'s grace', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 1500).toISOString() }) }, shop)).createOrder;
      pei.expire(order.providerOrderId!);
      const expired = await untilAt(gateway, order.id, 'EXPIRED', 3000);
      expect(expired).toMatchObject({ providerStatus: 'Expired' });
      expect(expired.events.at(-1)).toMatchObject({ status: 'EXPIRED', source: 'RECONCILIATION' });
    });

    it('the buyer confirming, its postback lost: "Confirmed" under that name makes the order CAPTURED at the next re-read', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      pei.options.sendPostback = false;
      try {
        await pei.confirm(order.providerOrderId!);
      } finally {
        pei.options.sendPostback = true;
      }
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(paid).toMatchObject({ providerStatus: 'Confirmed' });
      expect(captured(paid)).toBe(5000);
    });
  });

  // ---- the amount as "TotalAmount of purchase" ----------------------------------------------------

  describe('order answers naming the amount "totalAmount" (the seed\'s "Amount: TotalAmount of purchase")', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ amountKey: 'totalAmount' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts withAmount): a read without `amount` was unreadable. Every re-read
    // failed: the postback's (answered 503, so Pei's confirmation was never taken) and
    // reconciliation's, so a paid order stayed CREATED, re-read for ever; the day's listing left
    // every order out.
    it('the buyer confirms: the postback\'s re-read is read, CAPTURED for the whole amount', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      const delivery = await pei.confirm(order.providerOrderId!);
      expect(delivery?.status).toBeLessThan(300);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
      expect(paid.events.map((event) => [event.status, event.source])).toContainEqual(['CAPTURED', 'WEBHOOK']);
    });

    it('the buyer choosing fewer items on Pei\'s page, the postback lost: reconciliation reads what Pei charged', async () => {
      const items = [
        { name: 'Helicopter', amount: '4000', group: 'Flying vehicles', selected: true },
        { name: 'Glider', amount: '3000', group: 'Flying vehicles' },
        { name: 'Insurance', amount: '1000', optional: true, selected: true },
      ];
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ items }) }, shop)).createOrder;
      expect(order.total.amount).toBe('5000');
      pei.options.sendPostback = false;
      try {
        await pei.confirm(order.providerOrderId!, ['Glider']);
      } finally {
        pei.options.sendPostback = true;
      }
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(3000);
    });
  });

  describe('order answers without the amount at all (where the order stands, not what it is for)', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ amountKey: 'none' });
    });
    afterAll(() => gateway?.close());

    // LEFT (it.fails): a read without an amount is unreadable, so neither the postback's re-read nor
    // reconciliation's can take the confirmation, and the paid order stays CREATED (re-read for ever).
    // Not fixed here: a provider fact carries absolute amounts (domain/observation.ts), and the
    // postback's re-read has no stored order to take the total from (readWebhook sees the postback
    // and Pei's read only); reconciliation's read could use the order's own total, but the read
    // would then have to be taken without an amount everywhere it is judged (listings, a lost
    // answer's search compares amounts), which is a change of the port or of every reader.
    it.fails('the buyer confirms: CAPTURED for the order\'s total', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
      await pei.confirm(order.providerOrderId!);
      expect(captured(await untilAt(gateway, order.id, 'CAPTURED', 2000))).toBe(5000);
    });
  });

  // ---- an ASP.NET Core problem as Pei's error ---------------------------------------------------

  describe('a Pei answering its refusals as ASP.NET Core problems (title, errors, traceId), taking ExpirationDate only in the seed table\'s form', () => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor({ errorBody: 'problem', expirationInput: 'space' });
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (wire.ts PeiError, mapping.ts rejectionOf): only ASP.NET Web API's `{message,
    // modelState}` was read. A problem's words were dropped ("Pei rejected the request: HTTP 400"),
    // so a refusal naming the ExpirationDate in its `errors` was not known for one (round eight's
    // resend in the table's form needs the words): every order without SubscriptionOptions was refused.
    it('a ONE_OFF order refused for its ExpirationDate\'s form is sent again as the table writes it, and made', async () => {
      const input = oneOff();
      const created = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createOrder.status).toBe('CREATED');
      expect(callsTo('/api/orders', input['reference'] as string)).toHaveLength(2);
      expect([...pei.orders.values()].filter((stored) => stored.reference === input['reference'])).toHaveLength(1);
      await pei.confirm(created.data!.createOrder.providerOrderId!);
      expect(captured(await untilAt(gateway, created.data!.createOrder.id, 'CAPTURED'))).toBe(5000);
    });

    // FINDING, fixed (same place): CONTRACT §3's PROVIDER_REJECTED carries the provider's field and
    // correlation id "where it gave them"; a problem gives its `errors` keys and its `traceId`.
    it('a refusal (Orders/Pay for a buyer without purchase access) carries Pei\'s words, field and traceId', async () => {
      pei.purchaseAccess.delete(PEI_BUYER_SSN);
      const refused = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant);
      const error = refused.errors?.[0];
      expect(error?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: '403', providerField: 'Order' });
      // The trace id as Pei gave it, save digit runs that could be a kennitala (masked, as in every error).
      const traceId = pei.lastTraceId!;
      const correlationId = String(error?.extensions?.['correlationId']);
      expect(correlationId).toHaveLength(traceId.length);
      expect([...correlationId].every((char, index) => char === traceId[index] || char === '*')).toBe(true);
      expect(correlationId.slice(0, 3)).toBe('00-');
      expect(error?.message).toContain('purchase access');
      expect(JSON.stringify(refused)).not.toContain(PEI_BUYER_SSN);
    });
  });

  // ---- the ExpirationDate read back without its time of day -----------------------------------------

  /**
   * An expiry about `minutes` from now, kept within today (UTC) so the date Pei reads back is
   * today's, and halfway between two quarter hours, so that its distance from midnight is no time
   * zone's offset (which the adapter already took for a server's local time).
   */
  const laterToday = (minutes: number): string | undefined => {
    const quarter = 15 * 60_000;
    const at = Math.floor((Date.now() + minutes * 60_000) / quarter) * quarter + quarter / 2;
    const endOfDay = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    return at < endOfDay && at - Date.now() > 60_000 ? new Date(at).toISOString() : undefined;
  };

  const DATE_ONLY: [string, Partial<IndependentPeiOptions>][] = [
    ['as the date alone (2026-12-07)', { expirationAs: 'dateOnly' }],
    ['as a SQL date\'s midnight (2026-12-07T00:00:00), with status words', { expirationAs: 'sqlDate', statusWords: WORDS }],
  ];

  describe.each(DATE_ONLY)('reads showing the ExpirationDate %s', (_name, variation) => {
    let gateway: Gateway;
    beforeAll(async () => {
      gateway = await gatewayFor(variation);
    });
    afterAll(() => gateway?.close());

    // FINDING, fixed (mapping.ts expiryOf, dayOfSent): the read's date was taken for that day's
    // first instant, hours before the expiry the gateway sent (and not by a zone's offset, which
    // the adapter already allowed for), so the order was EXPIRED (final) at its first re-read,
    // and the buyer's payment on Pei's page a moment later was left in its history.
    it.runIf(laterToday(20) !== undefined)('an order expiring later today stays CREATED while the buyer can pay; the buyer pays: CAPTURED', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: laterToday(20) }) }, shop)).createOrder;
      // Re-read every 150 ms meanwhile.
      await sleep(600);
      expect(await readAt(gateway, order.id)).toMatchObject({ status: 'CREATED' });
      await pei.confirm(order.providerOrderId!);
      const paid = await untilAt(gateway, order.id, 'CAPTURED');
      expect(captured(paid)).toBe(5000);
    });

    it.runIf(variation.statusWords != null)('an order Pei says is "Expired" is EXPIRED at once all the same', async () => {
      const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff({ expiresAt: new Date(Date.now() + 1500).toISOString() }) }, shop)).createOrder;
      pei.expire(order.providerOrderId!);
      expect(await untilAt(gateway, order.id, 'EXPIRED', 3000)).toMatchObject({ providerStatus: 'Expired' });
    });
  });
});
