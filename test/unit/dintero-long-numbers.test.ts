import { describe, expect, it } from 'vitest';
import { wholeNumbersAsWritten } from '../../src/providers/long-numbers.js';
import { triesToRead, withTransactionNamed } from '../../src/providers/dintero/session-transaction.js';
import type { DinteroSession } from '../../src/providers/dintero/wire.js';

describe('wholeNumbersAsWritten (ids beyond 2^53 written as JSON numbers, round seventeen)', () => {
  it('keeps such a number as the digits written, as a string', () => {
    const parsed = JSON.parse(wholeNumbersAsWritten('{"id":1234567890123456789,"order_id":123456789012345678,"amount":49800}')) as Record<string, unknown>;
    expect(parsed).toEqual({ id: '1234567890123456789', order_id: '123456789012345678', amount: 49800 });
  });

  it('leaves numbers a double holds, fractions, exponents and digits inside strings as they are', () => {
    const text = '{"a":9007199254740991,"b":12345678901234567.5,"c":1e30,"d":"id 1234567890123456789","e":[-1234567890123456789]}';
    expect(JSON.parse(wholeNumbersAsWritten(text))).toEqual({ a: 9007199254740991, b: Number('12345678901234567.5'), c: 1e30, d: 'id 1234567890123456789', e: ['-1234567890123456789'] });
  });

  it('leaves text that is not JSON as it came (a form body)', () => {
    const form = 'transaction_id=1234567890123456789&session_id=1234567890123456788';
    expect(wholeNumbersAsWritten(form)).toBe(form);
  });

  it('leaves strings with escaped quotes whole', () => {
    const text = '{"m":"say \\"1234567890123456789\\"","n":1234567890123456789}';
    expect(JSON.parse(wholeNumbersAsWritten(text))).toEqual({ m: 'say "1234567890123456789"', n: '1234567890123456789' });
  });
});

describe('triesToRead / withTransactionNamed (a session listing tries it cannot tell apart, round seventeen)', () => {
  const session = (fields: Record<string, unknown>) => ({ id: 's1', ...fields }) as unknown as DinteroSession;

  it('reads tries listed by their ids alone, and names the one whose read says reserved', () => {
    const listed = session({ transactions: ['t1', 't2'] });
    expect(triesToRead(listed)).toEqual(['t1', 't2']);
    expect(withTransactionNamed(listed).transaction_id).toBeUndefined();
    expect(withTransactionNamed(listed, new Map([['t1', 'FAILED'], ['t2', 'AUTHORIZED']])).transaction_id).toBe('t2');
    expect(withTransactionNamed(listed, new Map([['t1', 'FAILED'], ['t2', 'ON_HOLD']])).transaction_id).toBe('t2');
  });

  it('names none where the reads still do not tell them apart, or one could not be read', () => {
    const listed = session({ transactions: ['t1', 't2'] });
    expect(withTransactionNamed(listed, new Map([['t1', 'ON_HOLD'], ['t2', 'ON_HOLD']])).transaction_id).toBeUndefined();
    // t2's read failed: it keeps no word, so it still stands beside t1 on hold.
    expect(withTransactionNamed(listed, new Map([['t1', 'ON_HOLD']])).transaction_id).toBeUndefined();
    // Declined on its read: the other is the one not ended without money, as round sixteen names it.
    expect(withTransactionNamed(listed, new Map([['t2', 'FAILED']])).transaction_id).toBe('t1');
    expect(withTransactionNamed(listed, new Map([['t1', 'AUTHORIZED'], ['t2', 'AUTHORIZED']])).transaction_id).toBeUndefined();
  });

  it('reads nothing where the listing already tells them apart, or names its transaction', () => {
    expect(triesToRead(session({ transactions: [{ id: 't1', status: 'FAILED' }, { id: 't2', status: 'AUTHORIZED' }] }))).toEqual([]);
    expect(triesToRead(session({ transactions: [{ id: 't1', status: 'FAILED' }, 't2'] }))).toEqual([]);
    expect(triesToRead(session({ transaction_id: 't3', transactions: ['t1', 't2'] }))).toEqual([]);
    expect(triesToRead(session({ transactions: ['t1'] }))).toEqual([]);
  });
});
