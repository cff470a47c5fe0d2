import { describe, expect, it } from 'vitest';
import { canonicalReference, referenceSpellings } from '../../src/providers/pei/reference-forms.js';
import { withoutNoPurchaseText } from '../../src/providers/pei/purchase-id-text.js';

describe('a Reference in either Unicode normalisation form (round twenty-six)', () => {
  const composed = 'Pöntun-þæð'.normalize('NFC');
  const decomposed = 'Pöntun-þæð'.normalize('NFD');

  it('the two forms differ as strings but are one canonical Reference', () => {
    expect(composed).not.toBe(decomposed);
    expect(canonicalReference(composed)).toBe(canonicalReference(decomposed));
  });

  it('a Reference sent in either form is spelled, canonically, as Pei may write it back in the other', () => {
    expect(referenceSpellings(composed)).toContain(canonicalReference(decomposed));
    expect(referenceSpellings(decomposed)).toContain(canonicalReference(composed));
    // Still as a Pei misreading the UTF-8 bytes keeps it (round seventeen), of either form.
    expect(referenceSpellings(composed)).toContain(canonicalReference('PÃ¶ntun-Ã¾Ã¦Ã°'));
  });

  it('an ASCII Reference has one spelling only', () => {
    expect(referenceSpellings('REF1566')).toEqual(['REF1566']);
  });
});

describe('text in the place of a purchase id without a digit is none (round twenty-six)', () => {
  it.each(['n.a.', 'tbd', 'TBA', 'óþekkt', '', '  ', 'N/A', '-'])('`%s` is none', (text) => {
    expect(withoutNoPurchaseText(text)).toBeUndefined();
  });

  it.each(['966127', ' 966127 ', 'n/a 0'])('`%s` is left to the purchase id`s reading', (text) => {
    expect(withoutNoPurchaseText(text)).toBe(text);
  });

  it('numbers and null are left as they are', () => {
    expect(withoutNoPurchaseText(966127)).toBe(966127);
    expect(withoutNoPurchaseText(null)).toBeNull();
  });
});
