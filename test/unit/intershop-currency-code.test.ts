import { describe, expect, it } from 'vitest';
import { icmCurrency } from '../../src/providers/intershop/currency-code.js';

describe('icmCurrency: an ICM currency as ISO 4217 letters (round twenty-seven)', () => {
  it.each<[string | number, string]>([
    ['USD', 'USD'],
    [' usd ', 'USD'],
    [840, 'USD'],
    ['840', 'USD'],
    [978, 'EUR'],
    [392, 'JPY'],
    ['414', 'KWD'],
    [36, 'AUD'],
    ['036', 'AUD'],
    [578, 'NOK'],
    [752, 'SEK'],
  ])('%s', (written, letters) => {
    expect(icmCurrency(written)).toBe(letters);
  });

  // A number no currency of the table has (ISO's 999 is XXX, "no currency") stays as written: no amount is read in it.
  it.each<[string | number, string]>([
    [999, '999'],
    ['999', '999'],
    [840.5, '840.5'],
    ['8400', '8400'],
  ])('%s stays unread', (written, kept) => {
    expect(icmCurrency(written)).toBe(kept);
  });
});
