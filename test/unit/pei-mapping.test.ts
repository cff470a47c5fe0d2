/**
 * Pei's pure pieces: DateTime reading, the wire schemas (enums, money, postbacks), the expiry
 * rule with its grace, exact line amounts, kennitala masking, and the adapter's polling bounds
 * under an injected clock.
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/domain/order.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { parseWire } from '../../src/providers/http.js';
import { answerDateTimeSlackMs, formatSeedDateTime, parsePeiAnswerDateTime, parsePeiDateTime } from '../../src/providers/pei/dates.js';
import { createPeiAdapter, RECURRING_WATCH_MS, UNKNOWN_WORD_WATCH_MS } from '../../src/providers/pei/index.js';
import { chargedAmountKey, chargedAmountsOf, EXPIRY_GRACE_MS, heldPurchaseKey, heldPurchasesOf, lineAmountOf, observationOfOrder, postbackNotesOf, refusedPurchaseKey, refusedPurchasesOf, rejectionOf, stateOf } from '../../src/providers/pei/mapping.js';
import { maskNationalIds } from '../../src/scrub.js';
import { PeiOrder, peiOrderAt } from '../../src/providers/pei/order-shape.js';
import { PeiPostback, postbackWord, saysUnconfirmed } from '../../src/providers/pei/postback-shape.js';
import { PeiError, PeiPaid } from '../../src/providers/pei/wire.js';

// A zone far from UTC, so a zone-less value read as local time would be hours off.
process.env.TZ = 'America/New_York';

const SEED_DATE = '2018-07-31 13:33:33.337';
const SEED_INSTANT = Date.UTC(2018, 6, 31, 13, 33, 33, 337);

function wireOrder(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    orderId: 'ZsZUibpv0WAe77sGvYrm1lu0AM52D23N',
    amount: 9990,
    reference: 'REF1566',
    status: 'Pending',
    created: '2018-07-30 13:33:33.337',
    expirationDate: SEED_DATE,
    sequenceType: 'OneOff',
    mandateId: null,
    purchaseId: null,
    items: [{ name: 'Helicopter', quantity: 3, unitPrice: 3330, amount: 9990 }],
    ...overrides,
  });
}
const read = (overrides: Record<string, unknown> = {}) => parseWire('Pei', PeiOrder, wireOrder(overrides));
const unavailable = expect.objectContaining({ code: 'PROVIDER_UNAVAILABLE' });

describe("Pei's DateTime", () => {
  it('round fourteen: how much later a written `created` may stand for: none for an instant, a zone without one, a day more for a date alone', () => {
    const HOUR = 3_600_000;
    for (const instant of ['2018-07-31T13:33:33.337Z', '2018-07-31T13:33:33+00:00', '2018-07-31T13:33:33-0500', '/Date(1533044013337)/']) expect(answerDateTimeSlackMs(instant)).toBe(0);
    for (const local of [SEED_DATE, '2018-07-31T13:33:33.3370000', '31.7.2018 13:33:33']) expect(answerDateTimeSlackMs(local)).toBe(14 * HOUR);
    for (const day of ['2018-07-31', '2018-07-31T00:00:00', '2018-07-31 00:00:00.000', '31.7.2018']) expect(answerDateTimeSlackMs(day)).toBe(38 * HOUR);
    const read = parseWire('Pei', PeiOrder, wireOrder({ created: '2018-07-31' }));
    expect(read.created?.toISOString()).toBe('2018-07-31T00:00:00.000Z');
    expect(read.createdLatest?.toISOString()).toBe('2018-08-01T14:00:00.000Z');
    expect(parseWire('Pei', PeiOrder, wireOrder({ created: '2018-07-31T13:33:33Z' })).createdLatest?.toISOString()).toBe('2018-07-31T13:33:33.000Z');
    expect(parseWire('Pei', PeiOrder, wireOrder({ created: 'yesterday' }))).toMatchObject({ created: null, createdLatest: null });
  });

  it("reads the seed's zone-less format as UTC (Icelandic time), whatever the gateway's zone", () => {
    expect(parsePeiDateTime(SEED_DATE)?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiDateTime('2018-07-31T13:33:33.337')?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiDateTime('2018-07-31T13:33:33.3370000')?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiDateTime('2018-05-13T12:33:48.008Z')?.getTime()).toBe(Date.UTC(2018, 4, 13, 12, 33, 48, 8));
    expect(parsePeiDateTime('2018-07-31T13:33:33+01:00')?.getTime()).toBe(Date.UTC(2018, 6, 31, 12, 33, 33));
    expect(formatSeedDateTime(new Date(SEED_INSTANT))).toBe(SEED_DATE);
  });

  it.each(['', 'tomorrow', '2018-02-31 10:00:00', '2018-13-01', '31.07.2018 13:33', '2018-07-31 25:00:00', 'NaN'])('"%s" is not a DateTime', (text) => {
    expect(parsePeiDateTime(text)).toBeUndefined();
  });

  it("reads Pei's answers also day first (Icelandic culture, as the seed's 28.6.2015) and as older ASP.NET's /Date(ms)/", () => {
    expect(parsePeiAnswerDateTime('31.7.2018 13:33:33.337')?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiAnswerDateTime('31.07.2018 13:33:33,337')?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiAnswerDateTime('31-07-2018 13:33:33.337')?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiAnswerDateTime('28.6.2015')?.getTime()).toBe(Date.UTC(2015, 5, 28));
    expect(parsePeiAnswerDateTime(`/Date(${SEED_INSTANT})/`)?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiAnswerDateTime(`/Date(${SEED_INSTANT}+0000)/`)?.getTime()).toBe(SEED_INSTANT);
    expect(parsePeiAnswerDateTime(SEED_DATE)?.getTime()).toBe(SEED_INSTANT);
    for (const text of ['31.2.2018', '13.13.2018', '/Date(abc)/', '7/31/2018', 'tomorrow']) expect(parsePeiAnswerDateTime(text)).toBeUndefined();
    // What the gateway's own input check (the sandbox's) takes is unchanged.
    expect(parsePeiDateTime('31.7.2018 13:33:33')).toBeUndefined();
  });

  it('an order whose expirationDate is in a form not read is read without it; it expires by the ExpirationDate the gateway sent', () => {
    expect(read().expirationDate?.getTime()).toBe(SEED_INSTANT);
    // en-US culture's DateTime.ToString(): month or day first cannot be told from the text alone.
    const order = read({ expirationDate: '7/31/2018 1:33:33 PM', created: null });
    expect(order).toMatchObject({ expirationDate: null, status: 'Pending' });
    const context = { checkoutUrl: 'https://pei.example/checkout', sentExpiry: new Date(SEED_INSTANT) };
    expect(observationOfOrder(order, { ...context, now: new Date(SEED_INSTANT + EXPIRY_GRACE_MS - 1) }).status).toBe('CREATED');
    expect(observationOfOrder(order, { ...context, now: new Date(SEED_INSTANT + EXPIRY_GRACE_MS) }).status).toBe('EXPIRED');
    // Pei's own date, when it can be read, is the one that counts.
    expect(observationOfOrder(read(), { ...context, sentExpiry: new Date(SEED_INSTANT - 3_600_000), now: new Date(SEED_INSTANT) }).status).toBe('CREATED');
  });

  it('a `created` (not a field of the seed\'s Order) that is not a DateTime is left out, the order still read', () => {
    expect(read({ created: 'yesterday' })).toMatchObject({ created: null, expirationDate: new Date(SEED_INSTANT) });
    expect(read({ created: '/Date(soon)/' }).created).toBeNull();
  });
});

describe("Pei's wire enums and money", () => {
  it('takes sequenceType as other stacks name an enum (ONE_OFF, one-off) and its number as a string', () => {
    expect(read({ sequenceType: 'ONE_OFF' }).sequenceType).toBe('OneOff');
    expect(read({ sequenceType: 'one-off' }).sequenceType).toBe('OneOff');
    expect(read({ sequenceType: '2' }).sequenceType).toBe('Recurring');
    // Round fourteen: one it cannot read leaves the read readable (an Orders/Pay order's own word, say); see below.
    expect(read({ sequenceType: 'ONE' })).toMatchObject({ sequenceType: null, sequenceTypeUnread: true });
    expect(read({ sequenceType: '' })).toMatchObject({ sequenceType: null, sequenceTypeUnread: false });
  });

  it('takes status and sequenceType as a name (any case), sequenceType as its seed number too', () => {
    expect(read({ status: 'Confirmed', sequenceType: 2 })).toMatchObject({ status: 'Confirmed', sequenceType: 'Recurring' });
    expect(read({ status: 'cancelled', sequenceType: 'first' })).toMatchObject({ status: 'Cancelled', sequenceType: 'First' });
    expect(read({ status: 'PENDING', sequenceType: 0 })).toMatchObject({ status: 'Pending', sequenceType: 'OneOff' });
  });

  it('a status number (the seed numbers none) is not believed: the purchase and the expiry decide, as with no status', () => {
    // Whatever numbering Pei uses, a purchase is a confirmation and no purchase is none.
    for (const status of [0, 1, 2, 3]) {
      expect(read({ status, purchaseId: 966127 })).toMatchObject({ status: 'Confirmed', statusWritten: false });
      expect(read({ status, purchaseId: null })).toMatchObject({ status: 'Pending', statusWritten: false });
    }
  });

  it("Pei's own Expired, in any letter case, is expired at once, without the grace", () => {
    for (const word of ['Expired', 'EXPIRED', 'expired']) {
      const order = read({ status: word, expirationDate: '2999-01-01 00:00:00' });
      expect(order.status).toBe('Expired');
      expect(observationOfOrder(order, { now: new Date(SEED_INSTANT), checkoutUrl: 'https://pei.example/checkout' })).toMatchObject({ status: 'EXPIRED', providerStatus: 'Expired' });
    }
  });

  it('an unknown status word is kept as the raw word, never an error or a default; an unknown sequenceType is an error', () => {
    expect(read({ status: 'OnHold' }).status).toEqual({ unknown: 'OnHold' });
    const fact = observationOfOrder(read({ status: 'OnHold' }), { now: new Date(SEED_INSTANT), checkoutUrl: 'https://pei.example/checkout' });
    expect(fact).toMatchObject({ status: null, providerStatus: 'OnHold', providerOrderId: 'ZsZUibpv0WAe77sGvYrm1lu0AM52D23N' });
    expect(fact.payments).toBeUndefined();
    // Round fourteen: an unknown sequenceType is an error only where it decides: a Pending order a
    // buyer or a mandate may pay. A purchase for a buyer (Orders/Pay has no SequenceType) and a
    // confirmed order are read.
    const context = { now: new Date(SEED_INSTANT), checkoutUrl: 'https://pei.example/checkout' };
    expect(() => observationOfOrder(read({ sequenceType: 3 }), context)).toThrow(unavailable);
    expect(observationOfOrder(read({ sequenceType: 3 }), { ...context, purchaseForBuyer: true })).toMatchObject({ status: 'PENDING' });
    expect(observationOfOrder(read({ sequenceType: 'Purchase', status: 'Confirmed', purchaseId: 966127 }), context)).toMatchObject({ status: 'CAPTURED' });
  });

  it('money is whole krónur: a fractional amount or unit price is refused', () => {
    expect(() => read({ amount: 9990.5 })).toThrow(unavailable);
    expect(() => read({ items: [{ name: 'x', unitPrice: 1500.5, quantity: 2 }] })).toThrow(unavailable);
    expect(() => read({ items: [{ name: 'x', amount: 0.5 }] })).toThrow(unavailable);
  });

  it("Orders/Pay's answer may come without a purchase id", () => {
    expect(parseWire('Pei', PeiPaid, '{"orderId":"abc"}')).toEqual({ orderId: 'abc', purchaseId: null });
    // 0 is a .NET long nobody set, not a purchase.
    expect(parseWire('Pei', PeiPaid, '{"OrderId":"abc","PurchaseId":0}')).toEqual({ orderId: 'abc', purchaseId: null });
    expect(parseWire('Pei', PeiPaid, '{"orderId":"abc","purchaseId":"966127"}')).toEqual({ orderId: 'abc', purchaseId: '966127' });
  });

  it("Orders/Pay's answer may be the order id alone, a bare JSON string shaped like Pei's ids (round twelve); another string is no answer", () => {
    expect(parseWire('Pei', PeiPaid, '"fdfQQ33gdgWfgGoP642"')).toEqual({ orderId: 'fdfQQ33gdgWfgGoP642', purchaseId: null });
    expect(parseWire('Pei', PeiPaid, '"ffmPoSnWFUjs0W9u45es0elUKBnpFRSf"')).toMatchObject({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf' });
    for (const answer of ['"OK"', '"Success"', '"true"', '""', '"not an order id at all"']) expect(() => parseWire('Pei', PeiPaid, answer)).toThrow(unavailable);
  });

  it('an order read with .NET defaults for "none" (purchaseId 0, "" strings, a blank status) is a Pending order without a purchase or mandate', () => {
    const order = parseWire('Pei', PeiOrder, '{"orderId":"abc","amount":5000,"purchaseId":0,"mandateId":"","reference":" ","status":""}');
    expect(order).toMatchObject({ status: 'Pending', statusWritten: false, purchaseId: null, mandateId: null, reference: null });
    expect(parseWire('Pei', PeiOrder, '{"orderId":"abc","amount":5000,"purchaseId":"0"}')).toMatchObject({ status: 'Pending', purchaseId: null });
    expect(parseWire('Pei', PeiOrder, '{"orderId":"abc","amount":5000,"purchaseId":966127,"mandateId":"m1"}')).toMatchObject({ status: 'Confirmed', purchaseId: '966127', mandateId: 'm1' });
    expect(PeiPostback.parse({ orderId: 'abc', purchaseId: 0 }).purchaseId).toBeNull();
    expect(parseWire('Pei', PeiOrder, '{"orderId":"abc","amount":5000,"expirationDate":""}')).toMatchObject({ status: 'Pending', expirationDate: null });
  });

  it('a status word the gateway does not know is confirmed by a purchase beside it, and kept as Pei wrote it', () => {
    expect(parseWire('Pei', PeiOrder, '{"orderId":"a","amount":1,"status":"Paid","purchaseId":5}')).toMatchObject({ status: 'Confirmed', unknownWord: 'Paid', statusWritten: true });
    expect(parseWire('Pei', PeiOrder, '{"orderId":"a","amount":1,"status":"Paid"}')).toMatchObject({ status: { unknown: 'Paid' }, unknownWord: 'Paid' });
    expect(parseWire('Pei', PeiOrder, '{"orderId":"a","amount":1,"status":"Cancelled","purchaseId":5}')).toMatchObject({ status: 'Cancelled', unknownWord: null });
  });

  it('a status number written as a string says nothing, as a number does: the purchase decides', () => {
    expect(read({ status: '1', purchaseId: 966127 })).toMatchObject({ status: 'Confirmed', statusWritten: false, unknownWord: null });
    expect(read({ status: ' 0 ', purchaseId: null })).toMatchObject({ status: 'Pending', statusWritten: false });
  });

  it('a word that does not say "paid" stays unknown beside a purchase id (a charge attempt Pei refused is not a confirmation)', () => {
    for (const word of ['Declined', 'Failed', 'Refunded', 'Staðfest', 'Open']) {
      expect(parseWire('Pei', PeiOrder, `{"orderId":"a","amount":1,"status":"${word}","purchaseId":5}`)).toMatchObject({ status: { unknown: word }, unknownWord: word });
    }
    for (const word of ['Completed', 'PURCHASED', 'Succeeded', 'settled']) {
      expect(parseWire('Pei', PeiOrder, `{"orderId":"a","amount":1,"status":"${word}","purchaseId":5}`)).toMatchObject({ status: 'Confirmed', unknownWord: word });
    }
  });
});

describe('line amounts', () => {
  it('are the line amount, else unitPrice x quantity computed exactly', () => {
    expect(lineAmountOf({ amount: 4500, unitPrice: 1500, quantity: 3 })).toBe(4500);
    expect(lineAmountOf({ unitPrice: 1500, quantity: 3 })).toBe(4500);
    expect(lineAmountOf({ unitPrice: 1000, quantity: 1.1 })).toBe(1100); // 1000 * 1.1 is 1100.0000000000002 in floats
    expect(lineAmountOf({ unitPrice: 10, quantity: 0.3 })).toBe(3); // 10 * 0.3 is 3.0000000000000004
    expect(lineAmountOf({ unitPrice: 1500 })).toBe(1500);
    expect(lineAmountOf({})).toBe(0);
  });

  it('a product that is not whole krónur is an error, not a rounded guess', () => {
    expect(() => lineAmountOf({ unitPrice: 1999, quantity: 2.5 })).toThrow(unavailable);
  });
});

describe('expiry', () => {
  const pending = { status: 'Pending' as const, sequenceType: 'OneOff' as const, created: new Date(SEED_INSTANT - 86_400_000), expirationDate: new Date(SEED_INSTANT) };

  it(`a Pending order is EXPIRED only ${EXPIRY_GRACE_MS} ms past its expirationDate`, () => {
    expect(EXPIRY_GRACE_MS).toBe(120_000);
    expect(stateOf(pending, new Date(SEED_INSTANT))).toBe('awaiting_buyer');
    expect(stateOf(pending, new Date(SEED_INSTANT + EXPIRY_GRACE_MS - 1))).toBe('awaiting_buyer');
    expect(stateOf(pending, new Date(SEED_INSTANT + EXPIRY_GRACE_MS))).toBe('expired');
    expect(stateOf(pending, new Date(SEED_INSTANT + 10), 0)).toBe('expired');
  });

  it('without an expirationDate, one day after created (the seed default), plus the grace', () => {
    const noDate = { ...pending, expirationDate: null };
    expect(stateOf(noDate, new Date(SEED_INSTANT + EXPIRY_GRACE_MS - 1))).toBe('awaiting_buyer');
    expect(stateOf(noDate, new Date(SEED_INSTANT + EXPIRY_GRACE_MS))).toBe('expired');
  });

  it("the seed's zone-less expirationDate is UTC: not hours early or late in another zone", () => {
    const order = { ...read(), status: 'Pending' as const };
    expect(stateOf(order, new Date(SEED_INSTANT + EXPIRY_GRACE_MS - 1))).toBe('awaiting_buyer');
    expect(stateOf(order, new Date(SEED_INSTANT + EXPIRY_GRACE_MS))).toBe('expired');
  });
});

describe('kennitala masking', () => {
  it.each([
    ['buyer 0102882849.', 'buyer ******2849.'],
    ['buyer 0102882849x', 'buyer ******2849x'],
    ['id:0102882849_', 'id:******2849_'],
    ['a0102882849', 'a******2849'],
    ['010288-2849', '******2849'],
    ['010288 2849', '******2849'],
    ['x010288-2849y', 'x******2849y'],
  ])('%s -> %s', (text, masked) => {
    expect(maskNationalIds(text)).toBe(masked);
  });

  it('leaves short numbers alone', () => {
    expect(maskNationalIds('HTTP 403, purchase 966127')).toBe('HTTP 403, purchase 966127');
  });
});

describe('the postback', () => {
  it('is read whatever the letter case of its keys, a numeric-string purchaseId, a blank mandateId absent', () => {
    expect(PeiPostback.parse({ OrderId: 'abc', PurchaseId: '966127', MandateId: '' })).toEqual({ orderId: 'abc', purchaseId: '966127', mandateId: null, status: null, says: null, amount: null, statusUnread: false, amountReadings: null });
    expect(PeiPostback.parse({ orderid: 'abc', purchaseid: 966127, mandateid: 'M1' })).toEqual({ orderId: 'abc', purchaseId: '966127', mandateId: 'M1', status: null, says: null, amount: null, statusUnread: false, amountReadings: null });
    expect(PeiPostback.parse({ orderId: 'abc' })).toEqual({ orderId: 'abc', purchaseId: null, mandateId: null, status: null, says: null, amount: null, statusUnread: false, amountReadings: null });
  });

  it('reads a status word where one is given (round ten), under another status name too; a number or a blank says none', () => {
    expect(PeiPostback.parse({ orderId: 'abc', Status: 'Cancelled' }).status).toBe('Cancelled');
    expect(PeiPostback.parse({ orderId: 'abc', orderStatus: 'Declined' }).status).toBe('Declined');
    expect(PeiPostback.parse({ orderId: 'abc', status: 2, statusName: 'Confirmed' }).status).toBe('Confirmed');
    expect(PeiPostback.parse({ orderId: 'abc', status: 3 }).status).toBeNull();
    expect(PeiPostback.parse({ orderId: 'abc', status: ' ' }).status).toBeNull();
  });

  it('notes a status written as no word (round eleven): a number, a numeric string, a row without a name; not a blank, nor a number beside a word', () => {
    expect([{ status: 3 }, { Status: '3' }, { orderStatus: 5 }, { status: { id: 3 } }].map((more) => PeiPostback.parse({ orderId: 'abc', ...more }).statusUnread)).toEqual([true, true, true, true]);
    expect([{}, { status: ' ' }, { status: null }, { status: 2, statusName: 'Confirmed' }, { status: 'Cancelled' }].map((more) => PeiPostback.parse({ orderId: 'abc', ...more }).statusUnread)).toEqual([false, false, false, false, false]);
  });

  it('says what its own word says (rounds eleven and twelve): paid, cancelled, refused, made, expired, or nothing', () => {
    expect(['Confirmed', 'Paid', 'Cancelled', 'canceled', 'Declined', 'Failed', 'Pending', 'Expired'].map((word) => postbackWord(word))).toEqual(['paid', 'paid', 'cancelled', 'cancelled', 'refused', 'refused', 'made', 'expired']);
    expect(postbackWord(null)).toBeNull();
    expect(PeiPostback.parse({ orderId: 'abc', status: 'Declined' }).says).toBe('refused');
  });

  it('says unconfirmed for a known word other than Confirmed, and an unknown one that does not say paid', () => {
    expect(['Cancelled', 'canceled', 'Pending', 'EXPIRED', 'Declined', 'Failed'].filter((word) => saysUnconfirmed(postbackWord(word)))).toHaveLength(6);
    expect([null, 'Confirmed', 'confirmed', 'Paid', 'Completed'].filter((word) => saysUnconfirmed(postbackWord(word)))).toEqual([]);
  });

  it('refuses a field given twice, a purchaseId that is no number, and no orderId', () => {
    expect(PeiPostback.safeParse({ orderId: 'a', OrderId: 'b' }).success).toBe(false);
    expect(PeiPostback.safeParse({ orderId: 'a', purchaseId: '96x' }).success).toBe(false);
    expect(PeiPostback.safeParse({ purchaseId: 1 }).success).toBe(false);
    expect(PeiPostback.safeParse(['orderId']).success).toBe(false);
  });
});

describe('purchases a signed postback called refused (round eleven)', () => {
  const context = { now: new Date(SEED_INSTANT), checkoutUrl: 'https://pei.example/checkout' };

  it('are noted in providerData and read back as a set; other keys and values are not', () => {
    const providerData = { [refusedPurchaseKey('966127')]: true, [refusedPurchaseKey('966128')]: false, 'refusedPurchase:x': true, mandateId: 'M1' };
    expect([...refusedPurchasesOf({ providerData })]).toEqual(['966127']);
  });

  it('a read without a word naming one is no confirmation; a written word, or another purchase, is read as before', () => {
    const refusedPurchases = new Set(['966127']);
    expect(observationOfOrder(read({ status: null, purchaseId: '966127', sequenceType: 'Recurring', mandateId: 'M1' }), { ...context, refusedPurchases }).status).toBe('PENDING');
    expect(observationOfOrder(read({ status: null, purchaseId: '966128', sequenceType: 'Recurring', mandateId: 'M1' }), { ...context, refusedPurchases }).status).toBe('CAPTURED');
    expect(observationOfOrder(read({ purchaseId: '966127', status: 'Confirmed' }), { ...context, refusedPurchases }).status).toBe('CAPTURED');
    expect(observationOfOrder(read({ status: null, purchaseId: '966127', sequenceType: 'Recurring', mandateId: 'M1' }), context).status).toBe('CAPTURED');
  });
});

describe('purchases a signed postback named beside a word the gateway does not know (round twelve)', () => {
  const past = { now: new Date(SEED_INSTANT + 10 * EXPIRY_GRACE_MS), checkoutUrl: 'https://pei.example/checkout' };

  it('are Pei\'s words for refused (meansRefused) or not: Approved and Greitt are unknown, Declined, Hafnað and PAYMENT_FAILED refused', () => {
    expect(['Approved', 'Greitt', 'Authorised', 'Declined', 'Hafnað', 'PAYMENT_FAILED', 'rejected'].map((word) => postbackWord(word))).toEqual(['unknown', 'unknown', 'unknown', 'refused', 'refused', 'refused', 'refused']);
  });

  it('are noted with their word and read back as a map; with the refused ones as a read\'s notes', () => {
    const providerData = { [heldPurchaseKey('966127')]: 'Approved', [heldPurchaseKey('966128')]: true, [refusedPurchaseKey('966129')]: true, mandateId: 'M1' };
    expect([...heldPurchasesOf({ providerData })]).toEqual([['966127', 'Approved']]);
    expect(postbackNotesOf({ providerData })).toEqual({ refusedPurchases: new Set(['966129']), heldPurchases: new Map([['966127', 'Approved']]) });
    expect(postbackNotesOf({ providerData: {} })).toEqual({});
  });

  it('a read without a word naming one, or naming none, keeps the status past its date (unknown word); a written word or another purchase is read as before', () => {
    const heldPurchases = new Map([['966127', 'Approved']]);
    expect(observationOfOrder(read({ status: null, purchaseId: '966127' }), { ...past, heldPurchases })).toMatchObject({ status: null, providerStatus: 'Approved' });
    expect(observationOfOrder(read({ status: null }), { ...past, heldPurchases })).toMatchObject({ status: null, providerStatus: 'Approved' });
    expect(observationOfOrder(read({ status: null }), past).status).toBe('EXPIRED');
    expect(observationOfOrder(read({ status: null, purchaseId: '966128' }), { ...past, heldPurchases }).status).toBe('CAPTURED');
    expect(observationOfOrder(read({ status: 'Confirmed', purchaseId: '966127' }), { ...past, heldPurchases }).status).toBe('CAPTURED');
    expect(observationOfOrder(read({ status: 'Expired' }), { ...past, heldPurchases }).status).toBe('EXPIRED');
    // A purchase noted refused as well stays refused.
    expect(observationOfOrder(read({ status: null, purchaseId: '966127' }), { ...past, heldPurchases, refusedPurchases: new Set(['966127']) }).status).toBe('EXPIRED');
  });
});

describe('what a signed postback said Pei charged for a purchase (round twelve)', () => {
  const context = { now: new Date(SEED_INSTANT), checkoutUrl: 'https://pei.example/checkout' };

  it('is read from the postback as `amount` or `totalAmount`, whole krónur above 0, else none', () => {
    expect([{ amount: 1500 }, { TotalAmount: '1500' }, { amount: 0 }, { amount: 15.5 }, { amount: 'x' }, {}].map((more) => PeiPostback.parse({ orderId: 'abc', ...more }).amount)).toEqual([1500, 1500, null, null, null, null]);
  });

  it('is noted per purchase and read back; a read naming that purchase is read with it, another purchase as it is', () => {
    const providerData = { [chargedAmountKey('966127')]: 1500, [chargedAmountKey('966128')]: '1500', mandateId: 'M1' };
    expect([...chargedAmountsOf({ providerData })]).toEqual([['966127', 1500]]);
    const chargedAmounts = new Map([['966127', 1500]]);
    const paid = observationOfOrder(read({ status: null, purchaseId: '966127', amount: 2000 }), { ...context, chargedAmounts });
    expect(paid.status).toBe('CAPTURED');
    expect(paid.payments?.[0]?.capturedAmount.minor).toBe(1500);
    expect(observationOfOrder(read({ status: null, purchaseId: '966128', amount: 2000 }), { ...context, chargedAmounts }).payments?.[0]?.capturedAmount.minor).toBe(2000);
  });
});

describe('which Pei orders the poller re-reads', () => {
  let clock = Date.UTC(2026, 0, 10);
  const adapter = createPeiAdapter(
    { url: 'http://pei.invalid', tokenUrl: 'http://pei.invalid/token', clientId: 'c', clientSecret: 's', merchantId: '4', checkoutUrl: 'http://pei.invalid/checkout' },
    { publicUrl: 'http://gateway.invalid', timeoutMs: 100, kv: createMemoryStore().kv },
    { now: () => new Date(clock) },
  );
  const order = (status: Order['status'], createdAt: number): Order => ({
    id: 'ord_1',
    provider: 'PEI',
    owner: null,
    providerOrderId: 'P1',
    status,
    total: { currency: 'ISK', minor: 100 },
    items: [],
    payments: [],
    creation: { status: 'COMPLETED', infos: [] },
    events: [],
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(createdAt).toISOString(),
    version: 1,
    seenKeys: [],
    providerData: {},
  });

  it('a Recurring order still PENDING is re-read for RECURRING_WATCH_MS, then left to its postback', () => {
    const created = clock;
    expect(adapter.needsReconciliation(order('PENDING', created))).toBe(true);
    clock = created + RECURRING_WATCH_MS - 1;
    expect(adapter.needsReconciliation(order('PENDING', created))).toBe(true);
    clock = created + RECURRING_WATCH_MS;
    expect(adapter.needsReconciliation(order('PENDING', created))).toBe(false);
  });

  it('an order held by a status word the gateway does not know is re-read for UNKNOWN_WORD_WATCH_MS after its last change, then left', () => {
    const held = { ...order('CREATED', clock), providerStatus: 'OnHold' };
    expect(adapter.needsReconciliation(held)).toBe(true);
    clock += UNKNOWN_WORD_WATCH_MS - 1;
    expect(adapter.needsReconciliation(held)).toBe(true);
    clock += 1;
    expect(adapter.needsReconciliation(held)).toBe(false);
    // A word it knows waits on the buyer as long as the order is not final (its expiry bounds it).
    expect(adapter.needsReconciliation({ ...held, providerStatus: 'Pending' })).toBe(true);
    expect(adapter.needsReconciliation({ ...held, providerStatus: 'pending' })).toBe(true);
  });

  it('an order waiting on the buyer is re-read until it is final; a final one is not', () => {
    expect(adapter.needsReconciliation(order('CREATED', clock - 86_400_000))).toBe(true);
    expect(adapter.needsReconciliation(order('CAPTURED', clock))).toBe(false);
    expect(adapter.needsReconciliation(order('EXPIRED', clock))).toBe(false);
  });
});

describe('round nine: names and granularity the seed leaves open', () => {
  const CHECKOUT = 'https://pei.example/checkout';

  it('the status word under another name than `status` (or beside a status number) is the status', () => {
    expect(read({ status: undefined, orderStatus: 'Declined', purchaseId: 5 })).toMatchObject({ status: { unknown: 'Declined' }, statusWritten: true });
    expect(read({ status: undefined, State: 'Cancelled' })).toMatchObject({ status: 'Cancelled' });
    expect(read({ status: 2, statusName: 'Expired' })).toMatchObject({ status: 'Expired' });
    expect(read({ status: 4, StatusDescription: 'Confirmed', purchaseId: 5 })).toMatchObject({ status: 'Confirmed', statusWritten: true });
    // `status` saying a word wins; another field's number, or no word anywhere, says nothing.
    expect(read({ status: 'Pending', orderStatus: 'Confirmed' })).toMatchObject({ status: 'Pending' });
    expect(read({ status: undefined, orderStatus: 3, purchaseId: 5 })).toMatchObject({ status: 'Confirmed', statusWritten: false });
    expect(read({ status: { id: 2 }, statusName: 'Confirmed', purchaseId: 5 })).toMatchObject({ status: 'Confirmed', statusWritten: true });
    expect(parseWire('Pei', PeiPaid, '{"orderId":"abc","purchaseId":5,"orderStatus":"Declined"}')).toMatchObject({ status: 'Declined' });
  });

  it('the amount as `totalAmount` (the seed: "TotalAmount of purchase"), also in a wrapped read', () => {
    expect(read({ amount: undefined, totalAmount: 7000 })).toMatchObject({ amount: 7000 });
    expect(read({ amount: undefined, TotalAmount: '7000' })).toMatchObject({ amount: 7000 });
    expect(read({ amount: 5000, totalAmount: 7000 })).toMatchObject({ amount: 5000 });
    expect(parseWire('Pei', peiOrderAt('P1'), '{"order":{"totalAmount":7000,"purchaseId":5}}')).toMatchObject({ orderId: 'P1', amount: 7000, status: 'Confirmed' });
    expect(() => read({ amount: undefined })).toThrow(unavailable);
  });

  it('an ASP.NET Core problem: its words, first field (without `$.` or `order.`) and traceId', () => {
    const problem = parseWire('Pei', PeiError, JSON.stringify({ title: 'One or more validation errors occurred.', status: 400, errors: { '$.expirationDate': ['The value is not a valid date.'] }, traceId: '00-abc-def-00' }));
    expect(rejectionOf(400, problem)).toEqual({
      message: 'Pei rejected the request: One or more validation errors occurred. The value is not a valid date.',
      providerCode: '400',
      providerField: 'expirationDate',
      correlationId: '00-abc-def-00',
    });
    expect(rejectionOf(409, parseWire('Pei', PeiError, '{"title":"Conflict","detail":"Reference REF1 is taken"}'))).toMatchObject({ message: 'Pei rejected the request: Reference REF1 is taken' });
    // ASP.NET Web API's own shape as before.
    expect(rejectionOf(400, parseWire('Pei', PeiError, '{"Message":"The request is invalid.","ModelState":{"order.Amount":["Required"]}}'))).toEqual({
      message: 'Pei rejected the request: The request is invalid. Required',
      providerCode: '400',
      providerField: 'Amount',
    });
  });

  describe('an ExpirationDate read back without its time of day', () => {
    const sent = new Date(Date.UTC(2026, 11, 7, 15, 37, 30));
    const context = (now: number) => ({ now: new Date(now), checkoutUrl: CHECKOUT, sentExpiry: sent });
    const statusAt = (expirationDate: string, now: number) => observationOfOrder(read({ status: 'Pending', expirationDate }), context(now)).status;

    it.each(['2026-12-07', '2026-12-07T00:00:00', '7.12.2026'])('%s is the day the one sent falls on: payable through its end, never expired before the instant sent', (date) => {
      expect(statusAt(date, sent.getTime() - 60_000)).toBe('CREATED');
      expect(statusAt(date, sent.getTime() + EXPIRY_GRACE_MS + 1000)).toBe('CREATED');
      expect(statusAt(date, Date.UTC(2026, 11, 8) + EXPIRY_GRACE_MS - 1)).toBe('CREATED');
      expect(statusAt(date, Date.UTC(2026, 11, 8) + EXPIRY_GRACE_MS)).toBe('EXPIRED');
    });

    it("the date of a server behind UTC (the day before the one sent, in UTC) is that day: the instant sent stands", () => {
      const early = new Date(Date.UTC(2026, 11, 7, 2, 10));
      const judge = (now: number) => observationOfOrder(read({ status: 'Pending', expirationDate: '2026-12-06' }), { now: new Date(now), checkoutUrl: CHECKOUT, sentExpiry: early }).status;
      expect(judge(early.getTime() - 60_000)).toBe('CREATED');
      expect(judge(early.getTime() + EXPIRY_GRACE_MS)).toBe('EXPIRED');
    });

    it('a midnight on another day, or any other time, is read as it is', () => {
      expect(statusAt('2026-12-05T00:00:00', Date.UTC(2026, 11, 5) + EXPIRY_GRACE_MS)).toBe('EXPIRED');
      expect(statusAt('2026-12-07T09:00:30', Date.UTC(2026, 11, 7, 9, 0, 30) + EXPIRY_GRACE_MS)).toBe('EXPIRED');
      // Without a submitted expiry (an order adopted from a listing), the read alone decides.
      expect(observationOfOrder(read({ status: 'Pending', expirationDate: '2026-12-07' }), { now: new Date(Date.UTC(2026, 11, 7, 1)), checkoutUrl: CHECKOUT }).status).toBe('EXPIRED');
    });
  });
});
