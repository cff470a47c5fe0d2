/*
 * A Reference as a Pei that reads request bytes in the wrong charset keeps it (round seventeen).
 * The gateway sends its JSON as UTF-8 and says so (`charset=utf-8`, client.ts), but the seed names
 * no charset, and a .NET handler that reads the body with a fixed `Encoding.GetEncoding(
 * "iso-8859-1")` (or windows-1252, the Windows default for Icelandic) whatever its label keeps a
 * client's Reference `Pöntun` as `PÃ¶ntun`, and answers it so in reads and listings. Not found
 * under that spelling, an Orders/Pay or a Recurring charge whose answer was lost was "not there"
 * once Pei's listing lag bound had passed, and the client's retry charged the buyer again.
 *
 * Each reading is fixed by the bytes sent, one spelling per charset, so taking it is no guess: an
 * ASCII Reference (the gateway's own, most clients') has no other spelling at all.
 */

/**
 * The Reference sent as UTF-8 bytes, read back as ISO-8859-1 and as windows-1252: the spellings such a
 * Pei keeps (none for ASCII); and each of those misread once more (round twenty): a Pei that keeps
 * `PÃ¶ntun` (its requests read as ISO-8859-1, round seventeen) and answers its UTF-8 bytes labelled
 * `charset=iso-8859-1` (round nineteen) shows the gateway `PÃƒÂ¶ntun`. Each round held its own
 * misreading; together they made one the search did not know, and a lost charge's retry past the
 * listing lag bound charged the buyer (or the mandate) again.
 */
export function misreadSpellings(reference: string): string[] {
  const once = misreadOnce(reference);
  const spellings = new Set([...once, ...once.flatMap(misreadOnce)]);
  spellings.delete(reference);
  return [...spellings];
}

/** `text` as UTF-8 bytes read as ISO-8859-1 and as windows-1252 (none for ASCII). */
function misreadOnce(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length) return [];
  const latin1 = bytes.toString('latin1');
  return [...new Set([latin1, [...latin1].map((char) => WINDOWS_1252_C1[char.charCodeAt(0) - 0x80] ?? char).join('')])];
}

/**
 * What windows-1252 writes for the bytes 0x80 to 0x9F (ISO-8859-1's C1 controls; the five it leaves
 * undefined stay the control). Spelled out: this runtime's TextDecoder('windows-1252') reads them
 * as ISO-8859-1 does, and the second byte of a UTF-8 letter often falls there (Þ is C3 9E: `Ãž`).
 */
const WINDOWS_1252_C1: readonly (string | undefined)[] = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'];
