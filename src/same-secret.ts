import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret (or a MAC of one) someone sent is the expected one, in time that does not
 * depend on where they differ: a comparison that stops at the first wrong byte tells a caller how
 * much of a guess was right.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
