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

/** Whether ICM's `total` says entries are left that the listing has not read. */
export function stillToRead(total: number | undefined, distinct: number): boolean {
  return total !== undefined && distinct < total;
}
