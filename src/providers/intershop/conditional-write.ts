/*
 * A PATCH that ICM takes only as a conditional request (round twenty-four). The seed shows
 * `PATCH /orders/<orderID>` with no header but `Accept`, and no status code at all; an ICM (or the
 * web tier in front of it) with optimistic locking on the order (a JPA `@Version`, a servlet filter
 * hashing the body into an `ETag`) refuses a write that does not name the version it was made from:
 * `428 Precondition Required` without `If-Match` (RFC 6585 §3), `412 Precondition Failed` when the
 * order changed since that version was read (RFC 9110 §13.1.1; some servers answer 412 for a
 * missing one too). Either way the request was not carried out ("the server MUST NOT perform the
 * requested method"), so sending it once more, naming the order's current `ETag`, is the only time
 * ICM acts on it: the buyer's return still reaches ICM once. Before, the refusal was ICM's "no":
 * every continue PROVIDER_REJECTED (the buyer's SUCCESS told as failed while the PSP held her money,
 * the create's return URLs never taken, the order never sent to the PSP). Pure.
 */

const PRECONDITION_FAILED = 412;
const PRECONDITION_REQUIRED = 428;

/**
 * How many times one PATCH is sent at most: unconditional, then with the tag a read gave, then once
 * more when the order changed between that read and the write (the PSP's notification landing
 * meanwhile). A PATCH refused after that stays refused.
 */
export const CONDITIONAL_TRIES = 3;

/** Whether an answer says the write was not carried out for want of a current `If-Match`. */
export function asksForCondition(status: number): boolean {
  return status === PRECONDITION_REQUIRED || status === PRECONDITION_FAILED;
}

/**
 * The entity tag an `ETag` header names, exactly as written (a weak one with its `W/`: the server
 * compares it as it issued it), or undefined when the header says none (absent, several, or not an
 * entity tag: nothing to send then, and the refusal stands).
 */
export function entityTag(header: string): string | undefined {
  const tag = header.trim();
  return /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(tag) ? tag : undefined;
}
