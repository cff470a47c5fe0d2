/** Round twenty-seven of Dintero: a transaction's currency as letters in any case or its ISO 4217 numeric code (src/providers/dintero/currency-codes.ts, wire.ts). */
import { describe, expect, it } from 'vitest';
import { currencyLetters } from '../../src/providers/dintero/currency-codes.js';
import { DinteroTransactionRead } from '../../src/providers/dintero/wire.js';

describe('currencyLetters', () => {
  it.each([
    ['NOK', 'NOK'],
    ['nok', 'NOK'],
    [' Sek ', 'SEK'],
    [578, 'NOK'],
    ['578', 'NOK'],
    [752, 'SEK'],
    ['036', 'AUD'],
    [36, 'AUD'],
    [352, 'ISK'],
    [414, 'KWD'],
  ] as [unknown, string][])('%j is %s', (written, letters) => {
    expect(currencyLetters(written)).toBe(letters);
  });

  it.each([[999], ['999'], [578.5], ['5780'], ['NO'], ['NOKK'], [null], [true]])('%j is left as written (no currency)', (written) => {
    expect(currencyLetters(written)).toBe(written);
  });
});

describe("a transaction read's currency", () => {
  const currencyOf = (currency: unknown) => DinteroTransactionRead.parse({ id: 'T1', status: 'AUTHORIZED', currency }).currency;

  it('letters in any case and known numeric codes are read as the letters', () => {
    expect(currencyOf('nok')).toBe('NOK');
    expect(currencyOf(578)).toBe('NOK');
    expect(currencyOf('752')).toBe('SEK');
  });

  it('an unknown numeric code or another form is no currency (completed from the order, binding.ts)', () => {
    expect(currencyOf(999)).toBeUndefined();
    expect(currencyOf('kroner')).toBeUndefined();
    expect(currencyOf({ code: 'NOK' })).toBeUndefined();
  });
});

describe("a transaction read's amounts written as decimal strings", () => {
  it('are read as the figures they write, their fraction kept for binding.ts', () => {
    const read = DinteroTransactionRead.parse({
      id: 'T1',
      status: 'CAPTURED',
      amount: '99.50',
      items: [{ line_id: '1', amount: '79.50' }, { line_id: '2', amount: '20.00' }],
      events: [{ event: 'CAPTURE', amount: '39800.0', success: true }, { event: 'REFUND', amount: '-50.00', success: true }],
    });
    expect(read.amount).toBe(99.5);
    expect(read.items?.map((item) => item.amount)).toEqual([79.5, 20]);
    expect(read.events.map((event) => event.amount)).toEqual([39800, 50]);
  });

  it('other spellings stay no amount (a comma before three digits, a thousands separator, too many decimals)', () => {
    // Round twenty-eight: `"99,50"` is read as 99.5 (decimal-comma.ts); `"1,500"` stays none (1.5 or 1500: a guess).
    expect(DinteroTransactionRead.parse({ id: 'T1', status: 'AUTHORIZED', amount: '99,50' }).amount).toBe(99.5);
    for (const amount of ['1,500', '1 500,00', '1.500,00', '1,234.50', '1.2345678', '.50', '50.']) {
      expect(DinteroTransactionRead.parse({ id: 'T1', status: 'AUTHORIZED', amount }).amount).toBeUndefined();
    }
  });
});
