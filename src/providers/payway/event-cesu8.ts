/**
 * An event's bytes read as CESU-8 (round twenty-nine): UTF-8 in which each UTF-16 surrogate is
 * written as three bytes of its own (`ED A0..BF xx`), as Oracle's `UTF8` character set, Java's
 * `Charset.forName("CESU-8")` and Python's `surrogatepass` write text, a pair as six bytes and a
 * lone half as three. Round twenty-eight's leftover: Adyen's notification naming "the first 80
 * characters" of a longer reference (round fifteen), cut by a Java Payway or Adyen at 80 UTF-16
 * units through a pair, is written so by such a writer; those bytes are no UTF-8, so the body was
 * read as ISO-8859-1 (../body-text.ts), the cut became `í ¼` mojibake, found no purchase, was
 * acknowledged and dropped, and the purchase Adyen authorised (or refused) stayed PENDING for
 * good (a reference holding an emoji anywhere, Payway's own events too, came out so).
 *
 * The reading is exact, not a guess: each three-byte surrogate is the UTF-16 unit it encodes, so
 * a pair is its code point and a lone half the lone half Java's `substring` left (the same cut the
 * index remembers as written in UTF-16 units: adyen-reference-cut.ts). Undefined unless the bytes
 * hold at least one surrogate so written and are otherwise well-formed UTF-8: any other byte
 * that is not UTF-8 leaves the body to the one rule (ISO-8859-1), so a Latin-1 body is read as
 * before. ISO-8859-1 text that happens to be CESU-8 would need `í` followed by two bytes of
 * 0x80..0xBF (`í¡¿`) and every other letter above 0x7F followed by such bytes too: no writer's
 * reference in Payway's SE, FI or AX reads so.
 */
export function cesu8Text(bytes: Uint8Array): string | undefined {
  const units: number[] = [];
  let surrogates = 0;
  let at = 0;
  const continuation = (offset: number): number | undefined => {
    const byte = bytes[at + offset];
    return byte !== undefined && byte >= 0x80 && byte <= 0xbf ? byte & 0x3f : undefined;
  };
  while (at < bytes.length) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      units.push(lead);
      at += 1;
      continue;
    }
    if (lead >= 0xc2 && lead <= 0xdf) {
      const second = continuation(1);
      if (second === undefined) return undefined;
      units.push(((lead & 0x1f) << 6) | second);
      at += 2;
      continue;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
      const second = continuation(1);
      const third = continuation(2);
      if (second === undefined || third === undefined) return undefined;
      const unit = ((lead & 0x0f) << 12) | (second << 6) | third;
      // Overlong (below U+0800) is no encoding of anything.
      if (unit < 0x800) return undefined;
      if (unit >= 0xd800 && unit <= 0xdfff) surrogates += 1;
      units.push(unit);
      at += 3;
      continue;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
      const second = continuation(1);
      const third = continuation(2);
      const fourth = continuation(3);
      if (second === undefined || third === undefined || fourth === undefined) return undefined;
      const point = ((lead & 0x07) << 18) | (second << 12) | (third << 6) | fourth;
      if (point < 0x10000 || point > 0x10ffff) return undefined;
      units.push(0xd800 + ((point - 0x10000) >> 10), 0xdc00 + ((point - 0x10000) & 0x3ff));
      at += 4;
      continue;
    }
    return undefined;
  }
  if (surrogates === 0) return undefined;
  let text = '';
  // In slices: String.fromCharCode takes its units as arguments.
  for (let start = 0; start < units.length; start += 8192) text += String.fromCharCode(...units.slice(start, start + 8192));
  return text;
}
