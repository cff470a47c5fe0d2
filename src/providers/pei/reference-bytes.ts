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
 * The spellings other than itself in which a Reference sent may come back in an answer whose
 * Content-Type names the charset `answeredIn` (the WHATWG name of a single-byte charset the answer
 * was decoded in, body-text.ts namedCharset; undefined for none, UTF-8 or one not known, which are
 * read as UTF-8, else ISO-8859-1, so come back as kept). None for ASCII.
 *
 * Pei may keep it as sent, or as its UTF-8 bytes read as ISO-8859-1 or windows-1252 (round
 * seventeen: its requests read in the site's `requestEncoding`). An answer labelled with a
 * single-byte charset then shows what it keeps as that label reads the bytes it wrote: UTF-8
 * (round nineteen: `charset=iso-8859-1` on UTF-8, `PÃ¶ntun`; round twenty: kept misread and
 * misread again, `PÃƒÂ¶ntun`) or ISO-8859-1 (round nineteen: `charset=windows-1250`, `Pöntun-ţćđ`).
 *
 * Round twenty-four: the label is carried from the answer (client.ts, PeiOrder.answeredIn). Before,
 * it was not, and every single-byte charset a label can name gave a spelling (26 decoders, for each
 * Reference searched); each spelling is still fixed by the bytes, and now only the label's are.
 */
export function misreadSpellings(reference: string, answeredIn?: string): string[] {
  const kept = [reference, ...misreadOnce(reference)];
  const spellings = new Set(answeredIn === undefined ? kept : kept.flatMap((text) => asLabelled(text, answeredIn)));
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
 * `text` as written by a Pei in its own charset, in UTF-8 or in ISO-8859-1, and read in the charset
 * `encoding` the answer's label names. A spelling with a character that charset leaves undefined
 * (U+FFFD) is left out: it no longer tells references apart.
 */
function asLabelled(text: string, encoding: string): string[] {
  // windows-1252 is what ISO-8859-1's label means: its readings of UTF-8 bytes are misreadOnce's (this runtime's decoder reads 0x80-0x9F as ISO-8859-1 does).
  if (encoding === 'windows-1252') return [text, ...misreadOnce(text)];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding);
  } catch {
    return [text];
  }
  const fromLatin1 = [...text].every((char) => char.charCodeAt(0) <= 0xff) ? [decoder.decode(Buffer.from(text, 'latin1'))] : [];
  return [text, decoder.decode(Buffer.from(text, 'utf8')), ...fromLatin1].filter((spelling) => !spelling.includes('\uFFFD'));
}

/**
 * What windows-1252 writes for the bytes 0x80 to 0x9F (ISO-8859-1's C1 controls; the five it leaves
 * undefined stay the control). Spelled out: this runtime's TextDecoder('windows-1252') reads them
 * as ISO-8859-1 does, and the second byte of a UTF-8 letter often falls there (Þ is C3 9E: `Ãž`).
 */
const WINDOWS_1252_C1: readonly (string | undefined)[] = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'];
