import { epochMs, isoInstant } from '../timestamps.js';

/**
 * Dintero's timestamps (a session's `expires_at`). No seed shows one; Dintero's reference writes
 * ISO 8601 in UTC with `Z`, and another Dintero may leave the zone out (its clock is UTC), add an
 * offset, write more fractions than milliseconds, a space for the `T`, or epoch seconds. A time
 * without a zone is UTC here: `Date.parse` would read it in the gateway's own zone (in Tokyo nine
 * hours early, and EXPIRED is final while the buyer could still pay), and epoch numbers not at all
 * (the ISO reading is every provider's, timestamps.ts).
 */

/** The instant (epoch ms) a Dintero timestamp names, or undefined when it names none. */
export function parseDinteroTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? epochMs(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{9,13}$/.test(text)) return parseDinteroTime(Number(text));
  return isoInstant(text)?.ms;
}
