import { idDigits } from '../id-digits.js';
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

/**
 * The session with `transaction_id` filled from an embedded or listed try where it names none
 * itself. `read`: the status words the tries' own transactions were read in (triesToRead), which
 * stand for what the listing says of those tries (round seventeen).
 */
export function withTransactionNamed(session: DinteroSession, read: ReadonlyMap<string, string> = new Map()): DinteroSession {
  if (session.transaction_id !== undefined) return session;
  const fields = session as Record<string, unknown>;
  const named = tryOf(fields['transaction'])?.id ?? sessionsTry(listedTries(fields['transactions'], read));
  return named ? { ...session, transaction_id: named } : session;
}

/** At most this many tries of one listing are read to tell them apart (a buyer tries a few times, not hundreds). */
const TRIES_READ_AT_MOST = 5;

/**
 * The tries a session's listing cannot tell apart by what it says of them, whose transactions are to
 * be read so their own words decide (withTransactionNamed's `read`): two or more at the best rank
 * that is not "reserved" (on hold, no word at all: a listing of ids alone). Round seventeen, round
 * sixteen's leftover: before, such a session named no try, so a buyer declined who paid on a second
 * try, listed `["<id>", "<id>"]`, whose callback never came or named only the session, stayed
 * CREATED for good while the money was reserved. Two tries both said reserved are not read: that is
 * two authorizations on one session, which reading cannot settle (round eight).
 */
export function triesToRead(session: DinteroSession): string[] {
  if (session.transaction_id !== undefined) return [];
  const fields = session as Record<string, unknown>;
  if (tryOf(fields['transaction'])) return [];
  const tries = listedTries(fields['transactions']);
  if (tries.some(isReserved)) return [];
  const open = tries.filter((entry) => entry.status === undefined || !saysFailed(entry.status));
  return open.length > 1 ? open.slice(0, TRIES_READ_AT_MOST).map((entry) => entry.id) : [];
}

/** The tries a listing holds, each in the word its own transaction was read in where it was (`read`). */
function listedTries(list: unknown, read: ReadonlyMap<string, string> = new Map()): ListedTry[] {
  if (!Array.isArray(list)) return [];
  return list
    .map(tryOf)
    .filter((entry): entry is ListedTry => entry !== undefined)
    .map((entry) => {
      const status = read.get(entry.id);
      return status === undefined ? entry : { ...entry, status };
    });
}

const isReserved = (entry: ListedTry): boolean => entry.status !== undefined && RESERVED.has(dinteroStatusLetters(entry.status));

/** A try written as its id (a string or a whole number) or as an object with its `id` (and `status`). */
function tryOf(value: unknown): ListedTry | undefined {
  if (typeof value === 'string') return value.trim() ? { id: value.trim() } : undefined;
  if (typeof value === 'number') {
    const id = idDigits(value);
    return id === undefined ? undefined : { id };
  }
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
function sessionsTry(tries: ListedTry[]): string | undefined {
  const reserved = tries.filter(isReserved);
  const open = tries.filter((entry) => entry.status === undefined || !saysFailed(entry.status));
  const best = reserved.length > 0 ? reserved : open;
  if (best.length === 1) return best[0]!.id;
  if (best.length > 1) return undefined;
  return tries[0]?.id;
}
