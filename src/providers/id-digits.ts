import { z } from 'zod';

/**
 * An id a provider may write as a JSON number where its documents show text (an implementation
 * keyed by a database sequence: `"id": 100007`). Such a number is the id's decimal digits only
 * where it is a whole, non-negative number JavaScript holds exactly (at most 2^53 - 1): a larger
 * one was rounded by JSON.parse and its digits would name another record (a capture sent to it,
 * or to none), and a fraction or a negative number is no id. Ids beyond 2^53 reach an adapter as
 * text already where it reads answers through long-numbers.ts. Pure.
 */
export function idDigits(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
}

/** An id as text (as written), or a JSON number read as its digits (idDigits); anything else fails. */
export const TextOrNumberId = z.union([
  z.string(),
  z
    .number()
    .refine((value) => idDigits(value) !== undefined, 'not a whole, non-negative number held exactly')
    .transform((value) => String(value)),
]);
