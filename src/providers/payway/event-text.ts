import type { WebhookRequest } from '../../domain/provider-port.js';
import { bodyText, isUtf8, LATIN_1, namedCharset } from '../body-text.js';
import { cesu8Text } from './event-cesu8.js';

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
 * Read by the providers' one rule (../body-text.ts): the charset the label names, else UTF-8 where
 * the bytes are UTF-8, else ISO-8859-1 (round eighteen: a Java Payway posting `new
 * StringEntity(json, ContentType.APPLICATION_JSON)` labels `application/json` with no charset, or
 * UTF-8, while writing the JVM's ISO-8859-1). The signature is verified over the bytes as they
 * came (event-signature.ts), so the charset changes nothing of what must be proved. A leading byte
 * order mark is kept, as Buffer#toString kept it (the readers drop it).
 */
export function eventText(request: WebhookRequest): string {
  // Round twenty-nine: bytes that are no UTF-8 only for surrogates written as CESU-8 are read so,
  // under no charset or one naming UTF-8 (or CESU-8, which the runtime does not know), before the
  // rule's ISO-8859-1 (event-cesu8.ts: a lone half of an emoji cut by Adyen's 80 characters).
  if (!namedCharset(request.headers['content-type']) && !isUtf8(request.body)) {
    const cesu8 = cesu8Text(request.body);
    if (cesu8 !== undefined) return cesu8;
  }
  return bodyText(request.body, request.headers['content-type'], { keepByteOrderMark: true });
}

/**
 * The charset of a form's `%XX` escapes: the one its Content-Type names (namedCharset), else
 * UTF-8 (undefined) where the escaped bytes are UTF-8, else ISO-8859-1 as for a body (above):
 * `URLEncoder.encode(value, "ISO-8859-1")` posted without a charset writes `å` as `%E5`, which no
 * UTF-8 reading can take (round eighteen).
 */
export function formDecoder(request: WebhookRequest, text: string): TextDecoder | undefined {
  return namedCharset(request.headers['content-type']) ?? (isUtf8(escapedBytes(text)) ? undefined : LATIN_1);
}

/** A form's bytes once its `%XX` escapes are undone (`+` and the rest as written). */
function escapedBytes(text: string): Buffer {
  return Buffer.concat(text.split(/(%[0-9A-Fa-f]{2})/).map((part) => (/^%[0-9A-Fa-f]{2}$/.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part, 'utf8'))));
}
