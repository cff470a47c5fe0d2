/**
 * Round nineteen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): a signing time in Payway's own zone, a member that
 * Payway's answer writes twice, and interim (1xx) answers from Payway's front tier.
 *
 * - A timed event signature whose time is Payway's wall clock with no zone: a Java Payway writing
 *   `LocalDateTime.now()` (`2026-12-07T07:45:12.123`) or a SQL `Timestamp` (`2026-12-07
 *   08:45:12.0`) on a JVM in Europe/Stockholm or Europe/Helsinki. No document names the time's
 *   format (round twelve read seconds, ISO 8601 with a zone, Ruby's Time#to_s, an HTTP date); the
 *   seed's Payway is Swedish (adeprimo.se, sv-SE / sv-FI, addresses in SE, FI or AX). Found: a
 *   time without a zone was read as UTC, an hour off in winter and two in summer (three for
 *   Helsinki's), so every such event was 401 as a replay on every delivery, and each pending
 *   purchase stayed PENDING though Payway had charged (or failed) it. Fixed
 *   (event-signing-zone.ts, event-signature.ts): such a time is recent when its UTC reading or
 *   its reading as Stockholm's or Helsinki's wall clock (DST as Intl's zone data has it; both
 *   instants of the hour an autumn change repeats) is within the five minutes; the time is signed,
 *   so nothing the secret did not sign is believed. A zoneless time of 90 minutes ago (in no
 *   reading recent), or another secret, is still 401. The DST cases are unit tests
 *   (test/unit/payway-signing-zone.test.ts): the gateway's clock is the machine's.
 * - A member of the purchase answer written twice with different values: Jackson writing a
 *   declared property and the same key again from an `@JsonAnyGetter` map of fields passed
 *   through from Adyen (Newtonsoft's `[JsonExtensionData]` alike, Ruby's JSON.generate of a Hash
 *   holding `:status` and `"status"`). RFC 8259: names "SHOULD be unique", readers differ; the
 *   seed shows none. Found: the last one won (JSON.parse), so `status` "pending" then "complete"
 *   made the purchase CAPTURED, and `amount` 149.00 then 129.00 made the total and captured
 *   amount 129.00: a guess either way. Fixed (json-members-twice.ts, client.ts purchaseAnswer):
 *   such a member is absent; an absent status is an unreadable answer (PROVIDER_UNAVAILABLE, a
 *   lost answer: the retry with the same key places nothing, the purchase's event settles it),
 *   an absent amount is none (Payway's price or the stated one, with `payway.total_as_stated`).
 *   The same value written twice is that value (holding).
 * - An interim answer before place_order's answer: a `103 Early Hints` (a CDN's front tier)
 *   holds. Left (it.fails): an unasked `100 Continue` (IIS / HTTP.sys and some proxies write one
 *   to every POST while they read its body; RFC 9110 §15.2 says a client MUST parse 1xx answers
 *   it did not expect). undici 7, the gateway's HTTP client (src/providers/http.ts), destroys the
 *   connection on a 100 it did not ask for ("bad response"), so the purchase Payway placed is a
 *   lost answer: PROVIDER_UNAVAILABLE, and a 3-D Secure step never reaches the shopper. Fixing it
 *   means another HTTP/1.1 client for every provider (shared code), not an adapter's reading.
 *
 * Left as it was: the README's known limitations; round eleven's, fourteen's and sixteen's
 * it.fails (a correcting total, a REFUND notified by Adyen: the domain has no fact for either);
 * an HMAC over JSON differing from the body in more than escapes (still 401: not weakened). An
 * error body or an event naming a member twice is read as before (the last one): dropping a
 * correlation id written twice would make a relayed Adyen timeout a refusal that made nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import {
  actionRequired,
  complete,
  eventBody,
  pending,
  PLACE_ORDER,
  sendEvent,
  withMemberTwice,
  type EventSigning,
  type IndependentPayway,
} from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round nineteen', () => {
  const harness = independentPaywayHarness('-19');
  const { SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.[0]?.extensions?.['code'];
  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const pendingUnder = async (merchantReference = `campaign-${randomUUID()}`) => {
    payway.answers = () => pending();
    const order = await placeOk({ merchantReference });
    expect(order.status).toBe('PENDING');
    return { id: order.id, reference: merchantReference };
  };

  describe("a timed signature whose time is Payway's wall clock without a zone", () => {
    it.each([
      ['order_closed', 'stockholm-local', "Java's LocalDateTime on Europe/Stockholm", 'CAPTURED', ['149.00']],
      ['payment_failure', 'stockholm-local', "Java's LocalDateTime on Europe/Stockholm", 'FAILED', ['0.00']],
      ['order_closed', 'helsinki-sql', 'a SQL Timestamp on Europe/Helsinki', 'CAPTURED', ['149.00']],
    ] as const)('%s signed at %s (%s): the pending purchase is %s', async (name, format, _how, status, captured) => {
      const { id, reference } = await pendingUnder();
      const signing = `hmac-hex-timestamped-${format}` as EventSigning;
      expect(await sendEvent(gateway.url, eventBody(name, { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, signing)).toBeLessThan(300);
      expect(moneyOf(await read(id))).toEqual({ status, total: '149.00 SEK', captured });
    });

    it("still a replay: Stockholm's wall clock of 90 minutes ago (in no reading within five minutes) is 401, the purchase stays PENDING", async () => {
      const { id, reference } = await pendingUnder();
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex-timestamped-stockholm-local-replayed')).toBe(401);
      expect((await read(id)).status).toBe('PENDING');
    });

    it("still proved: Stockholm's wall clock signed with another secret is 401", async () => {
      const { id, reference } = await pendingUnder();
      const body = eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat');
      expect(await sendEvent(gateway.url, body, `${SECRET}-not`, 'hmac-hex-timestamped-stockholm-local')).toBe(401);
      expect((await read(id)).status).toBe('PENDING');
    });

    it('holding: a time with its zone (Ruby Time#to_s with +0100) is read as before', async () => {
      const { id, reference } = await pendingUnder();
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex-timestamped-ruby-offset')).toBeLessThan(300);
      expect((await read(id)).status).toBe('CAPTURED');
    });
  });

  describe("a member of Payway's answer written twice (Jackson's @JsonAnyGetter beside a declared property)", () => {
    it('`status` "pending" then "complete": no guess; PROVIDER_UNAVAILABLE (a lost answer), the retry with the same key places nothing, order_closed settles it once', async () => {
      const key = `twice-status-${randomUUID()}`;
      const reference = `campaign-${randomUUID()}`;
      payway.answers = () => withMemberTwice(complete(), 'status', 'pending');
      const first = await harness.place({ idempotencyKey: key, merchantReference: reference });
      expect(codeOf(first)).toBe('PROVIDER_UNAVAILABLE');
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      expect(codeOf(await harness.place({ idempotencyKey: key, merchantReference: reference }))).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key, merchantReference: reference })).data?.placeAdyenOrder, 5000);
      expect(moneyOf(known)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('`status` "action_required" then "pending" on an answer carrying an action: unreadable, not a guess (PROVIDER_UNAVAILABLE)', async () => {
      payway.answers = () => withMemberTwice(pending({ extraItem: { session_reference: `s-${randomUUID()}` } }), 'status', 'action_required');
      expect(codeOf(await harness.place())).toBe('PROVIDER_UNAVAILABLE');
    });

    it("`amount` 149.00 then 129.00 on a complete answer: no amount is read (the stated 149.00, said to be the stated one), not the last one's 129.00", async () => {
      payway.answers = () => withMemberTwice(complete({}, { extraItem: { amount: { currency: 'SEK', value: 12_900 } } }), 'amount', { currency: 'SEK', value: 14_900 });
      const order = await placeOk();
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(order.creation.infos.map((info) => info.code)).toContain('payway.total_as_stated');
    });

    it("`order_id` written twice differently on a pending answer: no Payway order is kept; the purchase's order_closed naming its reference settles it", async () => {
      const reference = `campaign-${randomUUID()}`;
      payway.answers = () => withMemberTwice(pending({ extraItem: { order_id: paywayOrder() } }), 'order_id', paywayOrder());
      const order = await placeOk({ merchantReference: reference });
      expect(order.status).toBe('PENDING');
      expect(order.providerOrderId ?? null).toBeNull();
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it.each([
      ['status', 'complete', () => complete({ orderId: 'ADEPRIMO-SAME-1' })],
      ['session_reference', 'the same session', () => actionRequired('session-same')],
    ] as const)('holding: `%s` written twice with one value (%s) is that value', async (name, _what, answer) => {
      const given = answer();
      const item = (given.body as { item: Record<string, unknown> }).item;
      payway.answers = () => withMemberTwice(answer(), name, item[name]);
      const order = await placeOk();
      if (name === 'status') expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-SAME-1' });
      else expect(order.creation.stopAction?.threeDS?.sessionReference).toBe('session-same');
    });
  });

  describe("an interim (1xx) answer from Payway's front tier before place_order's answer", () => {
    it('holding: a 103 Early Hints, then the purchase complete: CAPTURED, placed once', async () => {
      payway.options.informational = 'early-hints';
      const before = payway.to(PLACE_ORDER).length;
      const order = await placeOk();
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 1);
    });

    // Left: undici 7 (src/providers/http.ts) destroys the connection on a 100 Continue it did not
    // ask for ("bad response"), though RFC 9110 §15.2 has a client parse any 1xx. The purchase
    // Payway placed is a lost answer (PROVIDER_UNAVAILABLE); its event settles it later, but a
    // 3-D Secure step never reaches the shopper. Another HTTP/1.1 client for every provider is
    // shared code beyond this round.
    it.fails('an unasked 100 Continue, then the 3-D Secure step: ACTION_REQUIRED with the step, placed once', async () => {
      payway.options.informational = 'continue';
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const before = payway.to(PLACE_ORDER).length;
      const result = await harness.place();
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 1);
      expect(result.errors).toBeUndefined();
      expect(result.data?.placeAdyenOrder.status).toBe('ACTION_REQUIRED');
    });
  });
});
