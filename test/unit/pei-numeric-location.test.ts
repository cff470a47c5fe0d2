import { describe, expect, it } from 'vitest';
import { numericText } from '../../src/providers/pei/numeric.js';
import { locatedOrderId } from '../../src/providers/pei/location.js';

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

  it.each(['5.000', '5,000', '990.500', '5.000.00', '5,000,00', '1.00.000', '', 'abc', '5 000'])('does not guess %j (either culture, or none)', (text) => {
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
