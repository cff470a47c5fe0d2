/*
 * What an event may make the gateway do before it is believed (security probe 6).
 * `/webhooks/payway` is open to anyone, and a forged event is only known to be forged after
 * every proof it may carry was tried: an HMAC of the body per signature, digest and signing time
 * (event-signature.ts), over the body as sent and over each other JSON spelling of it
 * (event-json-spellings.ts: up to a dozen texts, each written out by a regular expression with a
 * callback per character it changes and parsed again to check it holds the same value). That
 * work grows with the body, and the body may arrive compressed (event-encoding.ts): a 1.7 KB
 * gzip body of `&<>='/å` decoded to 1 MiB cost ~0.6 s of the event loop before its 401, so an
 * anonymous client sending a few such requests a second kept the gateway from serving anyone.
 *
 * Two bounds, both far above any event a Payway sends (the sandbox's is ~400 bytes; a batch of
 * MAX_EVENTS such events with 1024-character references stays under 64 KiB):
 *
 * - a compressed event is undone up to the size an uncompressed one may have (the route's own
 *   256 KiB cap), not four times that;
 * - the other JSON spellings are looked for only in a body of at most MAX_SPELLED_BYTES. A larger
 *   body is still verified as sent (one HMAC per signature, digest and time: linear and cheap);
 *   only a signature over another spelling of it than the one posted is not looked for.
 * A forged event now costs a few milliseconds at most, whatever it holds.
 */

/** The most a compressed event is undone to: what the webhook route reads of an uncompressed one. */
export const MAX_DECODED_EVENT_BYTES = 256 * 1024;

/** The largest body whose other JSON spellings are looked for (event-json-spellings.ts). */
export const MAX_SPELLED_BYTES = 64 * 1024;
