/**
 * Round seventeen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): ids too long for a double, events whose text is
 * not plain UTF-8 JSON as the gateway reads it, and events compressed on their way.
 *
 * - Ids beyond 2^53 written as JSON numbers: a Payway keeping its ids as a Java `Long` or a .NET
 *   `long` writes them so (round two read ids written as numbers, round four a session_reference,
 *   round nine a correlation id and an echoed merchant reference, round twelve Adyen's all-digit
 *   pspReference; all small ones). The seed shows its ids as placeholders ("session_reference",
 *   "ADEPRIMO-123") and types nothing beyond "String" in the request table. A JSON reader holding
 *   numbers as doubles rounds such a number (1234567890123456789 becomes ...800), and Adyen's
 *   sixteen-digit pspReference passes 2^53 from 9007199254740993 on; the wire schemas took a
 *   whole number only where it is a safe integer. Found: an action_required answer whose
 *   session_reference was so written was unreadable (PROVIDER_UNAVAILABLE, kept as a lost
 *   answer): the shopper never got the 3-D Secure step, and the purchase could not be paid; a
 *   `complete` answer's order and receipt so written were dropped (CAPTURED with no
 *   providerOrderId nor providerReference); a pending answer's Payway order too, so Payway's
 *   order_closed naming it found no purchase (PENDING for good though Payway charged it); an
 *   event echoing a 19-digit shop order number as a number named no reference (400 on every
 *   delivery); a relayed Adyen timeout (a 500) whose only sign of Adyen is such a pspReference
 *   counted as a refusal that made nothing, so the retry with the same idempotency key placed
 *   the purchase a second time (two charges once Adyen authorised the first). Fixed
 *   (long-numbers.ts, used by client.ts, webhook.ts and event-adyen-hmac.ts): an integer a
 *   double cannot hold is read as its digits, exactly as written (never rounded); as money such a
 *   figure is still no figure (too large).
 * - Events in another charset than UTF-8, or signed over another escaping of the same JSON: the
 *   seed's merchant_reference is any String of "..1024" (a campaign named "vårkampanj", a city
 *   "Ångermanland"; Payway's addresses are SE, FI or AX), and no document shows an event's bytes.
 *   A Java Payway posting with Apache HttpClient's `new StringEntity(json)` sends `text/plain;
 *   charset=ISO-8859-1`; a form encoded with `URLEncoder.encode(value, "ISO-8859-1")` is labelled
 *   so too. A Payway that signs `json.dumps(payload)` (Python's ensure_ascii: `\u00e5`), Ruby's
 *   `ascii_only` or Jackson's ESCAPE_NON_ASCII (`\u00E5`), or Gson's HTML-safe default (`=` and
 *   `'` escaped as well as round sixteen's `&`, `<`, `>`), or PHP's json_encode (`/` as `\/` and
 *   non-ASCII escaped), and posts the payload in another spelling, signs other bytes than it
 *   sends. Found: the Latin-1 body was read as UTF-8, so the
 *   reference came out as U+FFFD, the event was acknowledged and dropped, and the purchase Payway
 *   charged stayed PENDING for good (a form's too); the differently escaped bodies were 401 on
 *   every delivery. Fixed (event-text.ts: the body decoded by its `charset`, webhook.ts,
 *   event-form.ts; event-json-spellings.ts: non-ASCII characters, Gson's set and `/` as escapes
 *   or as characters, only where the text parses to the same value).
 * - An event compressed by the HTTP client that posts it (`Content-Encoding: gzip`, `deflate`,
 *   `br`), signed over the JSON it wrote: no document shows how Payway posts an event, and
 *   Faraday's or OkHttp's gzip of request bodies compress unasked. Found: the event was verified
 *   and read as its compressed bytes, 401 on every delivery (400 where the secret came as a
 *   bearer token), and its purchase stayed PENDING though Payway had charged or failed it. Fixed
 *   (event-encoding.ts, webhook.ts): the coding is undone (bounded) before the event is verified
 *   and read; a coding that cannot be undone is 400, another secret still 401.
 *
 * Looked at and holding: one order_closed delivered twice at the same moment (a retry
 * overlapping the first delivery), again under a new delivery id and time, and Adyen's
 * AUTHORISATION with Payway's order_closed for one purchase at once: CAPTURED once, 149.00.
 * Left as it was: the README's known limitations; round eleven's, fourteen's and sixteen's
 * it.fails. A Latin-1 body labelled without a charset (or as UTF-8) is still read as UTF-8 (no
 * guess: its reference then matches nothing, and the purchase waits for a readable event); a
 * signature over JSON differing in more than escapes (another key order, whitespace, number
 * spelling, escapes of two writers mixed other than PHP's) is still 401, and so is an HMAC over the compressed bytes of an event rather than
 * over its JSON.
 */
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import {
  actionRequired,
  asciiJson,
  complete,
  error,
  eventBody,
  gsonJson,
  longIdsAsNumbers,
  pending,
  PERFORM_ACTION,
  phpJson,
  PLACE_ORDER,
  sendEvent,
  sendEventBytes,
  sendEventSignedOver,
  sendRawEvent,
  adyenNotification,
  sendAdyenNotification,
  type IndependentPayway,
} from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, STATED, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round seventeen', () => {
  const harness = independentPaywayHarness('-17');
  const { SECRET, placeOk, read, continueWith } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  /** A fresh id of 19 digits above 2^53 (a Java Long): a double cannot hold it. */
  const longId = () => `46${String(Math.floor(Math.random() * 1e15)).padStart(15, '0')}17`;

  describe('ids beyond 2^53 written as JSON numbers (a Java Long, a .NET long)', () => {
    it('a session_reference so written is sent back as written: the 3-D Secure result completes the purchase', async () => {
      payway.options = { ...payway.options, sessionsChecked: true };
      const session = longId();
      const closed = longId();
      payway.answers = (request) => longIdsAsNumbers(request.path === PLACE_ORDER ? actionRequired(session) : complete({ orderId: closed, receiptId: longId() }));
      const order = await placeOk();
      expect(order.status).toBe('ACTION_REQUIRED');
      const done = await continueWith(order.id, { threeDSResult: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(done.errors).toBeUndefined();
      expect(payway.to(PERFORM_ACTION).at(-1)!.body.session_reference).toBe(session);
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: closed });
    });

    it("a complete answer's order and receipt so written reach the order exactly as written", async () => {
      const [orderId, receiptId] = [longId(), longId()];
      payway.answers = () => longIdsAsNumbers(complete({ orderId, receiptId }));
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: orderId, payments: [{ providerReference: receiptId, capturedAmount: { amount: STATED.amount } }] });
    });

    it.each([
      ['as a string', (id: string) => `"${id}"`],
      ['as a JSON number too', (id: string) => id],
    ])("a pending answer naming its Payway order so written, then Payway's order_closed naming that order %s: CAPTURED with its money", async (_how, written) => {
      const orderId = longId();
      payway.answers = () => longIdsAsNumbers(pending({ extraItem: { order_id: orderId } }));
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'PENDING', providerOrderId: orderId });
      const raw = `{"event":"order_closed","timestamp":"${new Date().toISOString()}","payload":{"order":{"id":${written(orderId)}}}}`;
      expect(await sendRawEvent(gateway.url, raw, SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('an event echoing a 19-digit shop order number (the merchant reference) as a number: it settles the purchase placed under it', async () => {
      const reference = longId();
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      const raw = `{"event":"payment_failure","payload":{"order":{"merchant_reference":${reference}}}}`;
      expect(await sendRawEvent(gateway.url, raw, SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it("a 500 (an Adyen timeout relayed) whose only sign of Adyen is its pspReference written as a 16-digit number above 2^53: the retry with the same key places nothing, and the order_closed settles it", async () => {
      const key = `long-psp-${randomUUID()}`;
      const psp = '9913140798220028';
      payway.answers = () => longIdsAsNumbers(error(500, 'third_party_error', { field: null, extra: { additional_data: { pspReference: psp, refusalReason: 'Acquirer timeout' } } }));
      const refused = await harness.place({ idempotencyKey: key });
      expect(refused.errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const retry = await harness.place({ idempotencyKey: key });
      expect(retry.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-17' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('holding: a small id written as a number is still its digits, and a price beyond 2^53 minor units is no price (the stated one is the total)', async () => {
      payway.options = { ...payway.options, paymentMethods: 'priced', periodPriceText: '12345678901234567890' };
      const text = JSON.stringify(complete({ orderId: '100234', receiptId: 'r-1' }).body).replace('"100234"', '100234');
      payway.answers = () => ({ ...complete({ orderId: '100234', receiptId: 'r-1' }), text });
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: '100234', total: { amount: STATED.amount } });
    });
  });

  describe('events whose text is not UTF-8 JSON as the gateway reads it: another charset, another escaping', () => {
    const nordic = () => `vårkampanj-Ångermanland-${randomUUID()}`;
    const pendingUnder = async (merchantReference: string) => {
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference });
      expect(order.status).toBe('PENDING');
      return order.id;
    };
    const eventAbout = (name: 'order_closed' | 'payment_failure', reference: string) => ({
      event: name,
      timestamp: new Date().toISOString(),
      payload: { order: { id: `ADEPRIMO-${randomUUID().slice(0, 8)}`, merchant_reference: reference } },
    });

    it('order_closed posted in ISO-8859-1 as `text/plain; charset=ISO-8859-1` (HttpClient\'s StringEntity), its bytes HMAC-signed: CAPTURED with its money', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const text = JSON.stringify(eventAbout('order_closed', reference));
      expect(await sendEventBytes(gateway.url, Buffer.from(text, 'latin1'), text, SECRET, 'hmac-hex', 'text/plain; charset=ISO-8859-1')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('payment_failure as `application/json;charset=iso-8859-1`, a timed HMAC: FAILED', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const text = JSON.stringify(eventAbout('payment_failure', reference));
      expect(await sendEventBytes(gateway.url, Buffer.from(text, 'latin1'), text, SECRET, 'hmac-base64-timestamped', 'application/json;charset=iso-8859-1')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it('a form whose values are percent-encoded in ISO-8859-1 (URLEncoder.encode(value, "ISO-8859-1")), labelled so: CAPTURED', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const latin1 = (value: string) => [...Buffer.from(value, 'latin1')].map((byte) => (/[A-Za-z0-9\-_.*]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
      const form = `event=order_closed&payload[order][id]=ADEPRIMO-${randomUUID().slice(0, 8)}&payload[order][merchant_reference]=${latin1(reference)}`;
      const text = `event=order_closed&payload[order][merchant_reference]=${reference}`;
      expect(await sendEventBytes(gateway.url, Buffer.from(form, 'latin1'), text, SECRET, 'hmac-hex', 'application/x-www-form-urlencoded; charset=ISO-8859-1')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('a body in ISO-8859-1 with another secret: 401, the purchase stays PENDING', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const text = JSON.stringify(eventAbout('order_closed', reference));
      expect(await sendEventBytes(gateway.url, Buffer.from(text, 'latin1'), text, `${SECRET}-not`, 'hmac-hex', 'text/plain; charset=ISO-8859-1')).toBe(401);
      expect((await read(id)).status).toBe('PENDING');
    });

    it('holding: the same event in UTF-8 labelled without a charset is read as before', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      expect(await sendEvent(gateway.url, eventAbout('order_closed', reference), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(id)).status).toBe('CAPTURED');
    });

    it('signed as Python\'s json.dumps writes it (\\u00e5), posted in UTF-8: order_closed is believed, CAPTURED', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const body = eventAbout('order_closed', reference);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(body), asciiJson(body), SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('posted as Jackson\'s ESCAPE_NON_ASCII writes it (\\u00C5), signed in UTF-8 with a timed HMAC: payment_failure is believed, FAILED', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const body = eventAbout('payment_failure', reference);
      expect(await sendEventSignedOver(gateway.url, asciiJson(body, 'upper'), JSON.stringify(body), SECRET, 'hmac-base64-timestamped', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it('signed as Gson writes it (`=` and `\'` escaped too), posted plain, under an URL reference: believed, CAPTURED', async () => {
      const reference = `https://kampanj.example.se/artikel/${randomUUID()}?utm_source=facebook&kampanj=l'été`;
      const id = await pendingUnder(reference);
      const body = eventAbout('order_closed', reference);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(body), gsonJson(body), SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect((await read(id)).status).toBe('CAPTURED');
    });

    it.each([
      ['signed as PHP\'s json_encode writes it (\\/ and \\u00e5), posted plain', (body: unknown): [string, string] => [JSON.stringify(body), phpJson(body)]],
      ['posted as PHP writes it, signed plain', (body: unknown): [string, string] => [phpJson(body), JSON.stringify(body)]],
    ] as const)('%s, under an URL reference with å: believed, CAPTURED', async (_how, texts) => {
      const reference = `https://kampanj.example.se/vår/${randomUUID()}`;
      const id = await pendingUnder(reference);
      const [posted, signed] = texts(eventAbout('order_closed', reference));
      expect(await sendEventSignedOver(gateway.url, posted, signed, SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect((await read(id)).status).toBe('CAPTURED');
    });

    it('a body whose value differs from the one signed in the other escaping: 401, the purchase stays PENDING', async () => {
      const reference = nordic();
      const id = await pendingUnder(reference);
      const signed = eventAbout('payment_failure', reference);
      const posted = { ...signed, event: 'order_closed' };
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(posted), asciiJson(signed), SECRET, 'hmac-hex', 'application/json')).toBe(401);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(posted), gsonJson(signed), SECRET, 'hmac-hex', 'application/json')).toBe(401);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(posted), phpJson(signed), SECRET, 'hmac-hex', 'application/json')).toBe(401);
      expect((await read(id)).status).toBe('PENDING');
    });
  });

  describe('one event delivered twice at the same moment, or again under a new delivery id (looked at)', () => {
    const pendingPurchase = async () => {
      payway.answers = () => pending();
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const order = await placeOk({ merchantReference: reference });
      return { id: order.id, reference };
    };
    /** Delivers until the gateway takes it (a 503 asks Payway to deliver again, as it would). */
    const delivered = async (send: () => Promise<number>) => {
      let status = await send();
      for (let tries = 0; status === 503 && tries < 5; tries++) status = await send();
      return status;
    };
    const capturedOnce = async (id: string) => {
      const order = await read(id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(order.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    };

    it('order_closed posted twice at once (a retry overlapping the first delivery): both taken, CAPTURED once', async () => {
      const purchase = await pendingPurchase();
      const body = eventBody('order_closed', { merchantReference: purchase.reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'nested-data');
      const statuses = await Promise.all([1, 2].map(() => delivered(() => sendEvent(gateway.url, body, SECRET, 'hmac-hex'))));
      expect(statuses.every((status) => status < 300)).toBe(true);
      await capturedOnce(purchase.id);
    });

    it('the same order_closed again under a new delivery id and time: CAPTURED once', async () => {
      const purchase = await pendingPurchase();
      const orderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      for (let delivery = 0; delivery < 2; delivery++) {
        const body = eventBody('order_closed', { merchantReference: purchase.reference, orderId }, 'nested-data');
        expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      }
      await capturedOnce(purchase.id);
    });

    it("Adyen's AUTHORISATION and Payway's order_closed for one purchase at the same moment: CAPTURED once, 149.00 captured", async () => {
      const purchase = await pendingPurchase();
      const notification = adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]);
      const closed = eventBody('order_closed', { merchantReference: purchase.reference }, 'flat');
      const statuses = await Promise.all([
        delivered(() => sendAdyenNotification(gateway.url, notification, SECRET)),
        delivered(() => sendEvent(gateway.url, closed, SECRET, 'hmac-hex')),
      ]);
      expect(statuses.every((status) => status < 300)).toBe(true);
      await capturedOnce(purchase.id);
    });
  });

  describe('an event compressed by the HTTP client that posts it (Content-Encoding), signed over its JSON', () => {
    const pendingUnder = async () => {
      payway.answers = () => pending();
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const order = await placeOk({ merchantReference: reference });
      return { id: order.id, reference };
    };
    const closedText = (reference: string, name: 'order_closed' | 'payment_failure' = 'order_closed') => JSON.stringify(eventBody(name, { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'nested-data'));

    it.each([
      ['gzip', (text: string) => gzipSync(text)],
      ['deflate', (text: string) => deflateSync(text)],
      ['br', (text: string) => brotliCompressSync(text)],
    ] as const)('%s, an HMAC of the JSON: order_closed is believed, CAPTURED with its money', async (coding, compress) => {
      const purchase = await pendingUnder();
      const text = closedText(purchase.reference);
      expect(await sendEventBytes(gateway.url, compress(text), text, SECRET, 'hmac-hex', 'application/json', text, { 'content-encoding': coding })).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it.each(['hmac-base64-timestamped', 'bearer-secret'] as const)('gzip, proved by %s: payment_failure is believed, FAILED', async (signing) => {
      const purchase = await pendingUnder();
      const text = closedText(purchase.reference, 'payment_failure');
      expect(await sendEventBytes(gateway.url, gzipSync(text), text, SECRET, signing, 'application/json', text, { 'content-encoding': 'gzip' })).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it('gzip signed with another secret, or a coding that cannot be undone: refused (401 / 4xx), the purchase stays PENDING', async () => {
      const purchase = await pendingUnder();
      const text = closedText(purchase.reference);
      expect(await sendEventBytes(gateway.url, gzipSync(text), text, `${SECRET}-not`, 'hmac-hex', 'application/json', text, { 'content-encoding': 'gzip' })).toBe(401);
      const garbled = await sendEventBytes(gateway.url, Buffer.from('not gzip at all'), text, SECRET, 'hmac-hex', 'application/json', text, { 'content-encoding': 'gzip' });
      expect(garbled).toBeGreaterThanOrEqual(400);
      expect(garbled).toBeLessThan(500);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });
  });
});
