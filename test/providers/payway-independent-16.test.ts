/**
 * Round sixteen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): how a Payway's purchase event proves that it knows
 * PAYWAY_WEBHOOK_SECRET, in two ways no earlier round tried, and the amount Adyen's own
 * notification says it authorised. No document names the signing scheme (CONTRACT §6 names only
 * the secret); rounds one, twelve and fourteen varied the HMAC's header, encoding and signing
 * time, and Adyen's own signature, always with SHA-256 and with the secret itself only as a
 * bearer token, a Basic password, a header or a URL parameter. No round read the amount of
 * Adyen's notification.
 *
 * - The HMAC with another digest, or the secret itself in another spelling of `Authorization`: an
 *   HMAC-SHA512 of the body (hex in `X-Signature`, or of "<timestamp>.<body>" in base64), GitHub's
 *   older `X-Hub-Signature: sha1=<hex>` (which many senders copied); Rails' own token scheme
 *   `Authorization: Token token="<secret>"` (ActionController::HttpAuthentication::Token, the stack
 *   round four's bracketed forms and round twelve's Time#to_s point to) or `Token <secret>`; the
 *   secret as Basic's user name with no password (what an HTTP client sends for the URL Payway is
 *   configured with written `https://<secret>@gateway/...`); the bare secret as the header's value.
 *   Found: each was 401 on every delivery, so every pending purchase stayed PENDING though Payway
 *   had charged it (or failed it). Fixed (event-signature.ts, event-digests.ts): the HMAC's digest is
 *   told by its prefix (`sha1=`, `sha512=`) or its length (20, 32 or 64 bytes), and the secret is
 *   taken from those spellings of `Authorization`; a wrong secret, a tampered body, or a Basic
 *   password beside the secret as user name is still 401.
 * - The body signed in another JSON spelling than the one posted, where a string holds `&`, `<` or
 *   `>`: the seed's merchant_reference is "a code or an url", and an article's URL carries a query
 *   string (`?utm_source=facebook&utm_medium=cpc`). A Rails Payway that signs `payload.to_json`
 *   (ActiveSupport escapes those characters as `\u0026`, `\u003c`, `\u003e` by default) and posts
 *   the payload through a JSON middleware writing `JSON.generate` (which does not), or the other
 *   way round, signs a text that is the same JSON value as the body but other bytes. Found: such
 *   an event was 401 on every delivery, so the purchase placed under an URL reference stayed
 *   PENDING though Payway had closed (charged) it; events of purchases under plain codes passed,
 *   so nothing showed it but the one purchase. Fixed (event-json-spellings.ts): a body that is
 *   JSON is also checked in the other spelling of those characters (only those: the text's JSON
 *   value is the same, so nothing is believed that the secret did not sign); a body whose value
 *   differs from what was signed is still 401.
 *
 * - Adyen's notification of the authorisation (round fourteen's reading) carrying another amount
 *   than the order's total: Adyen's `amount` is a signed field of its own format (value in minor
 *   units by its convention), while the total may be only the price the client stated (Payway's
 *   answers carry none, and payment_methods need not answer one) or a figure Payway changed
 *   since. Found: the purchase was CAPTURED at the stated 149.00 though Adyen said 129.00 (or
 *   12.90 EUR), and nothing on the order showed it. Fixed in part (event-adyen-amount.ts,
 *   event-adyen.ts, event-shape.ts, webhook.ts, mapping.ts authorisedAmountDiffers): the order
 *   stays CAPTURED as Adyen authorised it and says what Adyen authorised (Info
 *   `payway.authorised_amount_differs`), from a JSON item, an HMAC-signed one or a form. Left
 *   (it.fails): the total and captured amount cannot become Adyen's figure (no fact changes a
 *   total; 129.00 captured of 149.00 would read PARTIALLY_CAPTURED, more to come).
 *
 * Left as it was: the README's known limitations; round eleven's and round fourteen's it.fails
 * (Adyen's amount first given after 3-D Secure; a completed purchase's REFUND as Adyen notifies it:
 * the gateway still has no fact that records a refund it did not make, nor a way to add up several
 * partial refunds Adyen notifies one by one; see payway-independent-14.test.ts). Looked at and
 * holding: an event posted in ActiveSupport's spelling and signed as posted (the bytes signed are
 * the bytes sent) was read the same before.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { adyenNotification, adyenSigned, pending, railsJson, sendAdyenNotification, sendEvent, sendEventSignedOver, sendRawEvent, type IndependentPayway, type SecretProof } from '../support/independent/payway-server.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round sixteen', () => {
  const harness = independentPaywayHarness('-16');
  const { SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  /** A purchase the seed's pending answer leaves PENDING, placed under `merchantReference` (a fresh code by default). */
  const pendingPurchase = async (merchantReference = `adeprimo-campaign-${randomUUID()}`) => {
    payway.answers = () => pending();
    const order = await placeOk({ merchantReference });
    expect(order.status).toBe('PENDING');
    return { id: order.id, reference: merchantReference };
  };
  /** Payway's event about the purchase under `reference`, in the shape of Payway's events overview. */
  const eventAbout = (name: 'order_closed' | 'payment_failure', reference: string) => ({
    event: name,
    timestamp: new Date().toISOString(),
    payload: { order: { id: `ADEPRIMO-${randomUUID().slice(0, 8)}`, merchant_reference: reference } },
  });

  describe('an event proving the secret by another HMAC digest, or by the secret in another spelling of Authorization', () => {
    const proofs: [SecretProof, string][] = [
      ['sha512-hex', 'an HMAC-SHA512 of the body, hex, in X-Signature'],
      ['sha512-base64-timestamped', 'an HMAC-SHA512 of "<timestamp>.<body>", base64, with X-Payway-Timestamp'],
      ['sha1-prefixed', 'X-Hub-Signature: sha1=<hex>'],
      ['rails-token', 'Authorization: Token token="<secret>" (Rails)'],
      ['token-bare', 'Authorization: Token <secret>'],
      ['basic-secret-user', "Basic with the secret as user name and no password (a URL's userinfo)"],
      ['authorization-secret', 'Authorization: <secret>'],
    ];

    it.each(proofs)('%s (%s): order_closed is believed, the purchase CAPTURED with its money; a redelivery changes nothing', async (proof) => {
      const purchase = await pendingPurchase();
      const body = eventAbout('order_closed', purchase.reference);
      expect(await sendEvent(gateway.url, body, SECRET, proof)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(await sendEvent(gateway.url, body, SECRET, proof)).toBeLessThan(300);
      const after = await read(purchase.id);
      expect(after.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it.each(proofs)('%s: payment_failure so proved fails the purchase, nothing captured', async (proof) => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, eventAbout('payment_failure', purchase.reference), SECRET, proof)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it.each(proofs)('%s with another secret: 401, the purchase stays PENDING', async (proof) => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, eventAbout('order_closed', purchase.reference), `${SECRET}-not`, proof)).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it('an HMAC-SHA512 or SHA-1 of another body than the one posted (tampered): 401, the purchase stays PENDING', async () => {
      const purchase = await pendingPurchase();
      const posted = JSON.stringify(eventAbout('order_closed', purchase.reference));
      const signedOther = JSON.stringify(eventAbout('payment_failure', purchase.reference));
      for (const proof of ['sha512-hex', 'sha512-base64-timestamped', 'sha1-prefixed'] as const) {
        expect(await sendEventSignedOver(gateway.url, posted, signedOther, SECRET, proof, 'application/json')).toBe(401);
      }
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it('Basic with the secret as user name and a password beside it, or with the secret and another user as the password: only the latter is believed', async () => {
      const purchase = await pendingPurchase();
      const raw = JSON.stringify(eventAbout('order_closed', purchase.reference));
      const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });
      expect(await sendEventSignedOver(gateway.url, raw, raw, SECRET, 'none', 'application/json', basic(`${SECRET}:something`))).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
      expect(await sendEventSignedOver(gateway.url, raw, raw, SECRET, 'none', 'application/json', basic(`payway:${SECRET}`))).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('CAPTURED');
    });
  });

  describe('a merchant reference that is an URL with a query string (seed: "a code or an url"), the event signed in another JSON spelling than posted', () => {
    const urlReference = () => `https://kampanj.example.se/artikel/${randomUUID()}?utm_source=facebook&utm_medium=cpc&utm_campaign=<vinter>`;

    it('signed as ActiveSupport writes it (\\u0026), posted as JSON.generate writes it (&), HMAC hex: order_closed is believed, CAPTURED with its money', async () => {
      const purchase = await pendingPurchase(urlReference());
      const body = eventAbout('order_closed', purchase.reference);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(body), railsJson(body), SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('posted in ActiveSupport\'s spelling, signed as JSON.generate writes it, a timed base64 HMAC: payment_failure is believed, FAILED', async () => {
      const purchase = await pendingPurchase(urlReference());
      const body = eventAbout('payment_failure', purchase.reference);
      expect(await sendEventSignedOver(gateway.url, railsJson(body), JSON.stringify(body), SECRET, 'hmac-base64-timestamped', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it('signed in the other spelling with SHA-512 (both of this round\'s readings at once): believed', async () => {
      const purchase = await pendingPurchase(urlReference());
      const body = eventAbout('order_closed', purchase.reference);
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(body), railsJson(body), SECRET, 'sha512-hex', 'application/json')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('CAPTURED');
    });

    it('posted in ActiveSupport\'s spelling and signed as posted: believed (holding before this round)', async () => {
      const purchase = await pendingPurchase(urlReference());
      const raw = railsJson(eventAbout('order_closed', purchase.reference));
      expect(await sendEventSignedOver(gateway.url, raw, raw, SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('CAPTURED');
    });

    it('a body whose value differs from the one signed (another reference, or payment_failure signed and order_closed posted): 401, the purchases stay PENDING', async () => {
      const purchase = await pendingPurchase(urlReference());
      const other = await pendingPurchase(urlReference());
      const signed = eventAbout('payment_failure', purchase.reference);
      const closed = { ...signed, event: 'order_closed' };
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(closed), railsJson(signed), SECRET, 'hmac-hex', 'application/json')).toBe(401);
      const elsewhere = { ...signed, payload: { order: { ...signed.payload.order, merchant_reference: other.reference } } };
      expect(await sendEventSignedOver(gateway.url, JSON.stringify(elsewhere), railsJson(signed), SECRET, 'hmac-hex', 'application/json')).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
      expect((await read(other.id)).status).toBe('PENDING');
    });
  });

  describe("Adyen's notification of the authorisation carrying another amount than the order's total (the stated price)", () => {
    const sendNotification = (body: unknown) => sendAdyenNotification(gateway.url, body, SECRET);
    const infoCodes = (order: { creation: { infos: { code: string }[] } }) => order.creation.infos.map((info) => info.code);
    const authorised = (reference: string, value: number, currency = 'SEK') => adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference, value, currency }]);

    it('129.00 SEK authorised where 149.00 SEK was stated (no Payway figure before): CAPTURED as Adyen authorised it, and the order says what Adyen authorised', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(authorised(purchase.reference, 12_900))).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      const said = order.creation.infos.find((info) => info.code === 'payway.authorised_amount_differs');
      expect(said?.message).toContain('129.00 SEK');
      expect(infoCodes(order)).toContain('payway.total_as_stated');
    });

    it('the same amount as the total: nothing more is said', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(authorised(purchase.reference, 14_900))).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(infoCodes(order)).not.toContain('payway.authorised_amount_differs');
    });

    it('in another currency (EUR for an order stated in SEK): said too', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(authorised(purchase.reference, 1_290, 'EUR'))).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(order.status).toBe('CAPTURED');
      expect(order.creation.infos.find((info) => info.code === 'payway.authorised_amount_differs')?.message).toContain('12.90 EUR');
    });

    it("proved by Adyen's own HMAC of the item (the amount is a signed field; written as text there): said alike", async () => {
      const purchase = await pendingPurchase();
      // The gateway's secret is not hex, so Adyen's signature is keyed by its bytes; nothing else proves it.
      expect(await sendRawEvent(gateway.url, JSON.stringify(adyenSigned(authorised(purchase.reference, 12_900), SECRET)), SECRET, 'none', 'application/json')).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(order.status).toBe('CAPTURED');
      expect(infoCodes(order)).toContain('payway.authorised_amount_differs');
    });

    it('posted flat as a form (value and currency as fields): said alike', async () => {
      const purchase = await pendingPurchase();
      const form = new URLSearchParams({ live: 'false', eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference, pspReference: '8816178914079738', value: '12900', currency: 'SEK', reason: '' }).toString();
      expect(await sendRawEvent(gateway.url, form, SECRET, 'hmac-hex', 'application/x-www-form-urlencoded')).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(order.status).toBe('CAPTURED');
      expect(infoCodes(order)).toContain('payway.authorised_amount_differs');
    });

    // Left: the order's money cannot follow Adyen's figure. The total is fixed when
    // placeAdyenOrder answers (the domain has no fact that changes a total, as round eleven's
    // it.fails found for perform_additional_action's amount), and recording 129.00 captured of a
    // 149.00 total would read PARTIALLY_CAPTURED (more to come) where nothing more will be. The
    // order shows 149.00 captured and says what Adyen authorised (above).
    it.fails("the order's total and captured amount are what Adyen authorised (129.00 SEK)", async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(authorised(purchase.reference, 12_900))).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });
  });
});
