import { describe, expect, it } from 'vitest';
import { krónurInOneCulture, krónurText, numericText } from '../../src/providers/pei/numeric.js';
import { locatedOrderId, locatedOrderIds } from '../../src/providers/pei/location.js';

describe('Pei numericText (round sixteen: thousands grouped by a mark that is never a decimal point)', () => {
  it.each([
    ['5 000', 5000],
    ['5\u00A0000', 5000],
    ['5\u00A0000,00', 5000],
    ['5\u202F000,00', 5000],
    ['1\u202F000\u202F000', 1_000_000],
    ['9 990,50', 9990.5],
    ["1'234.50", 1234.5],
    ['1\u2019000\u2019000', 1_000_000],
    ['-5 000', -5000],
  ])('reads %j as %d', (text, value) => {
    expect(numericText(text)).toBe(value);
  });
});

describe('Pei numericText (round twenty: a group mark\'s UTF-8 bytes read as ISO-8859-1 or windows-1252)', () => {
  it.each([
    ['5\u00C2\u00A0000,00', 5000],
    ['5\u00C2\u00A0000', 5000],
    ['1\u00E2\u0080\u00AF000\u00E2\u0080\u00AF000', 1_000_000],
    ['5\u00E2\u20AC\u00AF000,00', 5000],
    ['1\u00E2\u20AC\u2122234.50', 1234.5],
  ])('reads %j as %d', (text, value) => {
    expect(numericText(text)).toBe(value);
  });

  it.each(['\u00C2\u00A05000', '5\u00C2000', '5\u00C2\u00A000'])('does not read %j', (text) => {
    expect(numericText(text)).toBeUndefined();
  });
});

describe('Pei krónurText (round sixteen: one thousands group in whole krónur)', () => {
  it.each([
    ['9.990', 9990],
    ['1,500', 1500],
    ['2.500', 2500],
    ['999.999', 999_999],
    ['5.000,00', 5000],
    ['990', 990],
  ])('reads %j as %d (its other reading is a fraction of a króna, or there is none)', (text, value) => {
    expect(krónurText(text)).toBe(value);
  });

  it.each(['5.000', '5,000', '10.000', '999.000', '1.50', '1.5000'])('does not guess %j', (text) => {
    const value = krónurText(text);
    // `1.50` is 1,5 kr. in any culture: a number, but no whole króna (the reader's int check refuses it).
    expect(value === undefined || !Number.isInteger(value)).toBe(true);
  });
});

describe('Pei krónurInOneCulture (round sixteen: `5.000` read as the other figures of its answer write that mark)', () => {
  it.each([
    [['2.500', '5.000'], 5000],
    [['5.000,00', '5.000'], 5000],
    [['1.000.000', '5.000'], 5000],
    [['2,500', '5,000'], 5000],
    [['2500.000', '5.000'], 5],
    [['5000,00', '5,000'], 5],
  ])('in %j reads the last as %d', (texts, value) => {
    expect(krónurInOneCulture(texts).get(texts[texts.length - 1]!)).toBe(value);
  });

  it.each([
    [['5.000']],
    [['5.000', '5.000', '5']],
    [['2.500', '2500.00', '5.000']],
    [['5000', '5.000']],
    [['2,500', '5.000']],
  ])('leaves `5.000` unread in %j (nothing beside it says, or figures disagree)', (texts) => {
    expect(krónurInOneCulture(texts).has('5.000')).toBe(false);
  });
});

describe('Pei numericText (round fifteen: money figures in its server\'s culture)', () => {
  it.each([
    ['5000', 5000],
    [' 5000.00 ', 5000],
    ['5000,00', 5000],
    ['5.000,00', 5000],
    ['1.000.000', 1_000_000],
    ['1.000.000,00', 1_000_000],
    ['5,000.00', 5000],
    ['1,000,000', 1_000_000],
    ['9.990,50', 9990.5],
    ['5000.000', 5000],
    ['966127', 966127],
  ])('reads %j as %d', (text, value) => {
    expect(numericText(text)).toBe(value);
  });

  it.each(['5.000', '5,000', '990.500', '5.000.00', '5,000,00', '1.00.000', '', 'abc', '5 00', '5 000 00', '5 000\u00A0000', '5 000.000,00', '5  000'])('does not guess %j (either culture, or none)', (text) => {
    expect(numericText(text)).toBeUndefined();
  });
});

describe('Pei locatedOrderId (round fifteen: a made order named by its Location)', () => {
  it.each([
    ['https://api.pei.is/api/orders/ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', 'ffmPoSnWFUjs0W9u45es0elUKBnpFRSf'],
    ['/api/orders/fdfQQ33gdgWfgGoP642', 'fdfQQ33gdgWfgGoP642'],
    ['/api/Orders/fdfQQ33gdgWfgGoP642/', 'fdfQQ33gdgWfgGoP642'],
  ])('reads %j', (location, id) => {
    expect(locatedOrderId({ location })).toBe(id);
  });

  it.each([undefined, '', '/api/orders/pay', '/api/orders', '/api/orders?merchantId=4&date=2016-01-20', '/api/orders/abc', 'https://gattin.pei.is/ffmPoSnWFUjs0W9u45es0elUKBnpFRSf', '/a/orders/x, /b'])('names no order in %j', (location) => {
    expect(locatedOrderId(location === undefined ? {} : { location })).toBeUndefined();
  });
});

describe('Pei locatedOrderIds (round twenty-three: a path ending in `/` may end the id)', () => {
  it.each([
    ['/api/orders/fdfQQ33gdgWfgGoP642', ['fdfQQ33gdgWfgGoP642']],
    ['/api/orders/fdfQQ33gdgWfgGoP642/', ['fdfQQ33gdgWfgGoP642', 'fdfQQ33gdgWfgGoP642/']],
    ['https://api.pei.is/api/orders/ab+cd/efGHijKLmnOPqrSTuvWX/', ['ab+cd/efGHijKLmnOPqrSTuvWX', 'ab+cd/efGHijKLmnOPqrSTuvWX/']],
    ['/api/orders/ffmPoSnWFUjs0W9u45es0elUKBnpFR%2F', ['ffmPoSnWFUjs0W9u45es0elUKBnpFR/']],
    ['/api/orders/pay/', []],
  ])('%j may name %j', (location, ids) => {
    expect(locatedOrderIds({ location })).toEqual(ids);
  });
});
