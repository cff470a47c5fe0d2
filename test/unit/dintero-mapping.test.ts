/**
 * The Dintero adapter's pure parts: the status tables, the line numbering between Checkout and the
 * Orders API, the per-line allocation, and providerData read back with zod.
 */
import { describe, expect, it } from 'vitest';
import { boundToOrder, selfContained } from '../../src/providers/dintero/binding.js';
import { dinteroOrderIdOf } from '../../src/providers/dintero/create-order.js';
import { asAccepted, failedIn, observationOfTransaction, refusedInWord, voidsBeforeOf } from '../../src/providers/dintero/mapping.js';
import { linesFor, lineTable, transactionLines } from '../../src/providers/dintero/lines.js';
import { dataOf } from '../../src/providers/dintero/provider-data.js';
import { isFirstOutcome, orderStatusOf, paymentStatusOf } from '../../src/providers/dintero/status.js';
import { DINTERO_TRANSACTION_STATUSES, DinteroTransactionRead } from '../../src/providers/dintero/wire.js';

const NOK = (minor: number) => ({ currency: 'NOK', minor });
const items = [
  { lineId: 'chair', name: 'Chair', amount: NOK(39800) },
  { lineId: 'shipping', name: 'Shipping', amount: NOK(10000) },
];

const transaction = (overrides: Record<string, unknown> = {}) =>
  selfContained(DinteroTransactionRead.parse({
    id: 'T1.tx',
    merchant_reference: 'ORDER1',
    amount: 49800,
    currency: 'NOK',
    status: 'AUTHORIZED',
    items: [
      { line_id: 'chair', amount: 39800 },
      { line_id: 'shipping', amount: 10000 },
    ],
    ...overrides,
  }))!;

describe('Dintero status tables', () => {
  it('every transaction status has an order status; PARTIALLY_CAPTURED_REFUNDED is not final', () => {
    expect(DINTERO_TRANSACTION_STATUSES.map((status) => [status, orderStatusOf(status)])).toEqual([
      ['INITIATED', 'PENDING'],
      ['ON_HOLD', 'PENDING'],
      ['AUTHORIZED', 'AUTHORIZED'],
      ['PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED'],
      ['CAPTURED', 'CAPTURED'],
      ['PARTIALLY_CAPTURED_REFUNDED', 'PARTIALLY_REFUNDED'],
      ['PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED'],
      ['REFUNDED', 'REFUNDED'],
      ['AUTHORIZATION_VOIDED', 'CANCELLED'],
      ['DECLINED', 'FAILED'],
      ['FAILED', 'FAILED'],
      ['UNKNOWN', 'PENDING'],
    ]);
  });

  it('a payment whose captured part is all refunded while funds are still reserved is PARTIALLY_REFUNDED, not REFUNDED', () => {
    expect(paymentStatusOf('PARTIALLY_CAPTURED_REFUNDED', 10000, 10000)).toBe('PARTIALLY_REFUNDED');
    expect(paymentStatusOf('REFUNDED', 49800, 49800)).toBe('REFUNDED');
    expect(paymentStatusOf('PARTIALLY_REFUNDED', 49800, 100)).toBe('PARTIALLY_REFUNDED');
  });

  it('only statuses before any capture, refund or void are first outcomes', () => {
    expect(DINTERO_TRANSACTION_STATUSES.filter(isFirstOutcome)).toEqual(['INITIATED', 'ON_HOLD', 'AUTHORIZED', 'DECLINED', 'FAILED', 'UNKNOWN']);
  });
});

describe('Dintero status words and event names as other stacks write them (round four)', () => {
  it("are CONTRACT §8's words in any case or word separation, British -ise too; other words stay unknown", () => {
    const statusOf = (status: string) => DinteroTransactionRead.parse({ id: 'T1', status }).status;
    for (const word of ['PARTIALLY_CAPTURED', 'PartiallyCaptured', 'partiallyCaptured', 'partially-captured', 'Partially captured', ' partially_captured ']) {
      expect(statusOf(word)).toBe('PARTIALLY_CAPTURED');
    }
    expect(statusOf('AuthorizationVoided')).toBe('AUTHORIZATION_VOIDED');
    expect(statusOf('Authorised')).toBe('AUTHORIZED');
    expect(statusOf('PartiallyCapturedRefunded')).toBe('PARTIALLY_CAPTURED_REFUNDED');
    for (const word of ['VOIDED', 'Paid', 'COMPLETED', 'CAPTURED_PARTIALLY', 'AUTHORIZED_2', '3DS_AUTHORIZED', '']) expect(statusOf(word)).toEqual({ unknown: word });
  });

  it('a money history written in PascalCase is counted: `PartialCapture` is a capture', () => {
    const fact = observationOfTransaction(
      transaction({ status: 'PartiallyCaptured', events: [{ event: 'Authorize', amount: 49800 }, { event: 'PartialCapture', amount: 10000 }, { event: 'partial-capture', amount: 5000 }] }),
      { updates: {} },
    );
    expect(fact).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: NOK(15000) }] });
  });
});

describe("a transaction's amounts as strings and events of another shape (round four)", () => {
  it('amounts written as digits are read; an event list the adapter cannot read is none: the status says the money', () => {
    const read = DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', amount: '49800', events: [{ event: 'CAPTURE', amount: '49800', success: 'yes' }] });
    expect(read).toMatchObject({ amount: 49800, events: [] });
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', events: [{ event: 'CAPTURE', amount: ' 100 ' }] }).events).toMatchObject([{ amount: 100 }]);
    // Round twenty-seven: a decimal string is the figure it writes, its units told by binding.ts (before: none).
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', amount: '498.00' }).amount).toBe(498);
    // Round twenty-eight: a decimal comma is read as its point (decimal-comma.ts); before three digits it stays none.
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', amount: '498,00' }).amount).toBe(498);
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', amount: '1,500' }).amount).toBeUndefined();
  });
});

describe("an event's amount written negative, its success as text (round ten)", () => {
  it('is read as its size, as a number or a digit string; the rest of the history with it', () => {
    const read = DinteroTransactionRead.parse({
      id: 'T1',
      status: 'PARTIALLY_REFUNDED',
      events: [
        { event: 'CAPTURE', amount: 49800 },
        { event: 'REFUND', amount: -10000, refund_reference: 'ref-1' },
        { event: 'REFUND', amount: ' -5000 ', refund_reference: 'ref-2' },
      ],
    });
    expect(read.events).toMatchObject([{ amount: 49800 }, { amount: 10000 }, { amount: 5000 }]);
    // Round eleven: an amount in another form is none, the event (and the history) kept; round
    // twenty-seven: a decimal string is read as its size (before: none).
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'REFUNDED', events: [{ event: 'REFUND', amount: '-50.00', refund_reference: 'ref-3' }] }).events).toEqual([
      { event: 'REFUND', amount: 50, refund_reference: 'ref-3' },
    ]);
    // Round twenty-eight: a decimal comma as its point (before: none); `"-1,500"` stays none (a guess).
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'REFUNDED', events: [{ event: 'REFUND', amount: '-50,00', refund_reference: 'ref-4' }] }).events).toEqual([
      { event: 'REFUND', amount: 50, refund_reference: 'ref-4' },
    ]);
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'REFUNDED', events: [{ event: 'REFUND', amount: '-1,500', refund_reference: 'ref-5' }] }).events).toEqual([
      { event: 'REFUND', refund_reference: 'ref-5' },
    ]);
  });

  it("an event's `success` written as the text true / false is read as the boolean; other text is no history", () => {
    const read = DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', events: [{ event: 'CAPTURE', amount: 100, success: 'false' }, { event: 'CAPTURE', amount: 100, success: ' True ' }] });
    expect(read.events).toMatchObject([{ success: false }, { success: true }]);
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'CAPTURED', events: [{ event: 'CAPTURE', amount: 100, success: 'yes' }] }).events).toEqual([]);
  });
});

describe('Dintero lines', () => {
  it("a callback's transaction lines are matched by line_id, not by their position", () => {
    const reordered = transaction({
      items: [
        { line_id: 'shipping', amount: 10000 },
        { line_id: 'chair', amount: 39800 },
      ],
    });
    expect(transactionLines(reordered, lineTable(items))).toEqual([
      { line_id: 2, amount: 10000 },
      { line_id: 1, amount: 39800 },
    ]);
    expect(transactionLines(transaction({ items: [{ line_id: 'other', amount: 49800 }] }), lineTable(items))).toBeUndefined();
  });

  it('lines without a client lineId are numbered as the Orders API numbers them', () => {
    expect(lineTable([{}, { lineId: 'x' }, {}])).toEqual({ '1': 1, x: 2, '3': 3 });
  });

  it('room counts every movement, recorded or not: an amount is spread over what each line has left', () => {
    const moved = [{ kind: 'captures' as const, items: [{ line_id: 1, amount: 30000 }] }];
    expect(linesFor({ items }, moved, { type: 'CAPTURE', amount: NOK(19800) }).orders).toEqual([
      { line_id: 1, amount: 9800 },
      { line_id: 2, amount: 10000 },
    ]);
    expect(() => linesFor({ items }, moved, { type: 'CAPTURE', amount: NOK(10000), items: [{ lineId: 'chair', amount: NOK(10000) }] })).toThrow(/left to capture/);
  });
});

describe('Dintero providerData', () => {
  it('is parsed with zod: recordings and pending operations by id; a shape the adapter did not write is an error', () => {
    const recording = {
      kind: 'captures',
      orderId: 'ORDER1',
      body: { id: 'cap-1', items: [{ line_id: 1, amount: 100 }], payment_details: { payment_id: 'T1.tx' }, success: true },
      state: 'pending',
      label: 'capture of 1.00 NOK',
      firstTriedAt: 0,
    };
    const pending = { ref: 'ref-1', kind: 'refunds', amount: 100, lines: [], label: 'refund', since: 0, state: 'unsettled' };
    const data = dataOf({ providerData: { transactionId: 'T1.tx', 'recording:cap-1': recording, 'pending:ref-1': pending } });
    expect(data).toMatchObject({ transactionId: 'T1.tx', recordings: { 'cap-1': { state: 'pending' } }, pending: { 'ref-1': { state: 'unsettled' } } });
    expect(() => dataOf({ providerData: { 'recording:x': { done: true } } })).toThrow(/not what the adapter wrote/);
  });
});

describe('Dintero transactions that do not say their order, amount or currency (no seed shows a transaction)', () => {
  const order = { providerOrderId: 'ORDER1', total: NOK(49800) };
  const bare = DinteroTransactionRead.parse({ id: 'T1.tx', status: 'authorized', currency: 'nok?' });

  it('are not believed alone, and are completed from the order they were reached through', () => {
    expect(selfContained(bare)).toBeUndefined();
    expect(boundToOrder(bare, order)).toMatchObject({ merchant_reference: 'ORDER1', amount: 49800, currency: 'NOK', status: 'AUTHORIZED' });
  });

  it('never take the order over what they do say: another order or currency binds to nothing', () => {
    expect(boundToOrder(DinteroTransactionRead.parse({ id: 'T1.tx', status: 'AUTHORIZED', merchant_reference: 'ORDER2' }), order)).toBeUndefined();
    expect(boundToOrder(DinteroTransactionRead.parse({ id: 'T1.tx', status: 'AUTHORIZED', currency: 'sek' }), order)).toBeUndefined();
    expect(boundToOrder(DinteroTransactionRead.parse({ id: 'T1.tx', status: 'AUTHORIZED', amount: 100 }), order)?.amount).toBe(100);
  });

  it('once money moved on them, an amount below the order\'s total is what they still hold: read at the total (round fourteen)', () => {
    const read = (fields: Record<string, unknown>) => boundToOrder(DinteroTransactionRead.parse({ id: 'T1.tx', merchant_reference: 'ORDER1', currency: 'NOK', ...fields }), order)?.amount;
    expect(read({ status: 'PARTIALLY_CAPTURED', amount: 39800 })).toBe(49800);
    expect(read({ status: 'AUTHORIZATION_VOIDED', amount: 0 })).toBe(49800);
    expect(read({ status: 'SETTLED', amount: 39800 })).toBe(49800);
    expect(read({ status: 'AUTHORIZED', amount: 39800, events: [{ event: 'CAPTURE', amount: 10000, success: true }] })).toBe(49800);
    expect(read({ status: 'AUTHORIZED', amount: 39800 })).toBe(39800);
    expect(read({ status: 'FAILED', amount: 0 })).toBe(0);
  });

  it('written in major units, are told so by their items or AUTHORIZE event where their amount is what they still hold (round fifteen)', () => {
    const read = (fields: Record<string, unknown>) => boundToOrder(DinteroTransactionRead.parse({ id: 'T1.tx', merchant_reference: 'ORDER1', currency: 'NOK', status: 'PARTIALLY_CAPTURED', amount: 398, ...fields }), order);
    const capture = { event: 'CAPTURE', amount: 100, success: true, capture_reference: 'cap-1' };
    expect(read({ events: [{ event: 'AUTHORIZE', amount: 498, success: true }, capture] })?.events[1]?.amount).toBe(10000);
    expect(read({ items: [{ line_id: '1', amount: 398 }, { line_id: '2', amount: 100 }], events: [capture] })?.events[0]?.amount).toBe(10000);
    // Any whole figure in minor units says minor units: nothing is scaled.
    expect(read({ items: [{ line_id: '1', amount: 49800 }], events: [{ event: 'AUTHORIZE', amount: 498, success: true }, capture] })?.events[1]?.amount).toBe(100);
    expect(read({ events: [capture] })?.events[0]?.amount).toBe(100);
  });
});

describe("Dintero's order id after completing the draft (the seed shows neither answer)", () => {
  it("is an `order_id` where one is named, else the completed order's own id, else the draft's", () => {
    const draft = { id: 'draft-1' };
    expect(dinteroOrderIdOf(draft, { id: 'draft-1', order_id: 'ABC123XYZ' })).toBe('ABC123XYZ');
    expect(dinteroOrderIdOf({ ...draft, order_id: 'ABC123XYZ' }, { id: 'draft-1' })).toBe('ABC123XYZ');
    expect(dinteroOrderIdOf({ ...draft, order_id: 'ABC123XYZ' }, null)).toBe('ABC123XYZ');
    expect(dinteroOrderIdOf(draft, { id: 'ABC123XYZ' })).toBe('ABC123XYZ');
    expect(dinteroOrderIdOf(draft, null)).toBe('draft-1');
  });
});

describe('a money operation Dintero said yes to that its transaction does not show yet (asAccepted)', () => {
  const none = { capturedMinor: 0, refundedMinor: 0 };
  it('is read as the operation leaves the transaction: the status its amounts give', () => {
    expect(asAccepted(transaction(), { kind: 'captures', ref: 'cap-1' }, 10000, none).status).toBe('PARTIALLY_CAPTURED');
    expect(asAccepted(transaction(), { kind: 'captures', ref: 'cap-1' }, 49800, none).status).toBe('CAPTURED');
    expect(asAccepted(transaction({ status: 'PARTIALLY_CAPTURED' }), { kind: 'captures', ref: 'cap-2' }, 39800, { capturedMinor: 10000, refundedMinor: 0 }).status).toBe('CAPTURED');
    expect(asAccepted(transaction({ status: 'CAPTURED' }), { kind: 'refunds', ref: 'ref-1' }, 100, { capturedMinor: 49800, refundedMinor: 0 }).status).toBe('PARTIALLY_REFUNDED');
    expect(asAccepted(transaction({ status: 'CAPTURED' }), { kind: 'refunds', ref: 'ref-1' }, 49800, { capturedMinor: 49800, refundedMinor: 0 }).status).toBe('REFUNDED');
    expect(asAccepted(transaction({ status: 'PARTIALLY_CAPTURED' }), { kind: 'refunds', ref: 'ref-1' }, 10000, { capturedMinor: 10000, refundedMinor: 0 }).status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    expect(asAccepted(transaction(), { kind: 'cancel', ref: 'cancel-T1.tx' }, 0, none).status).toBe('AUTHORIZATION_VOIDED');
  });
  it('adds its event where the transaction keeps a money history, and reads a status word it does not know as the operation leaves it, the word kept', () => {
    const withHistory = transaction({ status: 'PARTIALLY_CAPTURED', events: [{ event: 'CAPTURE', amount: 10000, capture_reference: 'cap-1' }] });
    const accepted = asAccepted(withHistory, { kind: 'captures', ref: 'cap-2' }, 39800, { capturedMinor: 10000, refundedMinor: 0 });
    expect(accepted).toMatchObject({ status: 'CAPTURED', events: [{ capture_reference: 'cap-1' }, { event: 'CAPTURE', amount: 39800, capture_reference: 'cap-2' }] });
    // Round nine: the word says nothing, Dintero's yes does (before, the yes was lost: the order stayed as it was).
    const unknown = transaction({ status: 'SETTLING' });
    expect(asAccepted(unknown, { kind: 'captures', ref: 'cap-1' }, 10000, none)).toMatchObject({ status: 'PARTIALLY_CAPTURED', statusAsWritten: 'SETTLING' });
    expect(asAccepted(unknown, { kind: 'cancel', ref: 'cancel-T1.tx' }, 0, none)).toMatchObject({ status: 'AUTHORIZATION_VOIDED', statusAsWritten: 'SETTLING' });
  });
});

describe('asAccepted on a money history whose events carry no reference', () => {
  it('does not count what the history already holds a second time', () => {
    const shown = transaction({ status: 'CAPTURED', events: [{ event: 'CAPTURE', amount: 49800 }] });
    const accepted = asAccepted(shown, { kind: 'captures', ref: 'cap-1' }, 49800, { capturedMinor: 0, refundedMinor: 0 });
    expect(accepted).toMatchObject({ status: 'CAPTURED', events: [{ event: 'CAPTURE', amount: 49800 }] });
    expect(accepted.events).toHaveLength(1);
  });
});

describe('Dintero lines with money taken at Dintero itself (a profile that captures at once, its back office)', () => {
  it('what the order shows beyond the gateway\'s own movements is put on the lines in order: it can be refunded, and is not captured again', () => {
    const shown = { capturedMinor: 49800, refundedMinor: 0 };
    expect(linesFor({ items }, [], { type: 'REFUND', amount: NOK(9800) }, shown).orders).toEqual([{ line_id: 1, amount: 9800 }]);
    expect(() => linesFor({ items }, [], { type: 'REFUND', amount: NOK(9800) })).toThrow(/left to refund/);
    const partly = { capturedMinor: 39800, refundedMinor: 0 };
    expect(linesFor({ items }, [], { type: 'CAPTURE', amount: NOK(10000) }, partly).orders).toEqual([{ line_id: 2, amount: 10000 }]);
    // Refunded at Dintero too: only what is left counts.
    expect(() => linesFor({ items }, [], { type: 'REFUND', amount: NOK(49800) }, { capturedMinor: 49800, refundedMinor: 100 })).toThrow(/left to refund/);
    // The gateway's own movements are not counted twice.
    const own = [{ kind: 'captures' as const, items: [{ line_id: 1, amount: 39800 }] }];
    expect(linesFor({ items }, own, { type: 'CAPTURE', amount: NOK(10000) }, partly).orders).toEqual([{ line_id: 2, amount: 10000 }]);
  });
});

describe('a refusal an earlier call left, read after the next one (round fifteen)', () => {
  it('a void is refused only by a failed void event or VOID_FAILED word beyond those the transaction showed before it', () => {
    const failedVoid = { event: 'VOID', amount: 49800, success: false };
    const before = transaction({ events: [failedVoid] });
    const release = { kind: 'cancel' as const, ref: 'cancel-T1.tx' };
    expect(failedIn(before, release)).toBe(true);
    expect(failedIn(before, { ...release, voidsBefore: voidsBeforeOf(before) })).toBe(false);
    expect(failedIn(transaction({ events: [failedVoid, failedVoid] }), { ...release, voidsBefore: voidsBeforeOf(before) })).toBe(true);
    const saidBefore = transaction({ status: 'VOID_FAILED' });
    expect(voidsBeforeOf(saidBefore)).toEqual({ refusedEvents: 0, refusedWord: true });
    expect(failedIn(saidBefore, { ...release, voidsBefore: voidsBeforeOf(saidBefore) })).toBe(false);
    expect(failedIn(saidBefore, { ...release, voidsBefore: voidsBeforeOf(transaction()) })).toBe(true);
  });

  it('a capture is refused by a failing word only where the read before it did not say the same word', () => {
    const capture = { kind: 'captures' as const, ref: 'cap-2' };
    const after = transaction({ status: 'CAPTURE_FAILED' });
    expect(refusedInWord(after, capture)).toBe(true);
    expect(refusedInWord(after, capture, transaction())).toBe(true);
    expect(refusedInWord(after, capture, transaction({ status: 'capture-failed' }))).toBe(false);
    expect(refusedInWord(after, capture, null)).toBe(true);
  });
});
