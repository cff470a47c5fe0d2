/**
 * Money in the Intergiro sandbox: major-unit JSON numbers on the wire, integer minor units inside.
 * The one place that knows which currencies exist and how many decimals each has.
 */

/** Known currencies are the ISO 4217 codes the runtime's Intl knows. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const EXPONENT_0: ReadonlySet<string> = new Set(['ISK', 'JPY', 'KRW']);
const EXPONENT_3: ReadonlySet<string> = new Set(['BHD', 'KWD', 'JOD', 'OMR', 'TND']);

export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}

export function exponentOf(currency: string): number {
  if (EXPONENT_0.has(currency)) return 0;
  if (EXPONENT_3.has(currency)) return 3;
  return 2;
}

/**
 * A major-unit number in minor units, or undefined when it carries more decimals than the
 * currency has. Division by a power of ten is correctly rounded, so `minor / scale === value`
 * holds exactly for every value that is a whole number of minor units (1.15, 0.29...).
 */
export function toMinor(value: number, exponent: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const scale = 10 ** exponent;
  const minor = Math.round(value * scale);
  if (!Number.isSafeInteger(minor) || minor / scale !== value) return undefined;
  return minor;
}

export function toMajor(minor: number, exponent: number): number {
  return minor / 10 ** exponent;
}

/** "398.00" for 39800 minor units of a 2-decimal currency; for pages only. */
export function formatMinor(minor: number, exponent: number): string {
  const scale = 10 ** exponent;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / scale).toString();
  if (exponent === 0) return sign + whole;
  return `${sign}${whole}.${(abs % scale).toString().padStart(exponent, '0')}`;
}
