/** Identifiers as Dintero forms them: `<account id>.<random base58>` for sessions and transactions. */
import { randomBytes, randomUUID } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const UPPER_ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

function randomFrom(alphabet: string, length: number): string {
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** e.g. "T12345678.4XoogMvbeAPYgDA1j2Mfcm" (sessions and transactions). */
export const checkoutId = (accountId: string): string => `${accountId}.${randomFrom(BASE58, 22)}`;

export const uuid = (): string => randomUUID();

export const accessToken = (): string => randomFrom(BASE58, 40);

/**
 * `options.generate_order_id` of a draft order: "ALPHANUMERIC_<n>" (upper-case letters and digits)
 * or "NUMERIC_<n>", n from 6 to 20; undefined when the value is not one of those.
 */
export function generatedOrderId(rule: string): string | undefined {
  const match = /^(ALPHANUMERIC|NUMERIC)_(\d{1,2})$/.exec(rule);
  const length = Number(match?.[2]);
  if (!match || length < 6 || length > 20) return undefined;
  return randomFrom(match[1] === 'NUMERIC' ? DIGITS : UPPER_ALPHANUMERIC, length);
}
