import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { formatMoney, parseMoney } from '../../src/domain/money.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return `${error.code}:${error.details.field}`;
    throw error;
  }
  return undefined;
}

describe('Money', () => {
  it('parses decimal strings into exact minor units per ISO 4217 exponent', () => {
    expect(parseMoney('398.00', 'EUR')).toEqual({ currency: 'EUR', minor: 39800 });
    expect(parseMoney('398.5', 'NOK')).toEqual({ currency: 'NOK', minor: 39850 });
    expect(parseMoney('9990', 'ISK')).toEqual({ currency: 'ISK', minor: 9990 });
    expect(parseMoney('1.234', 'KWD')).toEqual({ currency: 'KWD', minor: 1234 });
    expect(parseMoney('0.10', 'EUR').minor + parseMoney('0.20', 'EUR').minor).toBe(30);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(fieldOf(() => parseMoney('9990.5', 'ISK', 'input.amount'))).toBe('BAD_USER_INPUT:input.amount');
    expect(fieldOf(() => parseMoney('10.001', 'EUR', 'input.amount'))).toBe('BAD_USER_INPUT:input.amount');
    // Trailing zeros do not change the value, so they are not "too many decimals".
    expect(parseMoney('10.000', 'EUR')).toEqual({ currency: 'EUR', minor: 1000 });
  });

  it('rejects unknown currencies and non-decimals', () => {
    expect(fieldOf(() => parseMoney('1.00', 'XXY'))).toBe('BAD_USER_INPUT:currency');
    expect(fieldOf(() => parseMoney('1e3', 'EUR', 'amount'))).toBe('BAD_USER_INPUT:amount');
    expect(fieldOf(() => parseMoney('99999999999999999999', 'EUR', 'amount'))).toBe('BAD_USER_INPUT:amount');
  });

  it('formats with exactly the currency decimals', () => {
    expect(formatMoney({ currency: 'EUR', minor: 5 })).toBe('0.05');
    expect(formatMoney({ currency: 'EUR', minor: 39800 })).toBe('398.00');
    expect(formatMoney({ currency: 'ISK', minor: 9990 })).toBe('9990');
    expect(formatMoney({ currency: 'BHD', minor: -1500 })).toBe('-1.500');
  });
});
