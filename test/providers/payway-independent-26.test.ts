/**
 * Round twenty-six of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): a merchant reference echoed in another Unicode
 * normalisation form, a timed event signature's time written as C's asctime or in a leap second
 * (round twenty-five's leftovers), and an event posted with two `Content-Type` lines. No earlier
 * round varied these (round seventeen and eighteen varied the charset of a Nordic reference's
 * bytes, never the code points the reference is written in; round twenty-one sent a header twice,
 * the signature, never the label).
 *
 * - The merchant reference echoed decomposed (NFD: `å` as `a` + U+030A) where it was placed
 *   composed (NFC), or the other way round. The seed's merchant_reference is any String of
 *   "..1024" ("a code or an url"); Payway's addresses are SE, FI or AX, so a campaign
 *   "vårkampanj" or a city "Ångermanland" is a natural reference; no document shows an event's
 *   text, and a Payway or Adyen that normalises what it keeps (a Java `Normalizer`, a decomposing
 *   collation, a reference first typed on macOS) echoes the other form. Found: Payway's
 *   order_closed or payment_failure, and Adyen's AUTHORISATION passed on, naming the reference so
 *   found no purchase, were acknowledged and dropped, and the purchase Payway charged (or failed)
 *   stayed PENDING for good; after a lost place_order answer, the retry with the same key stayed
 *   PROVIDER_UNAVAILABLE though the event had come. Fixed (purchase-store-keys.ts sameReference):
 *   references are kept and looked up in NFC, Unicode's canonical equivalence (the same letters:
 *   no guess at another reference); NFC, not NFKC, so references differing in more than that
 *   stay apart (`vårkampanj` is not `varkampanj`: holding). The harness's money check compares
 *   references in NFC too (payway-harness.ts).
 * - A timed HMAC ("<timestamp>.<body>", the time in `X-Payway-Timestamp`) whose time is C's
 *   asctime (`Mon Dec  7 07:45:12 2026`): RFC 9110's third HTTP date form (GMT), and what Ruby's
 *   Time#ctime, Python's time.ctime() or Go's time.ANSIC write of a server's local clock, without
 *   a zone. Found: no time, so every event so signed was 401 on every delivery and its pending
 *   purchase stayed PENDING. Fixed (event-signing-time.ts asctimeSeconds; event-signing-zone.ts
 *   writtenWithoutZone): read as a time with no zone, UTC or Payway's wall clock as round
 *   nineteen reads a zoneless ISO time; one of ten minutes ago is still a replay (401). A leap
 *   second (`23:59:60`, ISO 8601 or RFC 5322) is read as its minute's end (the last second of its
 *   minute, which Unix time cannot name: less than a second off, inside the five minutes); only
 *   unit tests can sign at one (test/unit/payway-signing-time.test.ts, payway-signing-zone.test.ts).
 * - Two `Content-Type` lines on an event (an HTTP client's configured default beside the one the
 *   request's encoder sets, or a proxy adding its own): Node keeps the first line of a
 *   Content-Type and drops the other (src/server/webhooks.ts sees one). Holding: a JSON body, in
 *   UTF-8 or ISO-8859-1, under `application/json` and `text/plain; charset=ISO-8859-1` in either
 *   order is CAPTURED once. Found: a form body whose first line says `application/json` (the
 *   form's own label second) was 400 on every delivery (read as JSON, which it is not, and never
 *   as the form it is), and the purchase Payway charged stayed PENDING. Fixed (webhook.ts): a body
 *   that is no JSON is read as a form whatever its label says (an unlabelled form too, which the
 *   webhook route lets through to be read by its body); still proved over the bytes as posted
 *   (another secret: 401), and a text that is no form of an event still names nothing (400).
 * - Adyen's authorised amount in a notification passed on, its `value` written as decimal text
 *   (`"12900.0"`, `"129.00"`, `"129.5"`: a Payway passing the item through a BigDecimal or a
 *   float-typed model; Adyen's own format is whole minor units, and the seed shows no event).
 *   Holding, kept so: such a value is no amount (minor units with a zero fraction and major units
 *   cannot be told apart), so the purchase is CAPTURED at its total and no authorised amount is
 *   said, never 1.29 SEK by a guess at the unit.
 *
 * Left: Adyen's 80-character cut of a reference (round fifteen) is measured on the reference in
 * NFC; a Payway cutting the decomposed form (more code points) names a shorter cut, which matches
 * nothing (acknowledged, the purchase waits for Payway's own event). Adyen's value written as the
 * JSON number `149.0` meaning major units reads as 149 minor units (JSON.parse keeps no `.0`): the
 * Info then says 1.49 SEK was authorised (the status and captured amount are not touched). Two
 * `Authorization` lines (a bearer secret rotated) reach the adapter as the first alone (Node). Round eleven's, fourteen's,
 * sixteen's and nineteen's it.fails and the README's known limitations as they were.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import {
  adyenNotification,
  echoedReference,
  eventBody,
  pending,
  PLACE_ORDER,
  complete,
  sendAdyenNotification,
  sendEvent,
  sendEventWithLines,
  sendRawEvent,
  turnedAway,
  type IndependentPayway,
  type SigningTimeFormat26,
} from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round twenty-six', () => {
  const harness = independentPaywayHarness('-26');
  const { SECRET, place, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];
  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const CAPTURED = { status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] };
  const FAILED = { status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] };
  const PENDING = { status: 'PENDING', total: '149.00 SEK', captured: ['0.00'] };
  /** A Nordic campaign reference, composed (NFC) as typed on most systems. */
  const nordic = () => `vårkampanj-Ångermanland-${randomUUID()}`.normalize('NFC');

  async function pendingUnder(merchantReference: string): Promise<string> {
    payway.answers = () => pending();
    const order = await placeOk({ merchantReference });
    expect(order.status).toBe('PENDING');
    return order.id;
  }

  describe('the merchant reference echoed in the other Unicode normalisation form (NFC / NFD)', () => {
    it.each([
      ['order_closed', 'flat', 'NFD', CAPTURED],
      ['payment_failure', 'nested-data', 'NFD', FAILED],
      ['order_closed', 'in-item', 'NFD', CAPTURED],
    ] as const)("Payway's %s (%s) echoing the reference in %s, no order an answer announced: the pending purchase is settled once", async (name, shape, form, expected) => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const echoed = echoedReference(reference, form);
      expect(echoed).not.toBe(reference);
      expect(await sendEvent(gateway.url, eventBody(name, { merchantReference: echoed, orderId: paywayOrder() }, shape), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(expected);
    });

    it('placed decomposed (a reference typed on macOS), echoed composed: CAPTURED once at 149.00', async () => {
      const reference = echoedReference(nordic(), 'NFD');
      const id = await pendingUnder(reference);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference.normalize('NFC') }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
      expect((await read(id)).reference).toBe(reference);
    });

    it.each([
      [true, CAPTURED],
      [false, FAILED],
    ] as const)("Adyen's AUTHORISATION (success %s) passed on, its merchantReference decomposed: settled once", async (success, expected) => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const notification = adyenNotification([{ eventCode: 'AUTHORISATION', success, merchantReference: echoedReference(reference, 'NFD') }]);
      expect(await sendAdyenNotification(gateway.url, notification, SECRET)).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(expected);
    });

    it("a lost place_order answer (a proxy's 502), then order_closed naming only the decomposed reference: the retry with the same key answers CAPTURED, placing nothing again", async () => {
      const key = `nfd-lost-${randomUUID()}`;
      const reference = nordic();
      const before = payway.to(PLACE_ORDER).length;
      payway.answers = () => turnedAway(502, { body: 'proxy' });
      expect(codeOf(await place({ idempotencyKey: key, merchantReference: reference }))).toBe('PROVIDER_UNAVAILABLE');
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: echoedReference(reference, 'NFD') }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      payway.answers = () => complete();
      const known = await eventually(async () => (await place({ idempotencyKey: key, merchantReference: reference })).data?.placeAdyenOrder, 5000);
      expect(moneyOf(known)).toEqual(CAPTURED);
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 1);
    });

    it('holding: a reference differing in more than its form (`a` for `å`) names another purchase: the pending one stays PENDING', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const other = reference.normalize('NFD').replace(/\u030a/g, '');
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: other }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(PENDING);
    });
  });

  describe("Adyen's authorised amount written as decimal text (a Payway passing the item on through a BigDecimal)", () => {
    const infoCodes = (order: { creation: { infos: { code: string }[] } }) => order.creation.infos.map((info) => info.code);
    it.each([
      ['"12900.0"', 'minor units with a zero fraction'],
      ['"129.00"', 'major units'],
      ['"129.5"', 'a fraction minor units cannot have'],
    ])('holding: AUTHORISATION with value %s (%s): CAPTURED at the order\'s 149.00, and no authorised amount is said (no guess at its unit)', async (value) => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const notification = adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference }]) as { notificationItems: { NotificationRequestItem: { amount: { value: unknown } } }[] };
      notification.notificationItems[0]!.NotificationRequestItem.amount.value = JSON.parse(value) as string;
      expect(await sendAdyenNotification(gateway.url, notification, SECRET)).toBeLessThan(300);
      const order = await read(id);
      expect(moneyOf(order)).toEqual(CAPTURED);
      expect(infoCodes(order as unknown as { creation: { infos: { code: string }[] } })).not.toContain('payway.authorised_amount_differs');
    });
  });

  // Left here as an it.fails until round twenty-eight: the JSON number `149.0` (major units through a
  // float) was the number 149 once parsed, read as Adyen's minor units, and the Info said 1.49 SEK
  // was authorised. Fixed there (event-adyen-value-text.ts: a `value` written with a fraction keeps
  // its text, no amount, as the decimal text above).
  it("AUTHORISATION with value 149.0 (a JSON float in major units): no authorised amount of 1.49 SEK is said", async () => {
    const reference = nordic();
    const id = await pendingUnder(reference);
    const text = JSON.stringify(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference, value: 14_900 }])).replace('"value":14900', '"value":149.0');
    expect(await sendRawEvent(gateway.url, text, SECRET, 'none', 'application/json', { authorization: `Basic ${Buffer.from(`adyen-notifications:${SECRET}`).toString('base64')}` })).toBeLessThan(300);
    const order = (await read(id)) as unknown as { status: string; creation: { infos: { code: string; message: string }[] } };
    expect(order.status).toBe('CAPTURED');
    expect(order.creation.infos.find((info) => info.code === 'payway.authorised_amount_differs')?.message ?? '').not.toContain('1.49');
  });

  describe("a timed event signature's time as C's asctime (round twenty-five's leftover)", () => {
    it.each([
      ['asctime-utc', "RFC 9110's asctime date (GMT), or Time#ctime on a server in UTC"],
      ['asctime-stockholm', "Ruby's Time#ctime / Python's time.ctime() on a server in Stockholm"],
    ] as [SigningTimeFormat26, string][])('order_closed signed at a time written %s (%s): CAPTURED once at 149.00', async (format) => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const body = eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat');
      expect(await sendEvent(gateway.url, body, SECRET, `hmac-hex-timestamped-${format}`)).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
    });

    it('still a replay: an asctime time of ten minutes ago is 401, and the purchase stays PENDING', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const body = eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat');
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex-timestamped-asctime-replayed')).toBe(401);
      expect(moneyOf(await read(id))).toEqual(PENDING);
    });
  });

  describe('an event posted with two Content-Type lines (Node keeps the first)', () => {
    const jsonAbout = (reference: string) => JSON.stringify({ event: 'order_closed', payload: { order: { id: paywayOrder(), merchant_reference: reference } } });

    it.each([
      ['application/json, then text/plain; charset=ISO-8859-1', 'latin1', ['application/json', 'text/plain; charset=ISO-8859-1']],
      ['text/plain; charset=ISO-8859-1, then application/json', 'latin1', ['text/plain; charset=ISO-8859-1', 'application/json']],
      ['application/json; charset=utf-8, then text/plain; charset=ISO-8859-1', 'latin1', ['application/json; charset=utf-8', 'text/plain; charset=ISO-8859-1']],
      ['application/json twice', 'utf8', ['application/json', 'application/json']],
    ] as const)('holding: a JSON order_closed labelled %s, its bytes %s: CAPTURED once at 149.00', async (_what, encoding, lines) => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const text = jsonAbout(reference);
      expect(await sendEventWithLines(gateway.url, Buffer.from(text, encoding), text, SECRET, { 'content-type': [...lines] })).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
    });

    it.each([
      ['application/json first, the form\'s own label second', ['application/json', 'application/x-www-form-urlencoded']],
      ['the form\'s own label first', ['application/x-www-form-urlencoded', 'application/json']],
    ] as const)('an order_closed posted as a form, labelled %s: CAPTURED once at 149.00', async (_what, lines) => {
      const reference = `campaign-${randomUUID()}`;
      const id = await pendingUnder(reference);
      const form = `event=order_closed&order_id=${paywayOrder()}&merchant_reference=${encodeURIComponent(reference)}`;
      expect(await sendEventWithLines(gateway.url, form, form, SECRET, { 'content-type': [...lines] })).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
    });

    it('an order_closed posted as a form with no Content-Type at all (read by its body): CAPTURED once at 149.00', async () => {
      const reference = `campaign-${randomUUID()}`;
      const id = await pendingUnder(reference);
      const form = `event=order_closed&order_id=${paywayOrder()}&merchant_reference=${encodeURIComponent(reference)}`;
      expect(await sendEventWithLines(gateway.url, form, form, SECRET, {})).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
    });

    it('still proved over the bytes: that form under the same two lines with another secret is 401, and the purchase stays PENDING', async () => {
      const reference = `campaign-${randomUUID()}`;
      const id = await pendingUnder(reference);
      const form = `event=order_closed&order_id=${paywayOrder()}&merchant_reference=${encodeURIComponent(reference)}`;
      expect(await sendEventWithLines(gateway.url, form, form, `${SECRET}-not`, { 'content-type': ['application/json', 'application/x-www-form-urlencoded'] })).toBe(401);
      expect(moneyOf(await read(id))).toEqual(PENDING);
    });
  });
});
