import { currencyExponent } from './currencies.js';
import { badInput } from './errors.js';

/**
 * An exact amount: integer minor units of an ISO 4217 currency. Never a float; decimal strings
 * only at the edges (`parseMoney`, `formatMoney`).
 */
export interface Money {
  readonly currency: string;
  /** Minor units (cents, öre; ISK has none), always a safe integer. */
  readonly minor: number;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The exponent of a known currency, or a BAD_USER_INPUT naming `field`. */
export function exponentOf(currency: string, field = 'currency'): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw badInput(field, `Unknown ISO 4217 currency "${currency}"`);
  return exponent;
}

/**
 * Parses a decimal string in major units ("398.00") into Money. More decimals than the
 * currency has is refused, never rounded ("9990.5" ISK is an error). Trailing zeros beyond
 * the exponent are fine ("10.000" EUR is 1000 cents): they do not change the value.
 */
export function parseMoney(decimal: string, currency: string, field = 'amount'): Money {
  const exponent = exponentOf(currency);
  const match = DECIMAL.exec(decimal.trim());
  if (!match) throw badInput(field, `"${decimal}" is not a decimal amount`);
  const [, sign, whole = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw badInput(field, `${currency} allows ${exponent} decimal${exponent === 1 ? '' : 's'}; "${decimal}" has more`);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (sign ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw badInput(field, `"${decimal}" is too large`);
  }
  return { currency, minor: Number(minor) };
}

/** Like parseMoney, and the amount must be above zero. */
export function parsePositiveMoney(decimal: string, currency: string, field = 'amount'): Money {
  const money = parseMoney(decimal, currency, field);
  if (money.minor <= 0) throw badInput(field, 'The amount must be greater than zero');
  return money;
}

/** The exact decimal string in major units, with exactly the currency's decimals ("398.00"). */
export function formatMoney(money: Money): string {
  const exponent = exponentOf(money.currency);
  const negative = money.minor < 0;
  const digits = Math.abs(money.minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

export const money = (currency: string, minor: number): Money => {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer, got ${minor}`);
  return { currency, minor };
};

export const zero = (currency: string): Money => ({ currency, minor: 0 });

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.currency, a.minor + b.minor);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.currency, a.minor - b.minor);
}

export function sum(currency: string, amounts: readonly Money[]): Money {
  return amounts.reduce(add, zero(currency));
}

export function max(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return a.minor >= b.minor ? a : b;
}

export const equals = (a: Money, b: Money): boolean => a.currency === b.currency && a.minor === b.minor;
