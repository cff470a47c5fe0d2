import { createHmac } from 'node:crypto';
import { unauthenticated } from '../../domain/errors.js';
import type { WebhookRequest } from '../../domain/provider-port.js';
import { sameSecret } from '../../same-secret.js';
import { adyenSignedText } from './event-adyen-hmac.js';
import { spelledSignature, type HmacAlgorithm } from './event-digests.js';
import { otherJsonSpellings } from './event-json-spellings.js';
import { jwtClaims } from './event-jwt.js';
import { signingTime } from './event-signing-time.js';
import { signingInstants } from './event-signing-zone.js';
import { eventText } from './event-text.js';

/*
 * How a Payway event proves it comes from Payway. CONTRACT §6 gives Payway a shared secret
 * (PAYWAY_WEBHOOK_SECRET) and §5 says events are verified before they are believed, but neither
 * the seed nor the contract names the scheme. So every common way of proving knowledge of a
 * shared secret is taken, and nothing else:
 *
 * - an HMAC-SHA256 of the raw body, or of "<timestamp>.<raw body>" with the timestamp in a
 *   `*-Timestamp` header (`X-Payway-Timestamp`, `X-Webhook-Timestamp`, ...) or in a
 *   `t=<timestamp>,v1=<signature>` value, as hex, base64 or base64url, with or without a
 *   `sha256=` prefix, in any header whose name says `signature` (SIGNATURE_HEADERS first; the
 *   sandbox signs `X-Payway-Signature: sha256=<hex of "<timestamp>.<body>">`); also an
 *   HMAC-SHA512 or HMAC-SHA1, told by its `sha512=` / `sha1=` prefix or its length
 *   (event-digests.ts, round sixteen);
 * - a JSON body's HMAC taken over the same JSON in ActiveSupport's or JSON.generate's spelling of
 *   `&`, `<` and `>` (event-json-spellings.ts, round sixteen): the same value, other bytes;
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`: an
 *   HMAC-SHA256 of "<id>.<timestamp>.<raw body>" keyed by the secret, a `whsec_` one base64-decoded);
 * - a signed timestamp more than 5 minutes from now is a replay; it may be written in Unix
 *   seconds (with a fraction or not), milliseconds, ISO 8601 (or Ruby's Time#to_s spelling of
 *   it), or as an HTTP date (signingTime);
 * - the untimed HMAC is never taken for a body shaped like what a timed scheme signs
 *   ("<timestamp>.<...>", "<id>.<timestamp>.<...>"): under one key, a captured timed signature
 *   is also the untimed one of the text it covers, so its event (a form still reads behind the
 *   prefix) could be replayed as that body, without its time, long after its window;
 * - the body as a JWT signed with the secret (HS256/384/512), whose claims are the event, its
 *   `nbf` / `exp` held to the same 5 minutes either way (event-jwt.ts, round twenty-one);
 * - Adyen's notification with each item's `additionalData.hmacSignature` (event-adyen-hmac.ts),
 *   whose signed fields alone are the event;
 * - the secret itself: `Authorization: Bearer <secret>`, the password of Basic authentication,
 *   a header named like a secret or key (`X-Payway-Secret`, `X-Webhook-Token`, `X-Api-Key`,
 *   ...), or a `token` / `secret` query parameter of the URL Payway was given; also (round
 *   sixteen, secretInAuthorization) Rails' `Token token="<secret>"` or `Token <secret>`, Basic
 *   with the secret as user name and no password, or the bare secret as `Authorization`.
 *
 * Every comparison is constant-time. A scheme without a timestamp cannot refuse a replay; a
 * replayed event changes nothing (the facts it carries are already recorded, and a purchase's
 * end is final).
 */

/** Headers a body signature is looked for in first (lower case, as Node gives them); then any other naming `signature`. */
const SIGNATURE_HEADERS = ['x-payway-signature', 'x-signature', 'x-webhook-signature', 'x-hub-signature-256', 'x-signature-sha256', 'signature'];
/** Signature headers tried at most: each costs an HMAC of the body per way it may be signed. */
const MAX_SIGNATURE_HEADERS = 4;
/** A header that may carry the secret itself: its name ends in secret, token or key (not `authorization`, read above). */
const SECRET_HEADER = /(^|[-_])(secret|token|key)$/;
/** A header that may carry the signing time. */
const TIMESTAMP_HEADER = /(^|[-_])timestamp$/;
/** Query parameters the secret itself may come in. */
const SECRET_PARAMETERS = ['token', 'secret'];

/** The sandbox's scheme (above): `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` in this header... */
export const PAYWAY_SIGNATURE_HEADER = 'x-payway-signature';
/** ...and the signing time, Unix seconds, in this one; part of what is signed, so it cannot be swapped. */
export const PAYWAY_TIMESTAMP_HEADER = 'x-payway-timestamp';

/** The signature of `body` signed at `timestamp` as the sandbox sends it. */
export function paywaySignature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** How far a signing time may be from now before the event counts as a replay. */
const TOLERANCE_SECONDS = 300;

/** The event's JSON text once the request proved it knows `secret`; UNAUTHENTICATED otherwise. */
export async function verifiedEventText(request: WebhookRequest, secret: string | undefined, now: Date): Promise<string> {
  if (!secret) throw unauthenticated('PAYWAY_WEBHOOK_SECRET is not configured: Payway events cannot be verified');
  // Decoded in the charset the body is labelled with (event-text.ts); verified over its bytes.
  const text = eventText(request);
  if (carriesSecret(request, secret)) return text;
  const signed = bodySignature(request, secret, now);
  if (signed === 'valid') return text;
  if (signed === 'stale') throw unauthenticated('The event was signed too long ago (a replay?)');
  // A JWT's `nbf` / `exp` are held to the same five minutes either way (event-jwt.ts, round twenty-one).
  const token = await jwtClaims(text.trim(), secret, now);
  if (token === 'stale') throw unauthenticated('The event token is not valid at this time (a replay?)');
  if (token !== undefined) return JSON.stringify(token.claims);
  // Adyen's own signature of each notification item (event-adyen-hmac.ts): only what it signs.
  const adyen = adyenSignedText(text, secret);
  if (adyen !== undefined) return adyen;
  throw unauthenticated(signed === 'absent' ? 'The event is not signed' : 'The event signature is not valid');
}

function carriesSecret(request: WebhookRequest, secret: string): boolean {
  if (secretInAuthorization(request.headers.authorization?.trim() ?? '', secret)) return true;
  const secretHeaders = Object.entries(request.headers).filter(([name, value]) => value !== undefined && SECRET_HEADER.test(name));
  if (secretHeaders.some(([, value]) => sameSecret(value!.trim(), secret))) return true;
  return SECRET_PARAMETERS.some((name) => request.query.getAll(name).some((value) => sameSecret(value, secret)));
}

/**
 * Whether `Authorization` carries the secret itself: as a bearer token, as the password of Basic
 * authentication, and (round sixteen) as Rails' own token scheme (`Token token="<secret>"`, with
 * or without the quotes and options after it, or `Token <secret>`:
 * ActionController::HttpAuthentication::Token, the stack round four's bracketed forms point to),
 * as Basic's user name with no password (what an HTTP client sends for a URL configured as
 * `https://<secret>@gateway/...`: "Payway is configured with a URL"), or bare (a sender's
 * "authorization header value" setting). Before, each of the latter was 401 on every delivery
 * and every pending purchase stayed PENDING though Payway had charged or failed it. A Basic
 * password beside the secret as user name is no proof (the pair is someone's credentials).
 */
function secretInAuthorization(authorization: string, secret: string): boolean {
  if (authorization === '') return false;
  if (sameSecret(authorization, secret)) return true;
  const bearer = /^bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (bearer !== undefined && sameSecret(bearer.trim(), secret)) return true;
  const token = /^token\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (token !== undefined) {
    const named = /^token="([^"]*)"|^token=([^,\s]*)/i.exec(token);
    if (sameSecret(named ? (named[1] ?? named[2] ?? '') : token, secret)) return true;
  }
  const basic = /^basic\s+(.+)$/i.exec(authorization)?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return sameSecret(password, secret) || (password === '' && sameSecret(user, secret));
  }
  return false;
}

/** The HMAC of the body in any of its spellings, or of "<timestamp>.<body>" (then `timed`), or a Standard Webhooks one. */
function bodySignature(request: WebhookRequest, secret: string, now: Date): 'valid' | 'stale' | 'invalid' | 'absent' {
  const given = signatureValues(request);
  if (!given.length) return 'absent';
  const recent = (seconds: number): 'valid' | 'stale' => (Math.abs(now.getTime() / 1000 - seconds) > TOLERANCE_SECONDS ? 'stale' : 'valid');
  // A time written without a zone may be Payway's own wall clock (event-signing-zone.ts, round
  // nineteen): recent when any instant it may stand for is.
  const recentAt = (written: string | undefined, seconds: number): 'valid' | 'stale' =>
    signingInstants(written ?? '', seconds).some((instant) => recent(instant) === 'valid') ? 'valid' : 'stale';
  const standard = standardWebhookSignature(request, secret);
  if (standard !== undefined) return recent(standard);
  const headerTime = timestampHeader(request);
  // The body as sent, then (a JSON body) its other spellings of the same value (round sixteen).
  const bodies = [request.body, ...otherJsonSpellings(request.body)];
  const digests = new Map<string, Buffer>();
  const digestOf = (algorithm: HmacAlgorithm, prefix: string, body: number): Buffer => {
    const key = `${algorithm}:${body}:${prefix}`;
    let digest = digests.get(key);
    if (!digest) digests.set(key, (digest = createHmac(algorithm, secret).update(prefix).update(bodies[body]!).digest()));
    return digest;
  };
  const untimed = !shapedLikeTimedMessage(request.body);
  for (const value of given) {
    const parts = signatureParts(value, headerTime);
    for (const written of parts.signatures) {
      const spelled = spelledSignature(written);
      if (!spelled) continue;
      const { algorithm, text: signature } = spelled;
      const seconds = parts.timestamp === undefined ? undefined : signingTime(parts.timestamp);
      for (let body = 0; body < bodies.length; body++) {
        if (untimed && matches(signature, digestOf(algorithm, '', body))) return 'valid';
        if (seconds !== undefined && matches(signature, digestOf(algorithm, `${parts.timestamp}.`, body))) return recentAt(parts.timestamp, seconds);
      }
    }
  }
  return 'invalid';
}

/**
 * Whether a body begins the way a timed scheme's signed text does: a signing time and a dot (this
 * file's "<timestamp>.<body>", the time in any spelling signingTime reads, an ISO one's fraction
 * included), or Standard Webhooks' "<id>.<digits>.". No event does: JSON begins with `{` or `[`,
 * a form with a field name (`event=...`).
 */
function shapedLikeTimedMessage(body: Buffer): boolean {
  const head = body.subarray(0, TIMED_PREFIX_BYTES).toString('latin1');
  for (let dot = head.indexOf('.'); dot > 0; dot = head.indexOf('.', dot + 1)) {
    if (signingTime(head.slice(0, dot)) !== undefined) return true;
  }
  return /^[\w-]+\.\d{1,13}\./.test(head);
}

/** The longest "<id>.<timestamp>." prefix looked at (a Standard Webhooks id is a few dozen characters). */
const TIMED_PREFIX_BYTES = 256;


/** Signature header values: the usual names first, then any other header naming `signature`. */
function signatureValues(request: WebhookRequest): string[] {
  const others = Object.keys(request.headers).filter((name) => name.includes('signature') && !SIGNATURE_HEADERS.includes(name));
  return [...SIGNATURE_HEADERS, ...others.sort()]
    .flatMap((name) => (request.headers[name] ? [request.headers[name]!] : []))
    .slice(0, MAX_SIGNATURE_HEADERS);
}

/** The signing time from `X-Payway-Timestamp`, else from another `*-timestamp` header. */
function timestampHeader(request: WebhookRequest): string | undefined {
  const named = request.headers[PAYWAY_TIMESTAMP_HEADER] ?? Object.entries(request.headers).find(([name, value]) => value && TIMESTAMP_HEADER.test(name))?.[1];
  return named?.trim();
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-signature` holds space-separated `v1,<base64>`
 * signatures of "<webhook-id>.<webhook-timestamp>.<raw body>", keyed by the secret (a `whsec_`
 * secret's base64 part decoded). The signing time (Unix seconds) when one matches, else undefined.
 * Round twenty-five: the timestamp is read as the timed HMAC's is (signingTime's digits: seconds,
 * or 13, 16, 19 digits as milli-, micro-, nanoseconds). The specification writes seconds, but a
 * sender writing `Date.now()` writes milliseconds; before, such a timestamp made the scheme
 * unread, every event was 401 on every delivery, and each pending purchase stayed PENDING. It is
 * signed, so nothing the secret did not sign is believed; the replay window holds as before.
 */
function standardWebhookSignature(request: WebhookRequest, secret: string): number | undefined {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': value } = request.headers;
  if (!id || !timestamp || !value || !/^\d{1,19}$/.test(timestamp.trim())) return undefined;
  const seconds = signingTime(timestamp.trim());
  if (seconds === undefined) return undefined;
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret);
  const digest = createHmac('sha256', key).update(`${id.trim()}.${timestamp.trim()}.`).update(request.body).digest();
  const signatures = value
    .trim()
    .split(/\s+/)
    .slice(0, MAX_SIGNATURE_HEADERS)
    .flatMap((part) => /^v1,(.+)$/.exec(part)?.[1] ?? []);
  return signatures.some((signature) => matches(signature, digest)) ? seconds : undefined;
}

/** `sha256=<sig>`, `<sig>` (or several, comma-separated), or `t=<timestamp>,v1=<sig>[,v1=<sig>]`. */
function signatureParts(value: string, headerTime: string | undefined): { timestamp: string | undefined; signatures: string[] } {
  const fields = value.split(',').map((field) => field.trim());
  const pairs = fields.map((field) => /^([a-z0-9]+)=(.+)$/i.exec(field)).filter((pair): pair is RegExpExecArray => pair !== null);
  const timestamp = pairs.find((pair) => pair[1]!.toLowerCase() === 't')?.[2];
  const versioned = pairs.filter((pair) => /^v\d+$/i.test(pair[1]!)).map((pair) => pair[2]!);
  if (timestamp !== undefined || versioned.length) return { timestamp: timestamp ?? headerTime, signatures: versioned };
  // A `sha256=` (or `sha512=`, `sha1=`) prefix is read with the signature (event-digests.ts).
  // Several signatures, comma-separated (round twenty-one): a Payway rotating the secret signs
  // with the old key and the new one and writes one header line per key, which RFC 9110 §5.3
  // lets a recipient join into one (Node joins them with ", "); before, the joined value was
  // taken for one signature, matched none, and every event was 401 while the rotation lasted.
  // Any one of them made with the secret proves it, as Stripe's several `v1=` do; no hex, base64
  // or base64url signature holds a comma. Bounded as the headers are.
  return { timestamp: headerTime, signatures: fields.filter((field) => field !== '').slice(0, MAX_SIGNATURE_HEADERS) };
}

/** Whether `signature` is `digest` in hex, base64 or base64url. */
function matches(signature: string, digest: Buffer): boolean {
  const hex = /^[0-9a-f]+$/i.test(signature) && signature.length === digest.length * 2;
  return hex ? sameSecret(signature.toLowerCase(), digest.toString('hex')) : [digest.toString('base64'), digest.toString('base64url')].some((spelling) => sameSecret(signature, spelling));
}
