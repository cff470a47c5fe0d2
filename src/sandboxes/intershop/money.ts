/**
 * Money in the Intershop sandbox: integer minor units inside, ICM's `{currency, value}` with a
 * major-unit JSON number on the wire.
 */
import { currencyExponent } from '../../domain/currencies.js';
import type { IntershopSandboxMoney, IntershopSandboxPriceItem } from './wire.js';

export function exponentOf(currency: string): number {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) throw new Error(`unknown currency ${currency}`);
  return exponent;
}

/** Division by a power of ten is correctly rounded, so 62834 / 100 is exactly the number 628.34. */
export function icmMoney(minor: number, currency: string): IntershopSandboxMoney {
  return { currency, value: minor / 10 ** exponentOf(currency) };
}

/** The sandbox charges no tax: gross and net are the same. */
export function priceItem(minor: number, currency: string): IntershopSandboxPriceItem {
  return { gross: icmMoney(minor, currency), net: icmMoney(minor, currency) };
}

/** "628.34" for pages and the PSP's `amount` parameter's display. */
export function formatMinor(minor: number, currency: string): string {
  const exponent = exponentOf(currency);
  const digits = Math.abs(minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return exponent ? `${whole}.${digits.slice(digits.length - exponent)}` : whole;
}

/** A decimal string ("24.99") in minor units, or undefined when it is not one for the currency. */
export function parseDecimal(text: string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return undefined;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return undefined;
  const minor = Number(`${match[1]}${fraction.padEnd(exponent, '0')}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}
