import { describe, expect, it } from 'vitest';
import { misreadSpellings } from '../../src/providers/pei/reference-bytes.js';

describe('a Reference as a Pei reading UTF-8 in ISO-8859-1 keeps it (round seventeen)', () => {
  it('an ASCII Reference has no other spelling', () => {
    expect(misreadSpellings('REF1566')).toEqual([]);
    expect(misreadSpellings('ord_0123456789abcdefghij')).toEqual([]);
  });

  it('Icelandic letters come back as their UTF-8 bytes read in ISO-8859-1 and in windows-1252', () => {
    expect(misreadSpellings('Pöntun')).toEqual(['PÃ¶ntun']);
    // Þ is C3 9E: a C1 control in ISO-8859-1, ž in windows-1252.
    expect(misreadSpellings('Þóra')).toEqual(['Ã\u009EÃ³ra', 'ÃžÃ³ra']);
  });
});
