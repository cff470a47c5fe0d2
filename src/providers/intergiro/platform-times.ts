import { isoOffsetOfAbbreviation } from '../zone-abbreviations.js';
import { zoneNamedTimeAsIso } from './zone-name-times.js';

/*
 * Round twenty-seven: times as a platform's default formatter writes them, rewritten as the ISO
 * 8601 text timestamps.ts reads. Pure.
 *
 * The seed writes only "<datetime of order>" and shows no event, so nothing fixes a format. A
 * Swedish platform printing its local time with its language's default writes the zone's
 * abbreviation after it: Go's `time.Time.String()` ("2026-12-07 17:36:51.123 +0100 CET", and
 * " m=+12.345" after a `time.Now()` value, its monotonic reading), or strftime's `%Z` ("2026-12-07
 * 17:36:51 CET", no offset). Read as before, each was no time at all: a refund Intergiro recorded
 * as failed was taken for an older failure (its date unreadable, not "since the PATCH") and
 * answered done, and every order of `orders(filter)` was left out.
 */

// Abbreviations are read only where they name one offset (../zone-abbreviations.ts, shared).

/** Date, a space or `T`, time with seconds and an optional fraction. */
const DATE_TIME = String.raw`(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)`;
/** Go: an offset without a colon, then its abbreviation (or the offset again where the zone has none: "+03"), then perhaps the monotonic reading. */
const GO_STRING = new RegExp(String.raw`^${DATE_TIME} ([+-]\d{4}) (?:[A-Za-z]{1,6}|[+-]\d{2,4})(?: m=[+-]\d+(?:\.\d+)?)?$`);
/** strftime's `%Z`: the abbreviation alone. */
const WITH_ABBREVIATION = new RegExp(String.raw`^${DATE_TIME} ?([A-Za-z]{1,5})$`);

/**
 * Round twenty-eight: Java's `ZonedDateTime.toString()`, ISO 8601 with its offset and the zone's
 * name in brackets ("2026-12-07T17:36:51.123+01:00[Europe/Stockholm]"): the offset says the
 * instant (also in an autumn change's repeated hour), the name adds nothing to it.
 */
const JAVA_ZONED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}(?::\d{2})?))\[[^\]]+\]$/;

/**
 * The ISO 8601 text of a time written in one of the forms above (its numeric offset where it has
 * one, else its abbreviation's where that names one offset, else its IANA zone's offset at that
 * wall time where it had one: zone-name-times.ts), or undefined where it is in none of them (read
 * as it always was) or names an abbreviation read nowhere here, or a zone's ambiguous hour.
 */
export function platformTimeAsIso(text: string): string | undefined {
  const trimmed = text.trim();
  const java = JAVA_ZONED.exec(trimmed);
  if (java) return java[1];
  const named = zoneNamedTimeAsIso(trimmed);
  if (named) return named;
  const go = GO_STRING.exec(trimmed);
  if (go) return `${go[1]}T${go[2]}${go[3]}`;
  const abbreviated = WITH_ABBREVIATION.exec(trimmed);
  const offset = abbreviated ? isoOffsetOfAbbreviation(abbreviated[3]!) : undefined;
  return abbreviated && offset ? `${abbreviated[1]}T${abbreviated[2]}${offset}` : undefined;
}
