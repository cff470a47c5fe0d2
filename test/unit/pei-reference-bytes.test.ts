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

describe('a Reference in ISO-8859-1 answers labelled with another single-byte charset (round nineteen)', () => {
  it('is spelled as each such label reads its bytes', () => {
    const spellings = misreadSpellings('Pöntun-þæð');
    expect(spellings).toContain('Pöntun-ţćđ'); // windows-1250, ISO-8859-2
    expect(spellings).toContain('Pöntun-žęš'); // windows-1257, ISO-8859-13
    expect(spellings).toContain('Pцntun-южр'); // windows-1251
    expect(spellings).not.toContain('Pöntun-þæð');
  });

  it('leaves out a reading with a byte its charset does not define, and a Reference beyond ISO-8859-1', () => {
    expect(misreadSpellings('Pöntun-þæð').some((spelling) => spelling.includes('\uFFFD'))).toBe(false);
    // € is no ISO-8859-1 character: only the UTF-8 misreadings (once and twice) remain.
    expect(misreadSpellings('Pöntun€').every((spelling) => spelling.includes('Ã'))).toBe(true);
  });
});
