/*
 * How far ICM's clock is behind the gateway's, as an answer's HTTP `Date` header says. Pure.
 *
 * ICM writes an order's `creationDate` from its own clock (seed §2.2), and a lost creation is looked
 * for among the basket's orders made since shortly before the call, by that date (lost-creation.ts).
 * The seed promises nothing of ICM's clock: one running minutes behind (a host whose time sync
 * failed) dated the order "before" the call, and the search took it for none (round seventeen: a
 * create POSTed again, PROVIDER_REJECTED while ICM held the money; a failed chain's restored basket
 * ordered twice). An origin server with a clock sends `Date` with every answer (RFC 9110 §6.6.1),
 * which says that clock.
 */

/**
 * At most how many milliseconds ICM's clock is behind the gateway's: `receivedAt` (the gateway's
 * clock when the answer had arrived) less the answer's `Date`. An upper bound, never less than the
 * truth: the header is whole seconds cut down, and the answer took time to arrive, both of which
 * only make it larger, so a window widened by it still holds every order the call made. 0 when the
 * header is missing, unreadable, or ahead of the gateway's clock (a window is never narrowed).
 */
export function icmClockBehindMs(dateHeader: string, receivedAt: number): number {
  const text = dateHeader.trim();
  if (!text) return 0;
  // HTTP dates are GMT; the obsolete asctime form does not say so, and Date.parse would read it in
  // the gateway's own zone.
  const said = Date.parse(/\b(GMT|UTC)\b|[+-]\d{4}$/i.test(text) ? text : `${text} GMT`);
  return Number.isFinite(said) ? Math.max(0, receivedAt - said) : 0;
}
