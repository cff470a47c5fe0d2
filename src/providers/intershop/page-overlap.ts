/*
 * How the pages of ICM's list (seed §2.3: "sorted in descending order according to the orders'
 * creation date", paged by `offset` / `limit`, no example) follow on from one another while the
 * list changes under the gateway. Pure.
 *
 * Orders come in on top while the gateway reads page after page (entries move down: an entry is
 * read twice, which the listing already drops), and an order that is gone from the list (a
 * rolled-back one at an ICM whose rolled-back orders are gone, round one's `rolledBackRead:
 * 'not-found'`) moves every older entry up by one: asked at the end of the page before, the next
 * page would begin one entry later, and the entry that moved across the boundary was never read
 * (round twenty-one: an order the storefront placed was missing from `orders`). Each page after the
 * first is asked from the last entry of the one before, so one entry gone before the boundary loses
 * nothing.
 */

/** How many entries a page shares with the one before (its last ones). */
const PAGE_OVERLAP = 1;

/** Where the page after one of `length` entries asked at `offset` is asked: back by the overlap, never in place. */
export function nextPageOffset(offset: number, length: number): number {
  return offset + Math.max(1, length - PAGE_OVERLAP);
}

/**
 * Whether a list whose `info` says `total` entries has been read to its end: as many different
 * entries as that, AND a page reaching that position. The count alone ends too early once an entry
 * has gone (it was counted, the list is one shorter, the last entry not read yet); the position
 * alone ends too early at an ICM that ignores `offset` (its first page again: the count says so).
 */
export function readToTotal(total: number | undefined, distinct: number, offset: number, length: number): boolean {
  return total !== undefined && distinct >= total && offset + length >= total;
}

/**
 * How many pages in a row that bring only entries read already are read past while ICM's `total`
 * says there are more (orders came in on top: the entries moved down by as many as the page
 * holds, or more). Bounded: an ICM that ignores `offset` answers its first page again and again.
 */
export const MAX_MOVED_DOWN = 2;

/**
 * Where a page is asked again when ICM's `total` is smaller than the page before said: `shrunk`
 * entries are gone from the list between the two reads, and if they were before the boundary every
 * older entry moved up by as many, past the one entry of overlap (round twenty-two: two gone hid
 * the entry moved across by two). The list's own count says how far at most; stepping back that
 * far re-reads entries already read (dropped as duplicates) and never skips one. Gone entries after
 * the boundary, or orders come in on top at the same time, only make the step longer than needed.
 */
export function steppedBack(offset: number, shrunk: number): number {
  return Math.max(0, offset - shrunk);
}

/** By how many entries ICM's `total` went down since the page before (0 when it did not, or either page says none). */
export function totalShrunk(before: number | undefined, now: number | undefined): number {
  return before !== undefined && now !== undefined && now < before ? before - now : 0;
}

/**
 * Whether a page of entries read already, from an ICM whose list says no `total`, is read past
 * (once) before it is taken for the end or for an ICM that ignores `offset`: orders that came in on
 * top between two page reads move the entries down, and one fewer than a page's worth puts the
 * page asked (from the last entry read, one entry of overlap) exactly on entries read already
 * (round twenty-two: without `info` the listing ended there, every older order missing). Only a
 * page as long as the longest ICM has answered (its page size, as far as the gateway can see; a
 * shorter one is the list's end). An ICM that ignores `offset`, or answers its whole list, answers
 * the same page again at the next offset and is then read as before, one call later.
 */
export function readPastWithoutTotal(total: number | undefined, length: number, largestPage: number, readPast: number): boolean {
  return total === undefined && length > 0 && length >= largestPage && readPast < 1;
}

/** Whether ICM's `total` says entries are left that the listing has not read. */
export function stillToRead(total: number | undefined, distinct: number): boolean {
  return total !== undefined && distinct < total;
}
