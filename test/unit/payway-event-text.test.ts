import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedEventRequest } from '../../src/providers/payway/event-encoding.js';
import { wholeNumbersAsWritten } from '../../src/providers/long-numbers.js';
import { eventText, formDecoder } from '../../src/providers/payway/event-text.js';
import { namedCharset } from '../../src/providers/body-text.js';
import { formEvent } from '../../src/providers/payway/event-form.js';
import { otherJsonSpellings } from '../../src/providers/payway/event-json-spellings.js';

/** Round seventeen's readings of Payway's texts: long integers, a labelled charset, more JSON spellings. */
describe('wholeNumbersAsWritten', () => {
  it('keeps an integer a double cannot hold as its digits, wherever it stands', () => {
    const text = '{"item":{"session_reference":1234567890123456789,"ids":[9913140798220028, 7],"n":-12345678901234567890}}';
    expect(JSON.parse(wholeNumbersAsWritten(text))).toEqual({ item: { session_reference: '1234567890123456789', ids: ["9913140798220028", 7], n: '-12345678901234567890' } });
  });

  it('leaves safe integers, fractions, exponents and strings as they are', () => {
    for (const text of ['{"a":9007199254740991}', '{"a":12345678901234567.5}', '{"a":1234567890123456789e2}', '{"a":"1234567890123456789","b":"x\\"1234567890123456789"}', '{"a":1}']) {
      expect(wholeNumbersAsWritten(text)).toBe(text);
    }
  });

  it('is not fooled by digits after an escaped quote inside a string', () => {
    const text = '{"a":"say \\"hi\\" 1234567890123456789","b":1234567890123456789}';
    expect(JSON.parse(wholeNumbersAsWritten(text))).toEqual({ a: 'say "hi" 1234567890123456789', b: '1234567890123456789' });
  });
});

describe('eventText and formEvent in a labelled charset', () => {
  const request = (body: Buffer, contentType?: string) => ({ body, headers: contentType ? { 'content-type': contentType } : {}, query: new URLSearchParams() });

  it('decodes a body labelled ISO-8859-1 as such, and any other body as UTF-8 where its bytes are UTF-8', () => {
    expect(eventText(request(Buffer.from('{"r":"vårkampanj"}', 'latin1'), 'text/plain; charset=ISO-8859-1'))).toBe('{"r":"vårkampanj"}');
    expect(eventText(request(Buffer.from('{"r":"vårkampanj"}', 'utf8'), 'application/json; charset=utf-8'))).toBe('{"r":"vårkampanj"}');
    expect(eventText(request(Buffer.from('{"r":"vårkampanj"}', 'utf8'), 'application/json; charset=klingon'))).toBe('{"r":"vårkampanj"}');
    expect(namedCharset('application/json')).toBeUndefined();
  });

  it('round eighteen: bytes that cannot be UTF-8, labelled none or UTF-8, are ISO-8859-1; a byte order mark stays', () => {
    const latin1 = Buffer.from('{"r":"vårkampanj"}', 'latin1');
    expect(eventText(request(latin1))).toBe('{"r":"vårkampanj"}');
    expect(eventText(request(latin1, 'application/json; charset=utf-8'))).toBe('{"r":"vårkampanj"}');
    expect(eventText(request(Buffer.from('\uFEFF{"r":"vår"}', 'utf8'), 'application/json'))).toBe('\uFEFF{"r":"vår"}');
    expect(formDecoder(request(Buffer.from('')), 'r=v%C3%A5r')).toBeUndefined();
    expect(formEvent('r=v%E5r+%C5', formDecoder(request(Buffer.from('')), 'r=v%E5r+%C5'))).toEqual({ r: 'vår Å' });
  });

  it("reads a form's escapes as bytes of its charset", () => {
    const decoder = namedCharset('application/x-www-form-urlencoded; charset=iso-8859-1');
    expect(formEvent('event=order_closed&payload[order][merchant_reference]=v%E5r+%C5ngermanland', decoder)).toEqual({ event: 'order_closed', payload: { order: { merchant_reference: 'vår Ångermanland' } } });
    expect(formEvent('payload[order][merchant_reference]=v%C3%A5r')).toEqual({ payload: { order: { merchant_reference: 'vår' } } });
  });
});

describe('otherJsonSpellings, round seventeen', () => {
  const spellings = (text: string) => otherJsonSpellings(Buffer.from(text, 'utf8')).map((body) => body.toString('utf8'));

  it('offers the text with its non-ASCII characters escaped (either case), and with them written out', () => {
    expect(spellings('{"r":"vår"}')).toEqual(expect.arrayContaining(['{"r":"v\\u00e5r"}', '{"r":"v\\u00E5r"}']));
    expect(spellings('{"r":"v\\u00E5r"}')).toContain('{"r":"vår"}');
  });

  it("offers Gson's spelling (= and ' escaped) and undoes it", () => {
    expect(spellings(`{"r":"a=b&c'd"}`)).toContain('{"r":"a\\u003db\\u0026c\\u0027d"}');
    expect(spellings('{"r":"a\\u003db"}')).toContain('{"r":"a=b"}');
  });

  it("offers `/` as `\\/` (PHP's json_encode, non-ASCII escaped too) and undoes it, never touching an escaped backslash before a slash", () => {
    expect(spellings('{"r":"https://x.se/vår"}')).toEqual(expect.arrayContaining(['{"r":"https:\\/\\/x.se\\/vår"}', '{"r":"https:\\/\\/x.se\\/v\\u00e5r"}']));
    expect(spellings('{"r":"https:\\/\\/x.se\\/v\\u00e5r"}')).toContain('{"r":"https://x.se/vår"}');
    for (const text of spellings('{"r":"a\\\\/b"}')) expect(JSON.parse(text)).toEqual({ r: 'a\\/b' });
  });

  it('never unescapes a quote or a backslash, and offers nothing for a body without such characters', () => {
    expect(spellings('{"r":"a\\u0022b\\u005cc å"}').every((text) => JSON.parse(text).r === 'a"b\\c å')).toBe(true);
    expect(spellings('{"r":"plain-code-1"}')).toEqual([]);
  });
});

describe('decodedEventRequest', () => {
  const request = (body: Buffer, encoding?: string) => ({ body, headers: { 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) }, query: new URLSearchParams() });

  it('undoes gzip and drops the header; a body in no coding is the same request', async () => {
    const decoded = await decodedEventRequest(request(gzipSync('{"a":1}'), 'gzip'));
    expect(decoded.body.toString('utf8')).toBe('{"a":1}');
    expect(decoded.headers['content-encoding']).toBeUndefined();
    const plain = request(Buffer.from('{"a":1}'));
    expect(await decodedEventRequest(plain)).toBe(plain);
  });

  it('refuses (BAD_USER_INPUT) a coding it does not know, bytes not in it, or more than it undoes', async () => {
    await expect(decodedEventRequest(request(Buffer.from('x'), 'compress'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(decodedEventRequest(request(Buffer.from('not gzip'), 'gzip'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(decodedEventRequest(request(gzipSync(Buffer.alloc(2 * 1024 * 1024)), 'gzip'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
