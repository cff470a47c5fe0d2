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
    // Round twenty-four: only in an answer whose label names ISO-8859-1 (windows-1252 to WHATWG).
    expect(misreadSpellings('Pöntun', 'windows-1252')).toContain(twice);
    expect(misreadSpellings('Pöntun', 'windows-1252')).toContain('PÃ¶ntun');
    expect(misreadSpellings('Pöntun', 'windows-1252')).not.toContain('Pöntun');
    expect(misreadSpellings('REF155', 'windows-1252')).toEqual([]);
  });

  it('round twenty-four: in an answer labelled with no single-byte charset, only as Pei may keep it (no misreading of the answer)', () => {
    expect(misreadSpellings('Pöntun')).toEqual(['PÃ¶ntun']);
    expect(misreadSpellings('REF155')).toEqual([]);
  });
});

describe('a Reference in ISO-8859-1 answers labelled with another single-byte charset (round nineteen)', () => {
  it('is spelled as the answer\'s label reads its bytes (round twenty-four: that label only)', () => {
    expect(misreadSpellings('Pöntun-þæð', 'windows-1250')).toContain('Pöntun-ţćđ');
    expect(misreadSpellings('Pöntun-þæð', 'windows-1257')).toContain('Pöntun-žęš');
    expect(misreadSpellings('Pöntun-þæð', 'windows-1251')).toContain('Pцntun-южр');
    expect(misreadSpellings('Pöntun-þæð', 'windows-1250')).not.toContain('Pöntun-žęš');
    expect(misreadSpellings('Pöntun-þæð', 'windows-1250')).not.toContain('Pöntun-þæð');
    // Before round twenty-four the label was not carried and every single-byte charset gave one: now none without it.
    expect(misreadSpellings('Pöntun-þæð')).not.toContain('Pöntun-ţćđ');
  });

  it('round twenty-four: UTF-8 bytes under such a label, as that label reads them', () => {
    const asWindows1250 = new TextDecoder('windows-1250').decode(Buffer.from('Pöntun-þæð', 'utf8'));
    expect(misreadSpellings('Pöntun-þæð', 'windows-1250')).toContain(asWindows1250);
  });

  it('leaves out a reading with a byte its charset does not define, and a Reference beyond ISO-8859-1', () => {
    for (const label of ['windows-1250', 'windows-1251', 'windows-1253', 'iso-8859-6']) {
      expect(misreadSpellings('Pöntun-þæð', label).some((spelling) => spelling.includes('\uFFFD'))).toBe(false);
    }
    // € is no ISO-8859-1 character: only the UTF-8 misreadings remain.
    expect(misreadSpellings('Pöntun€', 'windows-1252').every((spelling) => spelling.includes('Ã'))).toBe(true);
  });
});
