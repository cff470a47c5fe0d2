import type { WebhookRequest } from '../../domain/provider-port.js';

/**
 * The text of an event's body: its bytes in the charset its Content-Type names, else UTF-8 (as
 * before). No document shows an event's bytes, and the seed's merchant_reference is any String
 * of "..1024" (a campaign "vårkampanj", a city "Ångermanland": Payway's addresses are SE, FI or
 * AX). A Java Payway posting with Apache HttpClient's `new StringEntity(json)` sends ISO-8859-1
 * labelled `text/plain; charset=ISO-8859-1`; a form encoded with `URLEncoder.encode(value,
 * "ISO-8859-1")` is labelled so too. Round seventeen: such a body was read as UTF-8, the
 * reference came out with U+FFFD in place of `å`, the event found no purchase and was
 * acknowledged and dropped, and the purchase Payway charged stayed PENDING for good.
 *
 * A charset the label names is used; a body labelled none, or UTF-8, or a charset the runtime does
 * not know, is UTF-8 where its bytes are (utf8OrLatin1). `iso-8859-1` is read as
 * windows-1252, as every web stack reads it (the WHATWG encoding standard). The signature is
 * verified over the bytes as they came (event-signature.ts), so the charset changes nothing of
 * what must be proved.
 */
export function eventText(request: WebhookRequest): string {
  const decoder = namedDecoder(request);
  return decoder ? decoder.decode(request.body) : utf8OrLatin1(request.body);
}

/**
 * Bytes labelled with no charset, or as UTF-8: UTF-8 where they are UTF-8 (every event so far),
 * else ISO-8859-1 (read as windows-1252, as above), the one reading left for bytes that cannot
 * be UTF-8, as providers/http.ts unlabelledText reads a provider's answers (Pei, round
 * seventeen). Round eighteen: a Java Payway posting `new StringEntity(json,
 * ContentType.APPLICATION_JSON)` labels `application/json` with no charset (or with UTF-8, the
 * label's default) while writing the bytes in the JVM's ISO-8859-1; round seventeen left such a
 * body read as UTF-8 (no guess): the reference came out with U+FFFD, the event was acknowledged
 * and dropped, and the purchase Payway charged stayed PENDING for good. Bytes that are not UTF-8
 * have no UTF-8 reading to be wrong against, and a wrong Latin-1 reading (another charset
 * entirely) matches nothing, as before. The signature is still verified over the bytes as
 * posted. A leading byte order mark is kept, as Buffer#toString kept it (the readers drop it).
 */
function utf8OrLatin1(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return WINDOWS_1252.decode(bytes);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/**
 * The charset of a form's `%XX` escapes: the one its Content-Type names (namedDecoder), else
 * UTF-8 (undefined) where the escaped bytes are UTF-8, else ISO-8859-1 as for a body (above):
 * `URLEncoder.encode(value, "ISO-8859-1")` posted without a charset writes `å` as `%E5`, which no
 * UTF-8 reading can take (round eighteen).
 */
export function formDecoder(request: WebhookRequest, text: string): TextDecoder | undefined {
  const named = namedDecoder(request);
  if (named) return named;
  try {
    STRICT_UTF8.decode(escapedBytes(text));
    return undefined;
  } catch {
    return WINDOWS_1252;
  }
}

/** A form's bytes once its `%XX` escapes are undone (`+` and the rest as written). */
function escapedBytes(text: string): Buffer {
  return Buffer.concat(text.split(/(%[0-9A-Fa-f]{2})/).map((part) => (/^%[0-9A-Fa-f]{2}$/.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part, 'utf8'))));
}

/** The decoder of the charset the body's Content-Type names, when it is one other than UTF-8. */
export function namedDecoder(request: WebhookRequest): TextDecoder | undefined {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1];
  if (!charset) return undefined;
  try {
    const decoder = new TextDecoder(charset);
    return decoder.encoding === 'utf-8' ? undefined : decoder;
  } catch {
    return undefined;
  }
}
