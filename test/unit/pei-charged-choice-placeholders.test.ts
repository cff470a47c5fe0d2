import { describe, expect, it } from 'vitest';
import type { LineItem } from '../../src/domain/order.js';
import { isNoValueText, isPlaceholderText } from '../../src/providers/no-value-text.js';
import { chargedOfChoice, choosableTotals } from '../../src/providers/pei/charged-choice.js';
import { thousandReadings } from '../../src/providers/pei/numeric.js';
import { PeiPostback } from '../../src/providers/pei/postback-shape.js';
import { PeiOrder } from '../../src/providers/pei/order-shape.js';

// Round twenty-five (pei-independent-25.test.ts).
const isk = (minor: number) => ({ currency: 'ISK', minor }) as LineItem['amount'];
const CHOICE: LineItem[] = [
  { name: 'Helicopter', amount: isk(3000), group: 'Flying vehicles', selected: true },
  { name: 'Glider', amount: isk(4000), group: 'Flying vehicles' },
  { name: 'Parachute', amount: isk(1000), optional: true, selected: true },
];

describe('a report\'s placeholders for "no value" (no-value-text.ts isPlaceholderText)', () => {
  it.each(['N/A', 'n/a', ' NA ', '-', '--', '\u2013', '\u2014', 'null', 'None'])('%j is a placeholder', (text) => expect(isPlaceholderText(text)).toBe(true));
  it.each(['', 'N/A1', '-1', 'REF-1', 'nan', 0, null, undefined])('%j is not', (value) => expect(isPlaceholderText(value)).toBe(false));
  it('the words isNoValueText reads are unchanged: a placeholder is not one of them', () => expect(isNoValueText('N/A')).toBe(false));

  it("Pei's purchase and mandate ids so written are none, in a read and a postback; a Reference is kept", () => {
    const order = PeiOrder.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', amount: 5000, reference: '-', purchaseId: 'N/A', mandateId: '-' });
    expect(order).toMatchObject({ purchaseId: null, mandateId: null, reference: '-', status: 'Pending' });
    expect(PeiPostback.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', purchaseId: 'n/a', mandateId: 'N/A', status: 'Cancelled' })).toMatchObject({ purchaseId: null, mandateId: null, says: 'cancelled' });
  });

  it('a status so written is no word: the order judged by its purchase, as one without a status; the postback says nothing and writes no unread status', () => {
    expect(PeiOrder.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', amount: 5000, status: 'N/A' })).toMatchObject({ status: 'Pending', statusWritten: false, unknownWord: null });
    expect(PeiOrder.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', amount: 5000, status: 'null', purchaseId: 966127 })).toMatchObject({ status: 'Confirmed', statusWritten: false });
    expect(PeiPostback.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', purchaseId: 966127, status: '-' })).toMatchObject({ status: null, says: null, statusUnread: false });
  });
});

describe("what Pei charged for the buyer's choice, written `d.000` (charged-choice.ts)", () => {
  it('thousandReadings: only a single group of 000', () => {
    expect(thousandReadings('5.000')).toEqual([5, 5000]);
    expect(thousandReadings(' 10,000 ')).toEqual([10, 10000]);
    expect(thousandReadings('5.500')).toBeUndefined();
    expect(thousandReadings('5000')).toBeUndefined();
    expect(thousandReadings('0.000')).toBeUndefined();
  });

  it('choosableTotals: plain lines always, an optional in or out, one of a group or none', () => {
    expect([...choosableTotals(CHOICE)!].sort((a, b) => a - b)).toEqual([0, 1000, 3000, 4000, 5000]);
  });

  it.each([
    [[3, 3000], 3000],
    [[5, 5000], 5000],
    [[2, 2000], undefined], // neither is a choice: unread
  ] as const)('%j beside the order of a choice: %j', (readings, charged) => expect(chargedOfChoice(readings, CHOICE)).toBe(charged));

  it('both readings choosable: unread, never a guess', () => {
    const lines: LineItem[] = [{ name: 'Tip', amount: isk(5), optional: true }, { name: 'Helicopter', amount: isk(5000), optional: true, selected: true }];
    expect(chargedOfChoice([5, 5000], lines)).toBeUndefined();
  });

  it('the postback keeps the two readings of its `amount` where it is unread', () => {
    expect(PeiPostback.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', purchaseId: 966127, amount: '5.000' })).toMatchObject({ amount: null, amountReadings: [5, 5000] });
    expect(PeiPostback.parse({ orderId: 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', purchaseId: 966127, amount: '4.500' })).toMatchObject({ amount: 4500, amountReadings: null });
  });
});
