import { describe, expect, it } from 'vitest';
import { currencyCodeOf } from '../../src/providers/payway/currency-code.js';
import { earlierKeysOf, earlierReceiptKeysOf, keyOf } from '../../src/providers/payway/purchase-store-keys.js';

describe('Payway currency codes (round twenty-seven)', () => {
  it.each([
    ['SEK', 'SEK'],
    [' sek ', 'SEK'],
    [752, 'SEK'],
    ['752', 'SEK'],
    [978, 'EUR'],
    ['036', 'AUD'],
    [36, 'AUD'],
    [414, 'KWD'],
  ])('%j is %s', (written, code) => {
    expect(currencyCodeOf(written)).toBe(code);
  });

  it.each([999, '000', 0, -752, 75.2, 7520, '7520', '75', 'XYZ', '', null, undefined, { code: 'SEK' }])('%j is no currency', (written) => {
    expect(currencyCodeOf(written)).toBeUndefined();
  });
});

describe("Payway purchase index keys of before round twenty-six (round twenty-six's leftover)", () => {
  it('a reference that reads the same in every form has no earlier key (no extra read)', () => {
    expect(earlierKeysOf(' campaign-001 ')).toEqual([]);
    expect(earlierReceiptKeysOf('campaign-001', 'r1')).toEqual([]);
    expect(earlierKeysOf('vårkampanj'.normalize('NFC'))).toHaveLength(1);
  });

  it('a decomposed reference: the key of it as written, besides the NFC key of today', () => {
    const decomposed = 'vårkampanj'.normalize('NFD');
    const composed = 'vårkampanj'.normalize('NFC');
    expect(keyOf(decomposed)).toBe(keyOf(composed));
    expect(earlierKeysOf(decomposed)).toEqual(earlierKeysOf(composed));
    expect(earlierKeysOf(decomposed)).not.toContain(keyOf(composed));
    expect(earlierReceiptKeysOf(decomposed, 'r1')).toHaveLength(1);
  });
});
