import { createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import { unauthenticated } from '../../domain/errors.js';
import type { WebhookRequest } from '../../domain/provider-port.js';
import { sameSecret } from '../../same-secret.js';

/*
 * How a Payway event proves it comes from Payway. CONTRACT §6 gives Payway a shared secret
 * (PAYWAY_WEBHOOK_SECRET) and §5 says events are verified before they are believed, but neither
 * the seed nor the contract names the scheme. So every common way of proving knowledge of a
 * shared secret is taken, and nothing else:
 *
 * - an HMAC-SHA256 of the raw body, or of "<timestamp>.<raw body>" with the timestamp in
 *   `X-Payway-Timestamp` or in a `t=<timestamp>,v1=<signature>` value, as hex, base64 or
 *   base64url, with or without a `sha256=` prefix, in one of SIGNATURE_HEADERS (the sandbox signs
 *   `X-Payway-Signature: sha256=<hex of "<timestamp>.<body>">`); a signed timestamp more than 5
 *   minutes from now is a replay;
 * - the body as a JWT signed with the secret (HS256/384/512), whose claims are the event;
 * - the secret itself: `Authorization: Bearer <secret>`, the password of Basic authentication,
 *   a SECRET_HEADERS header, or a `token` / `secret` query parameter of the URL Payway was given.
 *
 * Every comparison is constant-time. A scheme without a timestamp cannot refuse a replay; a
 * replayed event changes nothing (the facts it carries are already recorded, and a purchase's
 * end is final).
 */

/** Headers a body signature may come in (lower case, as Node gives them). */
const SIGNATURE_HEADERS = ['x-payway-signature', 'x-signature', 'x-webhook-signature', 'x-hub-signature-256', 'x-signature-sha256', 'signature'];
/** Headers the secret itself may come in. */
const SECRET_HEADERS = ['x-payway-secret', 'x-webhook-secret', 'x-webhook-token', 'x-payway-token'];
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
  const text = request.body.toString('utf8');
  if (carriesSecret(request, secret)) return text;
  const signed = bodySignature(request, secret, now);
  if (signed === 'valid') return text;
  if (signed === 'stale') throw unauthenticated('The event was signed too long ago (a replay?)');
  const claims = await jwtClaims(text.trim(), secret);
  if (claims !== undefined) return JSON.stringify(claims);
  throw unauthenticated(signed === 'absent' ? 'The event is not signed' : 'The event signature is not valid');
}

function carriesSecret(request: WebhookRequest, secret: string): boolean {
  const authorization = request.headers.authorization?.trim() ?? '';
  const bearer = /^bearer\s+(.+)$/i.exec(authorization)?.[1];
  if (bearer !== undefined && sameSecret(bearer.trim(), secret)) return true;
  const basic = /^basic\s+(.+)$/i.exec(authorization)?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic.trim(), 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    if (decoded.includes(':') && sameSecret(password, secret)) return true;
  }
  if (SECRET_HEADERS.some((name) => request.headers[name] !== undefined && sameSecret(request.headers[name]!.trim(), secret))) return true;
  return SECRET_PARAMETERS.some((name) => request.query.getAll(name).some((value) => sameSecret(value, secret)));
}

/** The HMAC of the body in any of its spellings, or of "<timestamp>.<body>" (then `timed`). */
function bodySignature(request: WebhookRequest, secret: string, now: Date): 'valid' | 'stale' | 'invalid' | 'absent' {
  const given = SIGNATURE_HEADERS.flatMap((name) => (request.headers[name] ? [request.headers[name]!] : []));
  if (!given.length) return 'absent';
  const headerTime = request.headers[PAYWAY_TIMESTAMP_HEADER]?.trim();
  for (const value of given) {
    const parts = signatureParts(value, headerTime);
    for (const signature of parts.signatures) {
      if (matches(signature, secret, request.body)) return 'valid';
      if (parts.timestamp !== undefined && /^\d{1,12}$/.test(parts.timestamp) && matches(signature, secret, Buffer.concat([Buffer.from(`${parts.timestamp}.`), request.body]))) {
        return Math.abs(now.getTime() / 1000 - Number(parts.timestamp)) > TOLERANCE_SECONDS ? 'stale' : 'valid';
      }
    }
  }
  return 'invalid';
}

/** `sha256=<sig>`, `<sig>`, or `t=<timestamp>,v1=<sig>[,v1=<sig>]`. */
function signatureParts(value: string, headerTime: string | undefined): { timestamp: string | undefined; signatures: string[] } {
  const fields = value.split(',').map((field) => field.trim());
  const pairs = fields.map((field) => /^([a-z0-9]+)=(.+)$/i.exec(field)).filter((pair): pair is RegExpExecArray => pair !== null);
  const timestamp = pairs.find((pair) => pair[1]!.toLowerCase() === 't')?.[2];
  const versioned = pairs.filter((pair) => /^v\d+$/i.test(pair[1]!)).map((pair) => pair[2]!);
  if (timestamp !== undefined || versioned.length) return { timestamp: timestamp ?? headerTime, signatures: versioned };
  return { timestamp: headerTime, signatures: [value.trim().replace(/^sha256=/i, '')] };
}

function matches(signature: string, secret: string, message: Buffer): boolean {
  const digest = createHmac('sha256', secret).update(message).digest();
  const hex = /^[0-9a-f]{64}$/i.test(signature);
  return hex ? sameSecret(signature.toLowerCase(), digest.toString('hex')) : [digest.toString('base64'), digest.toString('base64url')].some((spelling) => sameSecret(signature, spelling));
}

/** The claims of a compact JWT signed with the secret, or undefined. */
async function jwtClaims(text: string, secret: string): Promise<Record<string, unknown> | undefined> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(text)) return undefined;
  try {
    const { payload } = await jwtVerify(text, new TextEncoder().encode(secret), { algorithms: ['HS256', 'HS384', 'HS512'] });
    return payload;
  } catch {
    return undefined;
  }
}
