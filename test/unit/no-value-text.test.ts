import { describe, expect, it } from 'vitest';
import { purchaseEventOf } from '../../src/providers/payway/event-shape.js';
import { isNoValueText } from '../../src/providers/no-value-text.js';
import { sessionGoneOnIn } from '../../src/providers/payway/step-session.js';
import { PaywayError, PaywayPurchaseAnswer } from '../../src/providers/payway/wire.js';

// Round twenty-four (payway-independent-24.test.ts): an id Payway has no value for, written as
// the text of "no value" by its language's stringification, is none.
describe('Payway ids written as the text of "no value" (no-value-text.ts)', () => {
  it.each(['null', 'NULL', ' null ', 'None', 'nil', '<nil>', 'undefined', '(null)'])('%j spells no value', (text) => expect(isNoValueText(text)).toBe(true));

  it.each(['', 'nullable', 'ADEPRIMO-123', '5e4becc109c04c404a46c744', 'n/a', 'null-1', null, undefined, 0])('%j is not such a spelling', (value) => expect(isNoValueText(value)).toBe(false));

  it.each([
    ['null', 's-1', 's-1'],
    ['None', 's-1', 's-1'],
    ['s-2', 's-1', 's-2'],
    [undefined, 's-1', 's-1'],
    ['null', undefined, 'null'],
    [undefined, undefined, undefined],
  ])('sessionGoneOnIn(%j, %j) is %j', (named, answered, expected) => expect(sessionGoneOnIn(named, answered)).toBe(expected));

  it('a purchase answer\'s order and receipt so written are none', () => {
    const pending = PaywayPurchaseAnswer.parse({ item: { status: 'pending', order_id: 'null', message: 'x' } }).item;
    expect(pending).not.toHaveProperty('order_id', 'null');
    const complete = PaywayPurchaseAnswer.parse({ item: { status: 'complete', order_id: 'None', receipt_id: 'undefined' } }).item;
    expect(complete).toMatchObject({ status: 'complete', order_id: undefined, receipt_id: undefined });
  });

  it("an error's correlation id and field so written are none; Adyen's pspReference stands in for the correlation id", () => {
    expect(PaywayError.parse({ code: 'internal_error', field: 'null', correlation_id: 'null' })).toMatchObject({ code: 'internal_error', field: undefined, correlation_id: undefined });
    expect(PaywayError.parse({ code: 'third_party_error', correlation_id: 'None', additional_data: { pspReference: '8816178952380553' } })).toMatchObject({ correlation_id: '8816178952380553' });
  });

  it("an event's Payway order and receipt so written are none; its merchant reference is kept as written", () => {
    expect(purchaseEventOf({ event: 'order_closed', order_id: 'null', receipt_id: 'null', merchant_reference: 'null' })).toEqual({ event: 'order_closed', merchantReference: 'null' });
  });
});
