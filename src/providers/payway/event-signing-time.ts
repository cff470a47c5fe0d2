/**
 * A signing time as written (and signed) by the sender, in Unix seconds: whole seconds (up to 12
 * digits), with a fraction (Ruby's Time#to_f, `1796557095.123456`), milliseconds (13 digits, as
 * `Date.now()` gives them), an ISO 8601 time with or without fractions, its zone `Z` or an offset
 * (none: read as UTC, and as Payway's own wall clock when checked for a replay: round nineteen,
 * event-signing-zone.ts), the same with a space for the `T` and a zone `UTC` or a spaced offset
 * (Ruby's Time#to_s, `2026-12-06 11:38:15 UTC`, what a Rails Payway interpolates a Time as), or
 * an HTTP date (`Sun, 06 Dec 2026 11:38:15 GMT`). Anything else is no time. Round twelve: only
 * seconds, milliseconds and ISO 8601 were read, and a timed signature whose time was written
 * another way was never valid: each of Payway's events was 401 on every delivery and its purchase
 * stayed PENDING. The time is part of what is signed, so reading more spellings of it takes no
 * event the secret did not sign, and the replay window applies to each alike.
 */
export function signingTime(written: string): number | undefined {
  if (/^\d{1,12}$/.test(written)) return Number(written);
  if (/^\d{1,12}\.\d{1,9}$/.test(written)) return Number(written);
  if (/^\d{13}$/.test(written)) return Number(written) / 1000;
  const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?: ?(UTC|GMT|Z|[+-]\d{2}:?\d{2}))?$/i.exec(written);
  if (spaced) return signingTime(`${spaced[1]}T${spaced[2]}${!spaced[3] || /^(utc|gmt)$/i.test(spaced[3]) ? 'Z' : spaced[3]}`);
  if (HTTP_DATE.test(written)) {
    const millis = Date.parse(written);
    return Number.isNaN(millis) ? undefined : millis / 1000;
  }
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(written);
  if (!iso) return undefined;
  const millis = Date.parse(iso[3] ? written : `${written}Z`);
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

/** RFC 9110's IMF-fixdate, the one HTTP date a sender writes today. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
