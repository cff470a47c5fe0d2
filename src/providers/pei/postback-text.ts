import { namedCharset } from '../body-text.js';

/**
 * A postback's body as UTF-8 bytes, the form the webhook's readers take it in (pure).
 *
 * The seed shows "the object that gets sent to this URL" as JSON text and names no encoding, and
 * Pei's sender is .NET's to write: `new StringContent(json, Encoding.Unicode, "application/json")`
 * posts UTF-16LE labelled `charset=utf-16`; a `StreamWriter` with `Encoding.Unicode` (or
 * `BigEndianUnicode`) puts the encoding's byte order mark before it, under whatever Content-Type
 * was set by hand. Round nineteen: read as UTF-8, such a postback was no JSON (400), and Pei does not
 * post again: where its reads cannot say (they keep the Amount submitted, or carry no word), the
 * buyer's choice was shown as the default amount captured and the buyer's Cancel was never seen.
 *
 * Read as the WHATWG encoding standard decodes a body: a byte order mark says the encoding (it
 * wins over the label), else the charset the Content-Type names (body-text.ts namedCharset), else
 * the bytes as they came. The third is every postback before this round, left byte for byte as it
 * was (UTF-8, a form, the seed's template); so is one labelled UTF-8 or with a UTF-8 mark, which
 * the readers already take (the mark is trimmed as white space).
 */
export function postbackAsUtf8(body: Buffer, contentType: string | undefined): Buffer {
  const decoder = markedEncoding(body) ?? namedCharset(contentType);
  return decoder === undefined ? body : Buffer.from(decoder.decode(body), 'utf8');
}

/** The UTF-16 decoder a leading byte order mark names (TextDecoder drops the mark itself); UTF-8's mark changes nothing. */
function markedEncoding(body: Buffer): TextDecoder | undefined {
  if (body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le');
  if (body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be');
  return undefined;
}
