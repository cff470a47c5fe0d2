/**
 * Round seventeen of the Pei adapter against an implementation of Pei's API written from the seed
 * alone (test/support/independent/pei-server.ts). Rounds one to sixteen varied the answers' shapes,
 * words, lags, postbacks and money figures; none varied the bytes the text travels in. The seed
 * names no charset for any request or answer, and Pei is an Icelandic service: a .NET site set up
 * for Icelandic (System.Web's `<globalization requestEncoding="iso-8859-1"
 * responseEncoding="iso-8859-1">`, or a handler reading and writing its streams with
 * `Encoding.GetEncoding("iso-8859-1")`) is as faithful to the seed as one speaking UTF-8. This round
 * takes the one text the money depends on, a client's own Reference, by which an Orders/Pay or a
 * Recurring charge whose answer was lost is found again (`Pöntun-þæð-...`: Icelandic letters are one
 * byte in ISO-8859-1, two in UTF-8), with a buyer and lines named in Icelandic beside it:
 *   - answers in ISO-8859-1 labelled `charset=iso-8859-1` (already read: http.ts decodes a named charset);
 *   - answers in ISO-8859-1 under `application/json` with no charset;
 *   - requests read as ISO-8859-1 unless their Content-Type names a charset (the gateway named none);
 *   - requests read as ISO-8859-1 whatever their label.
 * Found (run on the adapter before this round's fix) and fixed:
 *   - in the last three, an Orders/Pay or a Recurring charge under an Icelandic client reference
 *     whose answer was lost (500) was not found in the day's listing (its Reference came back as
 *     `P\uFFFDntun...` or `PÃ¶ntun...`), so past Pei's listing lag bound the client's retry under its
 *     idempotency key sent it again: the buyer, or the mandate, charged twice. Now:
 *     the gateway says its JSON is UTF-8 (`application/json; charset=utf-8`, client.ts send); an
 *     answer naming no charset whose bytes are no UTF-8 is read as ISO-8859-1, the one reading
 *     such bytes have left (src/providers/body-text.ts bodyText: shared code, every provider's
 *     answers; valid UTF-8 is read as before); and a listed Reference that is the one sent, its
 *     UTF-8 bytes read as ISO-8859-1 or windows-1252, is that Reference (reference-bytes.ts
 *     misreadSpellings, lost-answer.ts referenceAs; an ASCII Reference has no other spelling).
 * Also varied: purchase ids as a .NET `long` from a 64-bit generator, beyond 2^53 (the seed shows one,
 *   966127, as a JSON number, and no width), written as JSON numbers or as strings. Found: written as
 *   strings (19 digits), every read naming the purchase was unreadable (a purchase id was read as a
 *   Pei Numeric, 15 digits at most) and the postback refused (400, its purchase id limited to 15
 *   digits): a paid order never CAPTURED, an Orders/Pay answered with its purchase id not either.
 *   Fixed in wire.ts (PeiPurchaseId, PeiPostbackFields: up to a long's 19 digits).
 * After the round (the lead): a purchase id beyond 2^53 written as a JSON number was read as the
 *   nearest double: the payment's providerReference named a purchase Pei does not have, and two
 *   purchases of one order closer than the doubles' spacing (256 at 10^18) were one (a refused
 *   attempt's note would hide a later charge). Now every answer's and postback's whole numbers
 *   beyond 2^53 are kept as the digits written before parsing (src/providers/long-numbers.ts, as
 *   Dintero's round seventeen), and purchase ids are digit strings throughout the adapter
 *   (wire.ts purchaseDigits; mapping.ts's notes by purchase).
 * Left: a Pei answering in a charset it mislabels (`charset=utf-8` on ISO-8859-1 bytes) still turns
 *   Icelandic letters into U+FFFD, and a charge under such a reference whose answer was lost is not
 *   found (the retry sends it again past the lag bound); a Pei keeping the Reference in a column of a
 *   code page without the letter (`?` in its place) likewise. The buyer's name and the lines' names
 *   Pei shows its buyer are Pei's to decode: the gateway only says they are UTF-8.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { type IndependentPei } from '../support/independent/pei-server.js';
import { independentPeiHarness, PEI_BUYER_SSN } from '../support/independent/pei-harness.js';
import { icelandicChargePaths } from '../support/independent/pei-icelandic-charges.js';
import { captured } from '../support/captured.js';


describe('Pei adapter against an independent Pei, round seventeen', () => {
  const harness = independentPeiHarness('-17');
  const { gatewayFor, untilAt, oneOff, purchase } = harness;
  let pei: IndependentPei;
  let shop: string;
  let merchant: string;
  beforeAll(() => ({ pei, shop, merchant } = harness.parts));

  // ---- charsets ----------------------------------------------------------------------------------

  describe.each([
    ['answers in ISO-8859-1 labelled `charset=iso-8859-1`', { answerCharset: 'latin1Labelled' }],
    ['answers in ISO-8859-1 under `application/json` with no charset', { answerCharset: 'latin1Unlabelled' }],
    ['requests read as ISO-8859-1 unless their Content-Type names a charset', { requestCharset: 'latin1UnlessLabelled' }],
    ['requests read as ISO-8859-1 whatever their label, answered in ISO-8859-1 labelled', { requestCharset: 'latin1Always', answerCharset: 'latin1Labelled' }],
  ] as const)('a Pei (ASP.NET configured for Icelandic) with %s', (_name, variation) => {
    icelandicChargePaths(harness, variation);
  });

  // ---- purchase ids beyond 2^53 ------------------------------------------------------------------
  // Before: written as strings (how Json.NET spares a JavaScript client's 2^53), the id was no Pei
  // Numeric (15 digits), so every read of a paid order was unreadable and its postback refused (400,
  // then 503): never CAPTURED. Until after the round, beyond Number.MAX_SAFE_INTEGER the id was read as
  // the nearest double (1234567890123966127 as 1234567890123966200): the payment names a purchase
  // Pei does not have, and two purchases 256 apart were one.
  // Fixed after the round: kept as the digits written (long-numbers.ts, wire.ts purchaseDigits).

  describe('a Pei whose purchase ids are 64-bit longs beyond 2^53 (`1234567890123966127`)', () => {
    const PREFIX = '1234567890123';
    const written = (orderId: string) => `${PREFIX}${pei.orders.get(orderId)!.purchaseId}`;

    it('a one-off order the buyer pays is CAPTURED naming the purchase as Pei wrote it (JSON numbers)', async () => {
      const gateway = await gatewayFor({ purchaseIdPrefix: PREFIX });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBe(200);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
        expect(done.payments.map((payment) => payment.providerReference)).toEqual([written(order.providerOrderId!)]);
      } finally {
        await gateway.close();
      }
    });

    it('a one-off order the buyer pays is CAPTURED (numbers and postback ids as strings)', async () => {
      const gateway = await gatewayFor({ purchaseIdPrefix: PREFIX, numbersAs: 'string', postbackPurchaseIdAs: 'string' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        expect((await pei.confirm(order.providerOrderId!))?.status).toBeLessThan(300);
        const done = await untilAt(gateway, order.id, 'CAPTURED');
        expect(captured(done)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });

    it('its postback lost, a paid order is CAPTURED from its reads; an Orders/Pay answered with its purchase id is CAPTURED (ids as strings)', async () => {
      const gateway = await gatewayFor({ purchaseIdPrefix: PREFIX, numbersAs: 'string', sendPostback: false, payAnswer: 'withPurchaseId' });
      try {
        const order = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: oneOff() }, shop)).createOrder;
        await pei.confirm(order.providerOrderId!);
        expect(captured(await untilAt(gateway, order.id, 'CAPTURED'))).toBe(5000);
        pei.purchaseAccess.add(PEI_BUYER_SSN);
        const paid = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: purchase() }, merchant)).createOrder;
        expect(paid.status).toBe('CAPTURED');
        expect(captured(paid)).toBe(5000);
      } finally {
        await gateway.close();
      }
    });
  });
});
