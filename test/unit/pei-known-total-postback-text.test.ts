import { describe, expect, it } from 'vitest';
import { krónurInOneCulture, marksByTotal } from '../../src/providers/pei/numeric.js';
import { peiOrderAt } from '../../src/providers/pei/order-shape.js';
import { postbackAsUtf8 } from '../../src/providers/pei/postback-text.js';

describe('Pei marksByTotal (round nineteen: `5.000` beside the total the order was submitted with)', () => {
  it.each([
    ['5.000', 5000, { thousands: '.' }],
    ['5,000', 5000, { thousands: ',' }],
    ['5.000', 5, { point: '.' }],
    ['2.000', 1000, {}],
    ['5.000,00', 5000, {}],
    ['5000', 5000, {}],
  ] as const)('%j beside a total of %d says %j', (text, total, marks) => {
    expect(marksByTotal(text, total)).toEqual(marks);
  });

  it("reads the answer's other `d.000` figures with the mark the total taught", () => {
    const read = krónurInOneCulture(['5.000', '5.000'], [marksByTotal('5.000', 5000)]);
    expect(read.get('5.000')).toBe(5000);
  });

  it('reads a Get order answer of one line of 5000 kr. written "N0" only beside its total', () => {
    const answer = { orderId: 'abc', amount: '5.000', items: [{ name: 'Helicopter', quantity: 1, unitPrice: '5.000', amount: '5.000' }] };
    expect(peiOrderAt('abc').safeParse(answer).success).toBe(false);
    const read = peiOrderAt('abc', 5000).parse(answer);
    expect(read.amount).toBe(5000);
    expect(read.items?.[0]?.unitPrice).toBe(5000);
    expect(peiOrderAt('abc', 1234).safeParse(answer).success).toBe(false);
  });
});

describe('Pei postbackAsUtf8 (round nineteen: the postback in the bytes a .NET sender writes)', () => {
  const json = '{"orderId":"abc","purchaseId":966127}';
  it.each([
    ['UTF-16LE labelled charset=utf-16', Buffer.from(json, 'utf16le'), 'application/json; charset=utf-16'],
    ['UTF-16LE behind its mark, no charset', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]), 'application/json'],
    ['UTF-16BE behind its mark, labelled utf-8', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()]), 'application/json; charset=utf-8'],
  ])('%s: the JSON as UTF-8', (_name, body, type) => {
    expect(postbackAsUtf8(body, type).toString('utf8')).toBe(json);
  });

  it('UTF-8, with or without a label or its mark, byte for byte as posted', () => {
    const body = Buffer.from(json, 'utf8');
    expect(postbackAsUtf8(body, 'application/json')).toBe(body);
    expect(postbackAsUtf8(body, undefined)).toBe(body);
    const marked = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    expect(postbackAsUtf8(marked, 'application/json; charset=utf-8')).toBe(marked);
  });
});
