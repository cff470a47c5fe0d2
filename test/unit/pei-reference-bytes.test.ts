import { describe, expect, it } from 'vitest';
import { misreadSpellings } from '../../src/providers/pei/reference-bytes.js';

describe('a Reference as a Pei reading UTF-8 in ISO-8859-1 keeps it (round seventeen)', () => {
  it('an ASCII Reference has no other spelling', () => {
    expect(misreadSpellings('REF1566')).toEqual([]);
    expect(misreadSpellings('ord_0123456789abcdefghij')).toEqual([]);
  });

  it('Icelandic letters come back as their UTF-8 bytes read in ISO-8859-1 and in windows-1252', () => {
    expect(misreadSpellings('Pöntun').slice(0, 1)).toEqual(['PÃ¶ntun']);
    // Þ is C3 9E: a C1 control in ISO-8859-1, ž in windows-1252.
    expect(misreadSpellings('Þóra').slice(0, 2)).toEqual(['Ã\u009EÃ³ra', 'ÃžÃ³ra']);
  });

  it('round twenty: and each of those misread once more (kept misread, then answered as UTF-8 labelled ISO-8859-1)', () => {
    const twice = Buffer.from(Buffer.from('Pöntun', 'utf8').toString('latin1'), 'utf8').toString('latin1');
    expect(twice).toBe('PÃ\u0083Â¶ntun');
    expect(misreadSpellings('Pöntun')).toContain(twice);
    expect(misreadSpellings('Pöntun')).not.toContain('Pöntun');
    expect(misreadSpellings('REF155')).toEqual([]);
  });
});
