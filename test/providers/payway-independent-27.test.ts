/**
 * Round twenty-seven of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): the currency of Payway's figures written by ISO
 * 4217's number or in lower case, and a purchase placed under a decomposed reference by a gateway
 * of before round twenty-six whose event comes after the upgrade (round twenty-six's leftover).
 * No earlier round varied either (round eleven and twelve varied an amount's value and unit,
 * never how its currency is written; round twenty-six matched references in NFC from then on).
 *
 * - The currency of Adyen's `amount` in a place_order answer (round eleven), of payment_methods'
 *   price (CONTRACT §8) and of Adyen's notification passed on (round sixteen) written as ISO
 *   4217's numeric code (`currencyWrittenAs`): a JSON number (`752`) or three digits (`"752"`).
 *   The seed shows no amount at all, so nothing says how a currency is written; a Payway passing
 *   on an acquirer's figure (ISO 8583's field 49 is the numeric code) or keeping currencies by
 *   number writes them so. Found: such a figure was no figure (a number failed the wire schema, the
 *   digits were an unknown currency), so a purchase Payway charged 129.00 was recorded with the
 *   stated 149.00 as its total and, once complete, its captured amount; the authorised amount of
 *   Adyen's notification was not said. Fixed (currency-code.ts, used by wire.ts, mapping.ts
 *   offeredTotal and event-adyen-amount.ts): ISO 4217's numeric code is its letter code (the same
 *   standard, one code for one currency: no guess); a number that is no code listed there is still
 *   no currency, so the stated price stands with `payway.total_as_stated`. Holding: the letters in
 *   lower case (`"sek"`), read so since round eleven.
 * - A purchase placed under a decomposed reference (NFD, as macOS types `å`) by a gateway of before
 *   round twenty-six, which kept its attempts under the reference as written, then its event after
 *   the upgrade (keyed by NFC since): simulated by moving the attempt's record to the key that
 *   gateway wrote. Found: Payway's order_closed or payment_failure naming the reference (as placed,
 *   or composed) found no purchase, was acknowledged and dropped, and the purchase Payway charged
 *   stayed PENDING for good; after a lost place_order answer, the retry with the same key stayed
 *   PROVIDER_UNAVAILABLE though the event had come. Fixed (purchase-store-keys.ts earlierKeysOf,
 *   purchase-store-earlier.ts, purchases.ts): the index also reads the key of the reference as
 *   written and of its decomposed form, and the record moves to today's key when next written.
 *
 * Left: an attempt a gateway of before round twenty-six is writing at the same moment as one of
 * today (a rolling upgrade) is under another lock and key; Adyen's 80-character cut of such a
 * reference (round fifteen) kept before the upgrade is still looked up in NFC only. Round eleven's,
 * fourteen's, sixteen's, nineteen's and twenty-six's it.fails and the README's known limitations as
 * they were.
 */
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { keyOf } from '../../src/providers/payway/purchase-store-keys.js';
import {
  adyenNotification,
  complete,
  echoedReference,
  eventBody,
  pending,
  PLACE_ORDER,
  sendAdyenNotification,
  sendEvent,
  turnedAway,
  type CurrencyWriting,
  type IndependentPayway,
} from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round twenty-seven', () => {
  const harness = independentPaywayHarness('-27');
  const { TOKEN, SECRET, place, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];
  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const infoCodes = (order: { creation: { infos: { code: string }[] } }) => order.creation.infos.map((info) => info.code);
  const STATED = { amount: '149.00', currency: 'SEK' };
  const CHARGED_129 = { status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] };
  const PENDING_129 = { status: 'PENDING', total: '129.00 SEK', captured: ['0.00'] };
  const CAPTURED = { status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] };
  const FAILED = { status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] };
  const PENDING = { status: 'PENDING', total: '149.00 SEK', captured: ['0.00'] };
  /** Adyen's amount passed through in an answer (round eleven), the letters as given. */
  const adyenAmount = (value: number, currency: string | number = 'SEK') => ({ amount: { currency, value } });

  describe("Payway's figures with their currency written by ISO 4217's number, or in lower case", () => {
    it.each(['numeric', 'numeric-text', 'lower'] as CurrencyWriting[])("complete with Adyen's 12900 SEK, its currency written %s, where 149.00 was stated: the total and the captured amount are 129.00", async (writing) => {
      payway.options = { token: TOKEN, strict: true, currencyWrittenAs: writing };
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(12_900) });
      const placed = await placeOk(STATED);
      expect(moneyOf(placed)).toEqual(CHARGED_129);
      expect(infoCodes(placed)).not.toContain('payway.total_as_stated');
    });

    it.each(['numeric', 'numeric-text'] as CurrencyWriting[])("pending with Adyen's 12900 SEK written %s, then its order_closed: 129.00 captured once", async (writing) => {
      payway.options = { token: TOKEN, strict: true, currencyWrittenAs: writing };
      payway.answers = () => pending({ extraItem: adyenAmount(12_900) });
      const placed = await placeOk(STATED);
      expect(moneyOf(placed)).toEqual(PENDING_129);
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual(CHARGED_129);
    });

    it.each(['numeric', 'numeric-text', 'lower'] as CurrencyWriting[])("payment_methods' price 12900 SEK, its currency written %s: the purchase is Payway's 129.00, captured once closed", async (writing) => {
      payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice: { currency: 'SEK', value: 12_900 }, currencyWrittenAs: writing };
      payway.answers = () => pending();
      const placed = await placeOk(STATED);
      expect(moneyOf(placed)).toEqual(PENDING_129);
      expect(infoCodes(placed)).toContain('payway.stated_total_differs');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual(CHARGED_129);
    });

    it('978 for EUR where 12.00 EUR was stated and Adyen charged 990: 9.90 EUR', async () => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(990, 978) });
      const placed = await placeOk({ amount: '12.00', currency: 'EUR' });
      expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '9.90 EUR', captured: ['9.90'] });
    });

    it.each([999, '000', 75.2, '7520'])('holding: %j is no currency code: no figure, the stated 149.00 stands (payway.total_as_stated), never a guess', async (currency) => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(12_900, currency) });
      const placed = await placeOk(STATED);
      expect(moneyOf(placed)).toEqual(CAPTURED);
      expect(infoCodes(placed)).toContain('payway.total_as_stated');
    });

    it.each([752, '752'])("Adyen's AUTHORISATION passed on, its amount 12900 in currency %j: CAPTURED, and the order says Adyen authorised 129.00 SEK", async (currency) => {
      payway.answers = () => pending();
      const placed = await placeOk(STATED);
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const notification = adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference, value: 12_900, currency }]);
      expect(await sendAdyenNotification(gateway.url, notification, SECRET)).toBeLessThan(300);
      const order = await read(placed.id);
      expect(moneyOf(order)).toEqual(CAPTURED);
      expect(order.creation.infos.find((info) => info.code === 'payway.authorised_amount_differs')?.message).toContain('129.00 SEK');
    });
  });

  describe('a purchase placed under a decomposed reference by a gateway of before round twenty-six, its event after the upgrade', () => {
    /** The key a purchase index of before round twenty-six kept a reference's attempts under: the reference stripped, as written. */
    const keyBeforeRound26 = (reference: string) => `payway:purchase:${createHash('sha256').update(reference.trim()).digest('base64url')}`;
    /** The attempts of `reference` moved to where a gateway of before round twenty-six wrote them. */
    async function asKeptBeforeRound26(reference: string): Promise<void> {
      const kv = gateway.store.kv;
      const record = await kv.get(keyOf(reference));
      expect(record).not.toBeNull();
      expect(keyBeforeRound26(reference)).not.toBe(keyOf(reference));
      await kv.set(keyBeforeRound26(reference), record!, 30 * 24 * 60 * 60 * 1000);
      await kv.delete(keyOf(reference));
    }
    const decomposed = () => echoedReference(`vårkampanj-Ångermanland-${randomUUID()}`, 'NFD');

    async function pendingUnder(reference: string): Promise<string> {
      payway.answers = () => pending();
      const order = await placeOk({ ...STATED, merchantReference: reference });
      expect(order.status).toBe('PENDING');
      await asKeptBeforeRound26(reference);
      return order.id;
    }

    it.each([
      ['order_closed', 'as placed (decomposed)', 'NFD', CAPTURED],
      ['order_closed', 'composed', 'NFC', CAPTURED],
      ['payment_failure', 'as placed (decomposed)', 'NFD', FAILED],
    ] as const)("Payway's %s naming the reference %s: the pending purchase is settled once, and its record is under today's key", async (name, _how, form, expected) => {
      const reference = decomposed();
      const id = await pendingUnder(reference);
      expect(await sendEvent(gateway.url, eventBody(name, { merchantReference: echoedReference(reference, form), orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(expected);
      expect(await gateway.store.kv.get(keyBeforeRound26(reference))).toBeNull();
      expect(await gateway.store.kv.get(keyOf(reference))).not.toBeNull();
    });

    it("a lost place_order answer (a proxy's 502) before the upgrade, then order_closed naming the reference: the retry with the same key answers CAPTURED, placing nothing again", async () => {
      const key = `r27-lost-${randomUUID()}`;
      const reference = decomposed();
      const before = payway.to(PLACE_ORDER).length;
      payway.answers = () => turnedAway(502, { body: 'proxy' });
      expect(codeOf(await place({ ...STATED, idempotencyKey: key, merchantReference: reference }))).toBe('PROVIDER_UNAVAILABLE');
      await asKeptBeforeRound26(reference);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      payway.answers = () => complete();
      const known = await eventually(async () => (await place({ ...STATED, idempotencyKey: key, merchantReference: reference })).data?.placeAdyenOrder, 5000);
      expect(moneyOf(known)).toEqual(CAPTURED);
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 1);
    });

    it('holding: a reference differing in more than its form (`a` for `å`) names another purchase: the one kept before the upgrade stays PENDING', async () => {
      const reference = decomposed();
      const id = await pendingUnder(reference);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference.replace(/\u030a/g, '') }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(PENDING);
    });
  });
});
