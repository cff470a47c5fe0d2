import { compactVerify } from 'jose';
import { signingTime } from './event-signing-time.js';

/*
 * A Payway event posted as a compact JWT signed with PAYWAY_WEBHOOK_SECRET (one of the proofs
 * event-signature.ts takes; no document names the scheme), and the time claims in it.
 *
 * Round twenty-one: the token was checked by jose's jwtVerify with no clock tolerance, so a JWT
 * signed on a Payway whose clock runs ahead of the gateway's (its `nbf` is its own now) was "not
 * yet valid", one with a short `exp` (Ruby's jwt examples use 60 s) from a Payway whose clock
 * runs behind, or posted after a wait in Payway's delivery queue, was expired on arrival, and a
 * token writing its NumericDates as digit strings (a payload built by hand) or in milliseconds
 * (`Date.now()` in a JS signer) was refused outright: each such event was 401 on every delivery
 * and its pending purchase stayed PENDING though Payway had charged (or failed) it. The times are
 * now read as the HMAC's signing time is (event-signing-time.ts signingTime: seconds, digits as text,
 * 13 digits as milliseconds) and held to the same five minutes either way: an `nbf` at most that
 * far ahead, an `exp` at most that far past. Beyond them, or a time written in no such way, the
 * token is refused as before; its signature is checked first, so nothing unsigned is read.
 */

/** How far a JWT's `nbf` may be ahead of, or its `exp` behind, the gateway's clock (the timed HMAC's window). */
export const JWT_TOLERANCE_SECONDS = 300;

/** What a compact JWT posted as an event says: its claims, or that its times put it outside the window. */
export type JwtReading = { claims: Record<string, unknown> } | 'stale';

/** The claims of a compact JWT signed with `secret` (HS256/384/512) and within its times; undefined when it is no such JWT. */
export async function jwtClaims(text: string, secret: string, now: Date): Promise<JwtReading | undefined> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(text)) return undefined;
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(text, new TextEncoder().encode(secret), { algorithms: ['HS256', 'HS384', 'HS512'] }));
  } catch {
    return undefined;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return undefined;
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
  return jwtTimesHold(claims as Record<string, unknown>, now.getTime() / 1000) ? { claims: claims as Record<string, unknown> } : 'stale';
}

/**
 * Whether a JWT's `nbf` and `exp` (where present) put `nowSeconds` inside the token's life,
 * give or take JWT_TOLERANCE_SECONDS. A time claim written in no way numericDate reads is no
 * time the token can be held to: refused, as jose refuses it.
 */
export function jwtTimesHold(claims: Record<string, unknown>, nowSeconds: number): boolean {
  const times = (['nbf', 'exp', 'iat'] as const).map((name) => (name in claims ? numericDate(claims[name]) : null));
  if (times.some((time) => time === undefined)) return false;
  const [notBefore, expires] = times;
  if (typeof notBefore === 'number' && notBefore > nowSeconds + JWT_TOLERANCE_SECONDS) return false;
  if (typeof expires === 'number' && expires <= nowSeconds - JWT_TOLERANCE_SECONDS) return false;
  return true;
}

/**
 * A NumericDate (RFC 7519: seconds since the epoch, a JSON number) as a signer may write it: a
 * number or its digits as a string, read as the timed HMAC's time is (event-signing-time.ts
 * signingTime: seconds, a fraction allowed, 13 digits as milliseconds). A date text is no
 * NumericDate, though signingTime reads one; anything else is undefined.
 */
export function numericDate(value: unknown): number | undefined {
  const written = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  return written !== undefined && /^\d+(?:\.\d+)?$/.test(written) ? signingTime(written) : undefined;
}
