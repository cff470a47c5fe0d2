import { randomBytes } from 'node:crypto';

/** Gateway order ids: "ord_" and 20 random base62 characters. */
export function newOrderId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(20);
  return `ord_${Array.from(bytes, (byte) => alphabet[byte % 62]).join('')}`;
}
