/**
 * Payway's pure mappings and its purchase index (which gateway order a purchase event is about),
 * the latter on the in-process store with an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.js';
import { observationOfEvent, observationOfPurchase, offeredTotal, statusOf } from '../../src/providers/payway/mapping.js';
import { purchaseReference, PurchaseIndex } from '../../src/providers/payway/purchases.js';
import { adyenRefused, endsPurchase } from '../../src/providers/payway/refusals.js';
import { PaywayError } from '../../src/providers/payway/wire.js';
import { toPaymentMethodsQuery } from '../../src/providers/payway/requests.js';
import { createMemoryStore } from '../../src/store/memory.js';

const total = money('SEK', 19_900);
const context = { orderId: 'ord_A', total, method: 'scheme', origin: 'https://example.purchase.org' };

describe('Payway mapping', () => {
  it('maps every purchase word and event (CONTRACT §7)', () => {
    expect([statusOf('complete'), statusOf('order_closed'), statusOf('payment_success'), statusOf('pending'), statusOf('action_required'), statusOf('payment_failure')]).toEqual([
      'CAPTURED',
      'CAPTURED',
      'CAPTURED',
      'PENDING',
      'ACTION_REQUIRED',
      'FAILED',
    ]);
  });

  it.each([
    ['threeDS2Fingerprint', 'THREE_DS'],
    ['threeDS2Challenge', 'THREE_DS'],
    ['threeDS2', 'THREE_DS'],
    ['qrCode', 'WORKFLOW'],
    ['await', 'WORKFLOW'],
    ['sdk', 'WORKFLOW'],
  ])('an Adyen %s action is a %s stop action carrying the whole action', (type, kind) => {
    const action = { type, paymentMethodType: 'swish', qrCodeData: 'data' };
    const fact = observationOfPurchase({ status: 'action_required', action, session_reference: 'a'.repeat(24) }, context);
    expect(fact.status).toBe('ACTION_REQUIRED');
    expect(fact.creation?.stopAction).toEqual({ type: kind, threeDS: { type, sessionReference: 'a'.repeat(24), paymentMethodType: 'swish', details: action } });
  });

  it('an action_required without session_reference goes on in the session it answers; a first one (no session) is unreadable', () => {
    const action = { type: 'threeDS2Challenge', token: 't' };
    const next = observationOfPurchase({ status: 'action_required', action }, context, 'b'.repeat(24));
    expect(next.creation?.stopAction?.threeDS?.sessionReference).toBe('b'.repeat(24));
    expect(next.providerData).toMatchObject({ sessionReference: 'b'.repeat(24) });
    expect(() => observationOfPurchase({ status: 'action_required', action }, context)).toThrow(expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' }));
  });

  it("an event naming no Payway order is the gateway order's own fact (one key however often delivered), naming no provider id", () => {
    const closed = observationOfEvent('order_closed', { orderId: 'ord_A' }, {}, { total, method: 'scheme' });
    expect(closed).toMatchObject({ key: 'payway:ord_A:order_closed', status: 'CAPTURED', amount: total });
    expect(closed).not.toHaveProperty('providerOrderId');
    expect(observationOfEvent('payment_failure', { orderId: 'ord_A' }, {}).key).toBe('payway:ord_A:payment_failure');
    expect(observationOfEvent('order_closed', { paywayOrderId: 'P-1', orderId: 'ord_A' }, {})).toMatchObject({ key: 'payway:order:P-1:order_closed', providerOrderId: 'P-1' });
  });

  it('only payment_refused ends a purchase; other errors (with a correlation id or not) leave the action open', () => {
    expect(endsPurchase({ providerCode: 'payment_refused' })).toBe(true);
    for (const code of ['third_party_error', 'invalid_parameter', 'session_not_active', 'internal_error']) expect(endsPurchase({ providerCode: code })).toBe(false);
  });

  it('Adyen\'s Refused or Cancelled result in an error\'s troubleshooting data ends a purchase (round eight); other results do not', () => {
    for (const result of ['Refused', 'REFUSED', 'cancelled']) expect(adyenRefused(result)).toBe(true);
    for (const result of [undefined, 'Error', 'ChallengeShopper', 'Pending', 'Received', 'Authorised', 'Refused by issuer']) expect(adyenRefused(result)).toBe(false);
    const read = (body: unknown) => PaywayError.parse(body);
    expect(read({ code: 'x', result_code: 'Refused' })).toMatchObject({ adyen_result: 'Refused' });
    expect(read({ code: 'x', details: { resultCode: 'Cancelled' } })).toMatchObject({ adyen_result: 'Cancelled' });
    expect(read({ item: { code: 'x', additional_data: { ResultCode: 'Refused' } } })).toMatchObject({ code: 'x', adyen_result: 'Refused' });
    // The body's own `adyen_result` is no Adyen word: only `resultCode` in any spelling is.
    expect(read({ code: 'x', adyen_result: 'Refused', details: { errorCode: '101' } }).adyen_result).toBeUndefined();
  });

  it('a correlation id written as a number, or carried by the response beside its message(s), is read (round nine)', () => {
    const read = (body: unknown) => PaywayError.parse(body);
    expect(read({ code: 'third_party_error', correlation_id: 8815658961765250 })).toMatchObject({ correlation_id: '8815658961765250' });
    expect(read({ code: 'x', correlation_id: 1.5 }).correlation_id).toBeUndefined();
    expect(read({ errors: [{ code: 'third_party_error', message: 'm' }], correlation_id: 'c-1', result_code: 'Refused' })).toMatchObject({ code: 'third_party_error', correlation_id: 'c-1', adyen_result: 'Refused' });
    expect(read({ error: { code: 'x' }, correlation_id: 'c-2' })).toMatchObject({ code: 'x', correlation_id: 'c-2' });
    expect(read({ item: { code: 'x' }, correlation_id: 'c-3' })).toMatchObject({ code: 'x', correlation_id: 'c-3' });
    // The message's own parts win over the response's.
    expect(read({ errors: [{ code: 'x', correlation_id: 'own', field: 'a' }], correlation_id: 'response', field: 'b' })).toMatchObject({ correlation_id: 'own', field: 'a' });
    // A bare list has nothing beside it.
    expect(read([{ code: 'x' }]).correlation_id).toBeUndefined();
  });

  it('a whole payment_methods price in the stated currency is read in the unit nearer the stated price (round eight)', () => {
    const stated = money('SEK', 14_900);
    const offered = (value: number, currency = 'SEK') => offeredTotal({ amount: { currency, value } }, stated);
    expect(offered(14_900)).toEqual(money('SEK', 14_900));
    expect(offered(12_900)).toEqual(money('SEK', 12_900));
    expect(offered(149)).toEqual(money('SEK', 14_900));
    expect(offered(129)).toEqual(money('SEK', 12_900));
    expect(offered(1_490)).toEqual(money('SEK', 1_490));
    expect(offered(129.5)).toEqual(money('SEK', 12_950));
    // Another currency than the stated price's: Adyen's minor units, as assumed.
    expect(offered(990, 'EUR')).toEqual(money('EUR', 990));
  });

  it('a decimal string whose fraction is zero is the whole value a number would be, read in the nearer unit (round twelve)', () => {
    const stated = money('SEK', 14_900);
    const offered = (value: string, currency = 'SEK') => offeredTotal({ amount: { currency, value } }, stated);
    expect(offered('12900.0')).toEqual(money('SEK', 12_900));
    expect(offered('12900.00')).toEqual(money('SEK', 12_900));
    expect(offered('129.0')).toEqual(money('SEK', 12_900));
    expect(offered('129.50')).toEqual(money('SEK', 12_950));
    // Another currency: a decimal point still says major units; digits alone are minor units.
    expect(offered('12.0', 'EUR')).toEqual(money('EUR', 1_200));
    expect(offered('990', 'EUR')).toEqual(money('EUR', 990));
  });

  it('the reference a purchase is placed under: the client\'s, or the order id when there is none, "" or spaces only', () => {
    expect(purchaseReference(' code ', 'ord_A')).toBe(' code ');
    for (const none of [undefined, '', '   ']) expect(purchaseReference(none, 'ord_A')).toBe('ord_A');
  });

  it('payment_methods is asked with the discount code when there is one', () => {
    const command = { orderId: 'ord_A', productCode: 'package_code', periodId: '5e4beac909c04c404a46c730', origin: 'https://o.example' };
    const base = { paymentMethod: { type: 'scheme' }, returnUrl: 'https://r.example', browserInfo: {} as never };
    expect(toPaymentMethodsQuery({ ...base, ...command })).toEqual({ period_id: command.periodId, product_code: 'package_code', origin: 'https://o.example' });
    expect(toPaymentMethodsQuery({ ...base, ...command, discountCode: 'WELCOME' })).toMatchObject({ discount_code: 'WELCOME' });
  });
});

describe('Payway purchase index', () => {
  const setup = () => {
    let now = 1_000_000;
    const index = new PurchaseIndex(createMemoryStore().kv, { placingMs: 1000, now: () => now, sleep: async () => undefined });
    return { index, advance: (ms: number) => (now += ms) };
  };
  const entry = (orderId: string) => ({ orderId, total, method: 'scheme' });

  it('a rejected attempt is forgotten: the corrected retry is the reference\'s purchase', async () => {
    const { index } = setup();
    await index.begin('R', entry('ord_A'));
    await index.abandon('R', 'ord_A');
    await index.begin('R', entry('ord_B'));
    await index.placed('R', 'ord_B');
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_B'));
  });

  it('concurrent attempts: undecided while one is still placing, the survivor once the other failed', async () => {
    const { index } = setup();
    await Promise.all([index.begin('R', entry('ord_A')), index.begin('R', entry('ord_B'))]);
    await index.placed('R', 'ord_B');
    await expect(index.find('R', 'P-1', 'completed')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await index.abandon('R', 'ord_A');
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_B'));
  });

  it('a reference is kept and matched without its surrounding spaces (round eight)', async () => {
    const { index } = setup();
    await index.begin('  R  ', entry('ord_A'));
    await index.placed('  R  ', 'ord_A');
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_A'));
    expect(await index.find('  R  ', 'P-1', 'completed')).toEqual(entry('ord_A'));
    expect(await index.find('R2', 'P-1', 'completed')).toBeNull();
  });

  it('an event overtaking the only attempt\'s answer finds it', async () => {
    const { index } = setup();
    await index.begin('R', entry('ord_A'));
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_A'));
  });

  it('an attempt whose answer was lost keeps counting past its placing time (its event may come hours later), and keeps what the event said', async () => {
    const { index, advance } = setup();
    await index.begin('R', entry('ord_A'));
    await index.lost('R', 'ord_A');
    advance(60 * 60 * 1000);
    expect(await index.find('R', undefined, 'completed')).toEqual(entry('ord_A'));
    expect(await index.outcome('R', 'ord_A')).toBeUndefined();
    const closed = { key: 'payway:ord_A:order_closed', type: 'order_closed', status: 'CAPTURED' as const, providerStatus: 'order_closed', providerOrderId: 'P-9' };
    await index.ended('R', 'ord_A', closed);
    // A purchase ends once: a later event does not replace what the first said.
    await index.ended('R', 'ord_A', { ...closed, key: 'other', status: 'FAILED' });
    expect(await index.outcome('R', 'ord_A')).toEqual({ entry: entry('ord_A'), observation: closed, paywayOrderId: 'P-9' });
  });

  it('an attempt whose gateway died counts as lost once its time is up: alone, its event finds it; beside another, the event is no one\'s', async () => {
    const { index, advance } = setup();
    await index.begin('Q', entry('ord_Q'));
    await index.begin('R', entry('ord_A'));
    await index.begin('R', entry('ord_B'));
    await index.placed('R', 'ord_B');
    advance(1001);
    expect(await index.find('Q', 'P-Q', 'completed')).toEqual(entry('ord_Q'));
    // Before, the dead one stopped counting, and ord_B took the other purchase's event as its own.
    expect(await index.find('R', 'P-1', 'completed')).toBeNull();
    expect(await index.ambiguous('R', 'completed')).toBe(true);
  });

  it('two placed purchases under one reference match no event, unless Payway already named one of them', async () => {
    const { index } = setup();
    await index.begin('R', entry('ord_A'));
    await index.placed('R', 'ord_A');
    await index.begin('R', entry('ord_B'));
    await index.placed('R', 'ord_B');
    expect(await index.find('R', 'P-1', 'completed')).toBeNull();

    await index.begin('S', entry('ord_C'));
    await index.placed('S', 'ord_C', 'P-C');
    await index.begin('S', entry('ord_D'));
    await index.placed('S', 'ord_D');
    expect(await index.find('S', 'P-C', 'completed')).toEqual(entry('ord_C'));
    expect(await index.find('S', 'P-D', 'completed')).toEqual(entry('ord_D'));
  });

  it('an event naming no Payway order finds the one purchase Payway has not named; several are ambiguous', async () => {
    const { index } = setup();
    await index.begin('S', entry('ord_C'));
    await index.placed('S', 'ord_C', 'P-C');
    await index.begin('S', entry('ord_D'));
    await index.placed('S', 'ord_D');
    expect(await index.find('S', undefined, 'completed')).toEqual(entry('ord_D'));
    expect(await index.ambiguous('S', 'completed')).toBe(false);
    await index.begin('S', entry('ord_E'));
    await index.placed('S', 'ord_E');
    expect(await index.find('S', undefined, 'completed')).toBeNull();
    expect(await index.ambiguous('S', 'completed')).toBe(true);
    expect(await index.find('nobody', undefined, 'completed')).toBeNull();
    expect(await index.ambiguous('nobody', 'completed')).toBe(false);
  });

  it('an attempt Payway refused (reached Adyen) is never matched, but makes a failure naming an unknown order doubtful for its time', async () => {
    const { index, advance } = setup();
    await index.begin('R', entry('ord_W'));
    await index.placed('R', 'ord_W');
    await index.begin('R', entry('ord_X'));
    await index.abandon('R', 'ord_X', true);
    // A failure may be the refused attempt's: it waits (parked under Payway's order id).
    expect(await index.find('R', 'P-X', 'failed')).toBeNull();
    expect(await index.find('R', undefined, 'failed')).toBeNull();
    expect(await index.ambiguous('R', 'failed')).toBe(true);
    // A refused purchase never completes: a completion is the waiting one's.
    expect(await index.find('R', 'P-W', 'completed')).toEqual(entry('ord_W'));
    expect(await index.ambiguous('R', 'completed')).toBe(false);
    // Alone under its reference it is no purchase: nothing matches, nothing is ambiguous.
    await index.begin('Q', entry('ord_Y'));
    await index.abandon('Q', 'ord_Y', true);
    expect(await index.find('Q', 'P-Y', 'failed')).toBeNull();
    expect(await index.ambiguous('Q', 'failed')).toBe(false);
    expect(await index.outcome('Q', 'ord_Y')).toBeUndefined();
    // Past its time a failure is the waiting purchase's again.
    advance(60 * 60 * 1000 + 1);
    expect(await index.find('R', 'P-Z', 'failed')).toEqual(entry('ord_W'));
  });

  it('a refusal of the request itself (not reaching Adyen) is forgotten at once', async () => {
    const { index } = setup();
    await index.begin('R', entry('ord_W'));
    await index.placed('R', 'ord_W');
    await index.begin('R', entry('ord_X'));
    await index.abandon('R', 'ord_X');
    expect(await index.find('R', 'P-Z', 'failed')).toEqual(entry('ord_W'));
  });

  it('an attempt at its 3-D Secure step is left out of a completion another purchase can own, until it is continued', async () => {
    const { index } = setup();
    await index.begin('R', entry('ord_A'));
    await index.placed('R', 'ord_A', undefined, undefined, true);
    // Alone, it is the reference's purchase whatever the event.
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_A'));
    await index.begin('R', entry('ord_W'));
    await index.placed('R', 'ord_W');
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_W'));
    expect(await index.ambiguous('R', 'completed')).toBe(false);
    // A failure may be either's (an abandoned step may time out at Adyen).
    expect(await index.find('R', 'P-1', 'failed')).toBeNull();
    expect(await index.ambiguous('R', 'failed')).toBe(true);
    // Continued: the shopper's result is on its way, it may complete as well. While the call is
    // under way its answer may still tell the two apart: the event waits (retryable).
    await index.continuing('R', 'ord_A');
    await expect(index.find('R', 'P-1', 'completed')).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    // Its answer lost (or not a step again): either may own it.
    await index.continued('R', 'ord_A', false);
    expect(await index.find('R', 'P-1', 'completed')).toBeNull();
    expect(await index.ambiguous('R', 'completed')).toBe(true);
  });

  it('a continued attempt back at a 3-D Secure step is left out of a completion again; one whose instance died while continuing stops holding events up', async () => {
    const { index, advance } = setup();
    await index.begin('R', entry('ord_A'));
    await index.placed('R', 'ord_A', undefined, undefined, true);
    await index.begin('R', entry('ord_W'));
    await index.placed('R', 'ord_W');
    expect(await index.continuing('R', 'ord_A')).toBe(true);
    await index.continued('R', 'ord_A', true);
    expect(await index.find('R', 'P-1', 'completed')).toEqual(entry('ord_W'));
    // A retry of a continue finds it unmarked only after an earlier one's answer was lost.
    expect(await index.continuing('R', 'ord_A')).toBe(true);
    advance(1001);
    expect(await index.find('R', 'P-1', 'completed')).toBeNull();
    expect(await index.continuing('R', 'ord_A')).toBe(false);
  });

  it('an order a pending answer announced: found by that order (also from the order alone), still by the reference alone, never by another order', async () => {
    const { index } = setup();
    await index.begin('T', entry('ord_F'));
    await index.placed('T', 'ord_F', undefined, 'P-F');
    await index.begin('T', entry('ord_G'));
    await index.placed('T', 'ord_G', undefined, 'P-G');
    expect(await index.find('T', 'P-F', 'completed')).toEqual(entry('ord_F'));
    expect(await index.find('T', 'P-G', 'completed')).toEqual(entry('ord_G'));
    // Neither is another Payway order's purchase.
    expect(await index.find('T', 'P-X', 'completed')).toBeNull();
    expect(await index.referenceOf('P-G')).toBe('T');
    expect(await index.find('T', 'P-G', 'completed', true)).toEqual(entry('ord_G'));
    expect(await index.referenceOf('P-X')).toBeNull();

    await index.begin('U', entry('ord_H'));
    await index.placed('U', 'ord_H', undefined, 'P-H');
    expect(await index.find('U', undefined, 'completed')).toEqual(entry('ord_H'));
    // Found from an order it did not announce only by the event's reference, never from the order alone.
    await index.begin('U', entry('ord_I'));
    await index.placed('U', 'ord_I');
    expect(await index.find('U', 'P-I', 'completed')).toEqual(entry('ord_I'));
    expect(await index.find('U', 'P-I', 'completed', true)).toBeNull();
    await index.announced('U', 'ord_I', 'P-I');
    expect(await index.find('U', 'P-I', 'completed', true)).toEqual(entry('ord_I'));
    expect(await index.referenceOf('P-I')).toBe('U');
  });
});
