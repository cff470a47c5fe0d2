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
 * Only a charset the label names is used (a body labelled none, or UTF-8, is UTF-8 whatever its
 * bytes: no guess); one the runtime does not know is UTF-8 as well. `iso-8859-1` is read as
 * windows-1252, as every web stack reads it (the WHATWG encoding standard). The signature is
 * verified over the bytes as they came (event-signature.ts), so the charset changes nothing of
 * what must be proved.
 */
export function eventText(request: WebhookRequest): string {
  const decoder = namedDecoder(request);
  return decoder ? decoder.decode(request.body) : request.body.toString('utf8');
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
