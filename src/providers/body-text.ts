/**
 * The text of a body a provider sent: an answer to the gateway's call (http.ts) or a webhook's
 * (Payway's events). One rule for both, pure:
 * - a charset the Content-Type names, other than UTF-8, that the runtime knows: the bytes in it
 *   (`charset=iso-8859-1`: an Icelandic or Swedish name must not come out mangled);
 * - none, UTF-8 or one the runtime does not know: UTF-8 where the bytes are UTF-8, else
 *   ISO-8859-1, the one reading left for bytes that cannot be UTF-8. Round seventeen of Pei (a
 *   .NET server writing `Pöntun` as `P\xF6ntun` without saying so) and round eighteen (a Pei or a
 *   Java Payway writing ISO-8859-1 under the framework's default `charset=utf-8`): read as UTF-8,
 *   every such letter became U+FFFD, so a lost charge under a client's reference was not found
 *   (and its retry charged again), and a Payway event matched no purchase (which stayed PENDING).
 *   A valid UTF-8 body is read as ever; a wrong Latin-1 reading matches nothing, as before.
 * ISO-8859-1 is read as windows-1252, as the WHATWG encoding standard (and every web stack) reads
 * that label; the letters of Icelandic, Swedish, German and French (0xA0-0xFF) are the same in both.
 */

/** The decoder of the charset `contentType` names, when it is one other than UTF-8 the runtime knows. */
export function namedCharset(contentType: string | undefined): TextDecoder | undefined {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  if (!charset) return undefined;
  try {
    const decoder = new TextDecoder(charset);
    return decoder.encoding === 'utf-8' ? undefined : decoder;
  } catch {
    // A charset the runtime does not know: as for none.
    return undefined;
  }
}

/** Whether `bytes` are UTF-8 (a byte order mark included). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * `bytes` as text by the rule above. `keepByteOrderMark`: a leading BOM stays in the text (a
 * webhook's readers drop it themselves, as they did when its body was read with Buffer#toString);
 * otherwise it is no content.
 */
export function bodyText(bytes: Uint8Array, contentType: string | undefined, options: { keepByteOrderMark?: boolean } = {}): string {
  const named = namedCharset(contentType);
  if (named) return named.decode(bytes);
  if (!isUtf8(bytes)) return LATIN_1.decode(bytes);
  return (options.keepByteOrderMark ? UTF8_KEEPING_BOM : UTF8).decode(bytes);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8 = new TextDecoder('utf-8');
const UTF8_KEEPING_BOM = new TextDecoder('utf-8', { ignoreBOM: true });
/** The label ISO-8859-1 is windows-1252 to TextDecoder (and to every browser). */
export const LATIN_1 = new TextDecoder('windows-1252');
