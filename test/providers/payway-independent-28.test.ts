/**
 * Round twenty-eight of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): characters outside Unicode's Basic Multilingual
 * Plane (an emoji, `𝔘`: one code point, two UTF-16 units, four UTF-8 bytes) where the seed gives
 * a size, counted and cut in another unit than JavaScript's; and round twenty-six's leftover, the
 * `it.fails` of Adyen's value written as the JSON float `149.0`. No earlier round varied the unit
 * a size is counted in (round fifteen cut a long ASCII URL at 80 UTF-16 units; rounds seventeen,
 * eighteen and twenty-six varied a Nordic reference's bytes and normal form, all inside the BMP).
 *
 * - place_order's "Size range" (merchant_reference "..1024", traffic_source "..100",
 *   discount_code "1..100") counted in code points (`sizesCountedIn: 'code-points'`), as a Ruby
 *   Payway's length validation counts (the seed writes its regexes `/^[a-zA-Z-_0-9]+$/`, round four
 *   found Rack's bracketed forms); the seed names no unit. Holding, no change: the table's rules
 *   (src/schema/payway-rules.ts) are zod 4's `.max`, which counts code points, so a reference of
 *   600 emoji (1200 UTF-16 units) or a traffic source of 60 is sent as given; 1025 code points are
 *   BAD_USER_INPUT before Payway is asked; a Payway counting UTF-16 units refuses 600 emoji with its
 *   own error (PROVIDER_REJECTED naming the field, nothing placed).
 * - Adyen's notification naming "the first 80 characters" (round fifteen) of a longer reference
 *   that holds such characters (`adyenCutOf`): 80 code points (Ruby's `reference[0, 80]`), or 80
 *   UTF-16 units cut inside a pair (Java's `substring`), the lone half written as the JSON escape,
 *   as U+FFFD (Node's, .NET's encoders), as `?` (Java's `String.getBytes`) or left out. Found: only
 *   a cut of exactly 80 units was looked up, so a cut in code points, or one whose lone half was
 *   written `?` or left out, found no purchase, was acknowledged and dropped, and the purchase
 *   Adyen authorised (or refused) stayed PENDING for good (the escape and U+FFFD held: the store's
 *   key hashes a lone half as U+FFFD). Fixed (adyen-reference-cut.ts, purchases.ts rememberCut / cutFrom): each writing of a
 *   long reference's cut is remembered under the same rule as round fifteen's (a cut two references
 *   share is nobody's: no guess), and a cut is looked up when its length is one of theirs. The
 *   price: a reference whose 80 units end in `?` (a URL's query) now shares its cut with one whose
 *   pair is cut there, and an item naming it settles neither while both wait (Payway's own events,
 *   which echo the whole reference, still do).
 * - Round twenty-six's it.fails: Adyen's `value` written as the JSON number `149.0` (major units
 *   through a float-typed model) was read as 149 minor units, and the order's Info said 1.49 SEK
 *   was authorised. Fixed (event-adyen-value-text.ts, webhook.ts): a `value` member written with a
 *   fraction or an exponent keeps its text, which is no amount, as round twenty-six made of the
 *   decimal text "149.0" (never a guess at the unit); CAPTURED at the total as before, no
 *   authorised amount said. Whole minor units (`12900`) are read as before.
 *
 * - Holding, no change: Payway's own order_closed echoing a reference holding `🎄𝔘` written as
 *   UTF-8, or as JSON's surrogate escapes (`\ud83c\udf84`, lower or upper case hex, as PHP's
 *   json_encode or an ASCII-only writer spells it): CAPTURED once.
 *
 * Left: a Payway counting sizes in UTF-8 bytes (a `VARCHAR(1024)` of bytes) refuses a shorter
 * reference with its own error (PROVIDER_REJECTED: no money moves). A cut whose lone half an
 * encoder wrote as invalid UTF-8 bytes (CESU-8, several U+FFFD once decoded) is still no cut.
 * Round eleven's, fourteen's, sixteen's and nineteen's it.fails and the README's known limitations
 * as they were.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { adyenCutOf, adyenNotification, asciiJson, eventBody, pending, PLACE_ORDER, sendAdyenNotification, sendRawEvent, type AdyenCut, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round twenty-eight', () => {
  const harness = independentPaywayHarness('-28');
  const { TOKEN, SECRET, place, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];
  const CAPTURED = { status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] };
  const FAILED = { status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] };
  const PENDING = { status: 'PENDING', total: '149.00 SEK', captured: ['0.00'] };
  /** One code point outside the BMP: two UTF-16 units. */
  const EMOJI = '🎄';
  const authorisation = (merchantReference: string, success: 'true' | 'false', value = 14_900) =>
    adyenNotification([{ eventCode: 'AUTHORISATION', success, merchantReference, value }]);

  describe('the table\'s "Size range" counted in code points, as a Ruby Payway counts', () => {
    it('a merchant reference of 600 emoji (1200 UTF-16 units): placed (holding), and Adyen\'s item naming its first 80 code points settles it CAPTURED once', async () => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const reference = `jul-${randomUUID().slice(0, 8)}-${EMOJI.repeat(600)}`;
      const placed = await place({ merchantReference: reference });
      expect(codeOf(placed)).toBeUndefined();
      expect(payway.to(PLACE_ORDER).at(-1)?.body.merchant_reference).toBe(reference);
      const id = placed.data!.placeAdyenOrder.id;
      expect(moneyOf(placed.data!.placeAdyenOrder)).toEqual(PENDING);
      // Adyen's item names its first 80 characters (counted in code points by this Payway).
      expect(await sendAdyenNotification(gateway.url, authorisation(adyenCutOf(reference, 'code-points'), 'true'), SECRET)).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual(CAPTURED);
    });

    it.each([
      ['trafficSource', 'traffic_source', 60],
      ['discountCode', 'discount_code', 60],
    ])('holding: %s (%s) of %i emoji (twice as many UTF-16 units as the table\'s 100): sent as given', async (input, field, count) => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const value = EMOJI.repeat(count);
      const placed = await place({ [input]: value });
      expect(codeOf(placed)).toBeUndefined();
      expect(payway.to(PLACE_ORDER).at(-1)?.body[field]).toBe(value);
    });

    it('holding: 1025 code points are still BAD_USER_INPUT, nothing sent', async () => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      const before = payway.to(PLACE_ORDER).length;
      expect(codeOf(await place({ merchantReference: EMOJI.repeat(1025) }))).toBe('BAD_USER_INPUT');
      expect(payway.to(PLACE_ORDER)).toHaveLength(before);
    });

    it('holding: a Payway counting UTF-16 units refuses 600 emoji with its own error (PROVIDER_REJECTED naming the field, nothing placed); a shorter reference under a new key places it once', async () => {
      payway.options = { token: TOKEN, strict: true };
      payway.answers = () => pending();
      const before = payway.to(PLACE_ORDER).length;
      const refused = await place({ merchantReference: EMOJI.repeat(600) });
      expect(codeOf(refused)).toBe('PROVIDER_REJECTED');
      expect(JSON.stringify(refused.errors)).toContain('merchant_reference');
      const placed = await placeOk({ merchantReference: `jul-${randomUUID().slice(0, 8)}-${EMOJI.repeat(10)}` });
      expect(moneyOf(placed)).toEqual(PENDING);
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 2);
    });
  });

  describe("Adyen's notification naming the first 80 characters of a reference holding emoji, cut in another unit", () => {
    /** A reference longer than 80 whose 80th UTF-16 unit is the first half of an emoji (79 ASCII characters before it). */
    const pairAtTheCut = () => `${randomUUID().replace(/-/g, '')}${'x'.repeat(47)}${EMOJI}${EMOJI}-kampanj`;
    /** A reference with emoji all through: 80 code points are more than 80 UTF-16 units. */
    const emojiThrough = () => `${randomUUID().slice(0, 8)}-${EMOJI.repeat(90)}`;
    const CUTS: [AdyenCut, () => string][] = [
      ['code-points', emojiThrough],
      ['code-points', pairAtTheCut],
      ['utf16-units', pairAtTheCut],
      ['utf16-replaced', pairAtTheCut],
      ['utf16-question-mark', pairAtTheCut],
      ['utf16-dropped', pairAtTheCut],
      ['utf16-units', emojiThrough],
    ];

    it('the fixtures: a pair is cut at 80 UTF-16 units', () => {
      const reference = pairAtTheCut();
      expect(reference.slice(0, 79)).toMatch(/^[0-9a-fx]{79}$/);
      expect(adyenCutOf(reference, 'utf16-units')).toHaveLength(80);
      expect(adyenCutOf(reference, 'utf16-dropped')).toHaveLength(79);
      expect(Array.from(adyenCutOf(emojiThrough(), 'code-points'))).toHaveLength(80);
    });

    it.each(CUTS)('AUTHORISATION "true" naming the cut written %s: CAPTURED with its money; a redelivery changes nothing', async (how, make) => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const reference = make();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendAdyenNotification(gateway.url, authorisation(adyenCutOf(reference, how), 'true'), SECRET)).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual(CAPTURED);
      expect(await sendAdyenNotification(gateway.url, authorisation(adyenCutOf(reference, how), 'true'), SECRET)).toBeLessThan(300);
      expect((await read(order.id)).events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it.each(['code-points', 'utf16-replaced'] as AdyenCut[])('AUTHORISATION "false" naming the cut written %s: FAILED, nothing captured', async (how) => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const reference = how === 'code-points' ? emojiThrough() : pairAtTheCut();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendAdyenNotification(gateway.url, authorisation(adyenCutOf(reference, how), 'false'), SECRET)).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual(FAILED);
    });

    it("two waiting references whose cuts may be written alike (the first's pair cut in two with `?` for its half, the second's 80 units ending in `?`): the item settles neither (no guess; before, the second's)", async () => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const stem = `${randomUUID().replace(/-/g, '')}${'y'.repeat(47)}`;
      // The first: 79 ASCII then an emoji: its cut with the half dropped is the 79 ASCII.
      const first = `${stem}${EMOJI}${EMOJI}-a`;
      // The second: the same 79 ASCII then `?` and more: its 80-unit cut equals the first's with `?` for the half.
      const second = `${stem}?utm_source=${randomUUID()}`;
      expect(adyenCutOf(first, 'utf16-question-mark')).toBe(adyenCutOf(second, 'utf16-units'));
      const one = await placeOk({ merchantReference: first });
      const other = await placeOk({ merchantReference: second });
      expect(await sendAdyenNotification(gateway.url, authorisation(adyenCutOf(second, 'utf16-units'), 'true'), SECRET)).toBeLessThan(500);
      expect((await read(one.id)).status).toBe('PENDING');
      expect((await read(other.id)).status).toBe('PENDING');
    });

    it('holding: an item naming 79 characters of a reference whose 80th is no half of a pair settles nothing', async () => {
      payway.options = { token: TOKEN, strict: true };
      payway.answers = () => pending();
      const reference = `${randomUUID().replace(/-/g, '')}${'z'.repeat(60)}`;
      const order = await placeOk({ merchantReference: reference });
      expect(await sendAdyenNotification(gateway.url, authorisation(reference.slice(0, 79), 'true'), SECRET)).toBeLessThan(500);
      expect((await read(order.id)).status).toBe('PENDING');
    });
  });

  describe("holding: Payway's order_closed echoing a reference holding emoji, as its JSON writer spells it", () => {
    it.each([
      ['as UTF-8', (body: unknown) => JSON.stringify(body)],
      ['as surrogate escapes (\\ud83c\\udf84)', (body: unknown) => asciiJson(body)],
      ['as upper-case surrogate escapes', (body: unknown) => asciiJson(body, 'upper')],
    ])('%s: CAPTURED once', async (_how, write) => {
      payway.options = { token: TOKEN, strict: true, sizesCountedIn: 'code-points' };
      payway.answers = () => pending();
      const reference = `jul-${randomUUID().slice(0, 8)}-${EMOJI}𝔘`;
      const order = await placeOk({ merchantReference: reference });
      const text = write(eventBody('order_closed', { merchantReference: reference }, 'flat'));
      expect(await sendRawEvent(gateway.url, text, SECRET, 'hmac-hex', 'application/json')).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual(CAPTURED);
    });
  });

  describe("Adyen's value written as a float (round twenty-six's it.fails)", () => {
    const sendWritten = (reference: string, written: string) => {
      const text = JSON.stringify(authorisation(reference, 'true')).replace('"value":14900', `"value":${written}`);
      expect(text).toContain(`"value":${written}`);
      return sendRawEvent(gateway.url, text, SECRET, 'none', 'application/json', { authorization: `Basic ${Buffer.from(`adyen-notifications:${SECRET}`).toString('base64')}` });
    };
    const authorisedInfo = (order: { creation: { infos: { code: string; message: string }[] } }) => order.creation.infos.find((info) => info.code === 'payway.authorised_amount_differs')?.message;

    it.each(['149.0', '1.49e2', '149.00'])('AUTHORISATION with value %s (major units through a float): CAPTURED at 149.00, no authorised amount of 1.49 SEK said', async (written) => {
      payway.options = { token: TOKEN, strict: true };
      payway.answers = () => pending();
      const reference = `vårkampanj-${randomUUID().slice(0, 8)}`;
      const placed = await placeOk({ merchantReference: reference });
      expect(await sendWritten(reference, written)).toBeLessThan(300);
      const order = (await read(placed.id)) as unknown as Parameters<typeof authorisedInfo>[0];
      expect(moneyOf(order as never)).toEqual(CAPTURED);
      expect(authorisedInfo(order) ?? '').not.toContain('1.49');
    });

    it("holding: whole minor units (12900) are read as before: CAPTURED, the order says Adyen authorised 129.00 SEK", async () => {
      payway.options = { token: TOKEN, strict: true };
      payway.answers = () => pending();
      const reference = `vårkampanj-${randomUUID().slice(0, 8)}`;
      const placed = await placeOk({ merchantReference: reference });
      expect(await sendWritten(reference, '12900')).toBeLessThan(300);
      const order = (await read(placed.id)) as unknown as Parameters<typeof authorisedInfo>[0];
      expect(authorisedInfo(order)).toContain('129.00 SEK');
    });

    it('holding: a message holding `"value": 1.5` as text is left as written', async () => {
      payway.options = { token: TOKEN, strict: true };
      payway.answers = () => pending();
      const reference = `vårkampanj-${randomUUID().slice(0, 8)}`;
      const placed = await placeOk({ merchantReference: reference });
      const text = JSON.stringify(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference, value: 12_900, reason: 'note {"value": 1.5}' }]));
      expect(await sendRawEvent(gateway.url, text, SECRET, 'none', 'application/json', { authorization: `Basic ${Buffer.from(`adyen-notifications:${SECRET}`).toString('base64')}` })).toBeLessThan(300);
      const order = (await read(placed.id)) as unknown as Parameters<typeof authorisedInfo>[0];
      expect(authorisedInfo(order)).toContain('129.00 SEK');
    });
  });
});
