import { dinteroStatusLetters, saysFailed, type DinteroSession } from './wire.js';

/*
 * Which transaction a session read names, where it does not name it as CONTRACT §8's
 * `transaction_id`. The seed shows no session read at all, only that a redirect or callback comes
 * "with the session_id and its corresponding transaction"; another Dintero may embed the try
 * (`transaction: {id, status}`, a stack that expands a session's relation) or list every try on
 * the session (`transactions: [{id, status}, ...]`: a session may take more than one, round two).
 * Round sixteen: before, such a session named no transaction, so a paid order whose callback
 * named only its session, or never came, stayed CREATED for good while the buyer's money was
 * reserved, and a buyer declined who paid on a second try was never found.
 *
 * The id is only where to look: the transaction is read and bound to its order (binding.ts) before
 * anything in it is believed, as one named by `transaction_id` is.
 */

/** A try as a session lists it: its id, and its status word where it carries one. */
interface ListedTry {
  id: string;
  status?: string;
}

/** Statuses (their letters, wire.ts dinteroStatusLetters) of a try whose money was reserved at some point. */
const RESERVED = new Set(
  ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'AUTHORIZATION_VOIDED'].map(dinteroStatusLetters),
);

/** The session with `transaction_id` filled from an embedded or listed try where it names none itself. */
export function withTransactionNamed(session: DinteroSession): DinteroSession {
  if (session.transaction_id !== undefined) return session;
  const fields = session as Record<string, unknown>;
  const named = tryOf(fields['transaction'])?.id ?? sessionsTry(fields['transactions']);
  return named ? { ...session, transaction_id: named } : session;
}

/** A try written as its id (a string or a whole number) or as an object with its `id` (and `status`). */
function tryOf(value: unknown): ListedTry | undefined {
  if (typeof value === 'string') return value.trim() ? { id: value.trim() } : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? { id: String(value) } : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { id, status } = value as { id?: unknown; status?: unknown };
  const own = tryOf(id);
  return own && typeof status === 'string' && status.trim() ? { ...own, status } : own;
}

/**
 * The session's try among a list, by what each says, never by where it stands (no seed says
 * whether a list is oldest or newest first): the one whose money was reserved; else the one not
 * ended without money (on hold, initiated, a word nobody listed, no word); else, every try
 * declined, one of them (read, it is FAILED as any of them). Two at the best rank cannot be told
 * apart: none is named, as a session without a transaction (the callback naming one still works).
 */
function sessionsTry(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const tries = list.map(tryOf).filter((entry): entry is ListedTry => entry !== undefined);
  const reserved = tries.filter((entry) => entry.status !== undefined && RESERVED.has(dinteroStatusLetters(entry.status)));
  const open = tries.filter((entry) => entry.status === undefined || !saysFailed(entry.status));
  const best = reserved.length > 0 ? reserved : open;
  if (best.length === 1) return best[0]!.id;
  if (best.length > 1) return undefined;
  return tries[0]?.id;
}
