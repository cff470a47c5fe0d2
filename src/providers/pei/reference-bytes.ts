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
 * Pei keeps (none for ASCII); each of those misread once more (round twenty): a Pei that keeps
 * `PÃ¶ntun` (its requests read as ISO-8859-1, round seventeen) and answers its UTF-8 bytes labelled
 * `charset=iso-8859-1` (round nineteen) shows the gateway `PÃƒÂ¶ntun`. Each round held its own
 * misreading; together they made one the search did not know, and a lost charge's retry past the
 * listing lag bound charged the buyer (or the mandate) again. And the Reference's ISO-8859-1 bytes
 * read in another single-byte charset (a Pei whose answers are mislabelled, mislabelledSpellings).
 */
export function misreadSpellings(reference: string): string[] {
  const once = misreadOnce(reference);
  if (once.length === 0) return [];
  const spellings = new Set([...once, ...once.flatMap(misreadOnce), ...mislabelledSpellings(reference)]);
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
 * Round nineteen: a Pei that keeps the Reference right but writes its answers in ISO-8859-1 (or
 * windows-1252, alike for Icelandic letters) under a label naming another single-byte charset
 * (`charset=windows-1250`, a server's default code page) has it read by that label, as every
 * labelled answer is (body-text.ts): `Pöntun-þæð` comes back `Pöntun-ţćđ`. Not found under that
 * spelling, a lost Orders/Pay or Recurring charge was "not there" once the listing lag bound had
 * passed, and the client's retry charged the buyer again. The label is not carried to the search,
 * so every single-byte charset a label can name (WHATWG's) gives one spelling, each fixed by the
 * bytes; one with a character its charset leaves undefined (U+FFFD) is left out, as it no longer
 * tells references apart.
 */
function mislabelledSpellings(reference: string): string[] {
  if (![...reference].every((char) => char.charCodeAt(0) <= 0xff)) return [];
  const bytes = Buffer.from(reference, 'latin1');
  return SINGLE_BYTE_DECODERS.map((decoder) => decoder.decode(bytes)).filter((spelling) => !spelling.includes('\uFFFD'));
}

/** WHATWG's single-byte encodings other than windows-1252 (which ISO-8859-1's label means), those this runtime knows. */
const SINGLE_BYTE_DECODERS: readonly TextDecoder[] = [
  'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8', 'iso-8859-10',
  'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u', 'macintosh', 'windows-874', 'windows-1250',
  'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic',
].flatMap((label) => {
  try {
    return [new TextDecoder(label)];
  } catch {
    return [];
  }
});

/**
 * What windows-1252 writes for the bytes 0x80 to 0x9F (ISO-8859-1's C1 controls; the five it leaves
 * undefined stay the control). Spelled out: this runtime's TextDecoder('windows-1252') reads them
 * as ISO-8859-1 does, and the second byte of a UTF-8 letter often falls there (Þ is C3 9E: `Ãž`).
 */
const WINDOWS_1252_C1: readonly (string | undefined)[] = [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ'];
