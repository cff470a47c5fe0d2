import type { KeyValueStore } from '../../store/types.js';
import type { Attempt, AttemptRecord } from './purchase-attempts.js';
import { earlierKeysOf, earlierReceiptKeysOf, keyOf, receiptKeyOf } from './purchase-store-keys.js';

/*
 * Reading the purchase index across the keys it used before round twenty-six (purchase-store-keys.ts
 * earlierKeysOf): a purchase placed under a decomposed reference by a gateway of before then is kept
 * under the reference as written, and stays there until its record is next written, when it moves
 * to the key of today (PurchaseIndex.update). Its event may come days later (a pending purchase),
 * after the upgrade: reading only today's key, it found no purchase and was acknowledged and
 * dropped, and the purchase Payway charged stayed PENDING for good.
 */

/** A record's attempts; none where there is no record or it holds no list. */
export function parseAttempts(raw: string | null): Attempt[] {
  if (!raw) return [];
  const value = JSON.parse(raw) as Partial<AttemptRecord>;
  return Array.isArray(value.attempts) ? value.attempts : [];
}

/**
 * `reference`'s attempts under today's key and under the earlier keys (those first: they are older;
 * an attempt under both, by its order id, is today's), and which earlier keys held any.
 */
export async function attemptsUnder(kv: KeyValueStore, reference: string): Promise<{ attempts: Attempt[]; earlierHeld: string[] }> {
  const attempts = parseAttempts(await kv.get(keyOf(reference)));
  const earlierHeld: string[] = [];
  const earlier: Attempt[] = [];
  for (const key of earlierKeysOf(reference)) {
    const kept = parseAttempts(await kv.get(key));
    if (kept.length === 0) continue;
    earlierHeld.push(key);
    for (const attempt of kept) if (![...attempts, ...earlier].some((other) => other.orderId === attempt.orderId)) earlier.push(attempt);
  }
  return { attempts: [...earlier, ...attempts], earlierHeld };
}

/** Whether a `complete` answer's receipt under `reference` is remembered, under today's key or an earlier one. */
export async function receiptRemembered(kv: KeyValueStore, reference: string, receiptId: string): Promise<boolean> {
  for (const key of [receiptKeyOf(reference, receiptId), ...earlierReceiptKeysOf(reference, receiptId)]) if ((await kv.get(key)) !== null) return true;
  return false;
}
