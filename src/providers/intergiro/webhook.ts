import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { badInput, GatewayError, unauthenticated } from '../../domain/errors.js';
import type { WebhookFact, WebhookHint, WebhookRequest } from '../../domain/provider-port.js';
import { jsonOrUndefined } from '../http.js';
import { epochMs } from '../timestamps.js';
import type { IntergiroClient } from './client.js';
import { observationOfOrder } from './mapping.js';
import { knownFigures, statusWordOf } from './amounts.js';
import { intergiroSpelling } from './status-words.js';
import { VerifyCallsInFlight } from './verify-calls-in-flight.js';
import { IntergiroError, IntergiroOrder, IntergiroStatus } from './wire.js';
import { idText } from './ids.js';
import { wholeNumbersAsWritten } from '../long-numbers.js';
import type { Order } from '../../domain/order.js';

export interface IntergiroWebhookOptions {
  /** HS256 shared secret (INTERGIRO_CALLBACK_SECRET). */
  callbackSecret?: string;
  /** JWKS with Intergiro's public key(s) for RS256 (INTERGIRO_CALLBACK_JWKS_URL). */
  callbackJwksUrl?: string;
  /** Used when neither is configured: Intergiro verifies its own token. */
  client: IntergiroClient;
  /**
   * The order as Intergiro has it now (`created`: when it was made, to find it in the listing), for
   * a genuine token past its `exp`; null when not found.
   */
  readOrder: (id: string, created: string | undefined) => Promise<IntergiroOrder | null>;
}

/**
 * How far ahead of the gateway's clock (seconds) a genuine callback token's `nbf` may be and the
 * token still be believed: two hosts' clocks, each synced, may be that far apart.
 */
const CLOCK_SKEW_S = 300;

/** A token checked with the configured key: its payload, and whether its `exp` has passed (or, far ahead, its `nbf` not come: read as expired). */
interface Verified {
  payload: unknown;
  expired: boolean;
}

/**
 * Reads `POST /webhooks/intergiro` (CONTRACT §5): verify -> narrow -> map.
 * - `application/jwt`: the order as a signed JWT, verified with the HS256 secret or the RS256
 *   JWKS (pinned algorithms, so `alg: none` and key confusion fail; `exp` is enforced, `nbf` up to a
 *   clock's skew ahead: notYetValid), or else
 *   through Intergiro's verify endpoint. Anything unverifiable is UNAUTHENTICATED (401). A token
 *   verified locally that does not carry the order whole (it may name only its `id`) is completed
 *   through the verify endpoint (the seed: verifying "returns the full order details").
 * - `application/json`: Intergiro's unsigned error notice for a failed operation, or an order
 *   posted unsigned. Neither is believed; each only asks the gateway to re-read the order it names.
 */
export function createIntergiroWebhookReader(options: IntergiroWebhookOptions) {
  const secret = options.callbackSecret ? new TextEncoder().encode(options.callbackSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.callbackJwksUrl ? createRemoteJWKSet(new URL(options.callbackJwksUrl)) : undefined;
  // Anyone may post a callback: the calls they cost at the verify endpoint are bounded (security probe 7).
  const verifyCalls = new VerifyCallsInFlight<IntergiroOrder | null>();
  const askIntergiro = (token: string) => verifyCalls.run(token, (asked) => options.client.verifyOrderToken(asked));

  async function verify(token: string): Promise<Verified> {
    if (!secret && !jwks) {
      const order = await askIntergiro(token);
      if (!order) throw unauthenticated('Intergiro did not recognise the callback token');
      return { payload: order, expired: false };
    }
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (error) {
      throw new GatewayError('UNAUTHENTICATED', 'The callback is not a JWT', { cause: error });
    }
    try {
      if (alg === 'HS256' && secret) return { payload: exactPayload(token, (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload), expired: false };
      if (alg === 'RS256' && jwks) return { payload: exactPayload(token, (await jwtVerify(token, jwks, { algorithms: ['RS256'] })).payload), expired: false };
    } catch (error) {
      // jose checks the signature before the claims: an expired token is Intergiro's own.
      if (error instanceof errors.JWTExpired) return { payload: exactPayload(token, error.payload), expired: true };
      // So is one "not before" a moment still ahead of this clock (see notYetValid).
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return notYetValid(exactPayload(token, error.payload));
      throw new GatewayError('UNAUTHENTICATED', 'The callback signature is not valid', { cause: error });
    }
    throw unauthenticated(`Callback tokens signed with ${alg ?? 'no algorithm'} are not accepted`);
  }

  /**
   * A genuine token (its signature checked) whose `nbf` is still ahead of the gateway's clock. No
   * seed shows a claim; a JWT library sets `nbf` (and `iat`) to the issuer's now, and Intergiro's
   * clock and the gateway's agree only as far as their time sync holds. Refused by jose with no
   * tolerance, every callback of an Intergiro whose clock ran a second ahead was refused (401): a
   * payment link paid stayed CREATED until a re-read, a charge Intergiro made by itself AUTHORIZED
   * (round fourteen). Within CLOCK_SKEW_S it is believed, its `exp` checked here (jose stops at
   * the first claim that fails); further ahead it is read as an expired one is: the order it names
   * is read from Intergiro, nothing it claims believed.
   */
  function notYetValid(payload: unknown): Verified {
    const claims = (payload && typeof payload === 'object' ? payload : {}) as { nbf?: unknown; exp?: unknown };
    const now = Date.now() / 1000;
    const skewed = typeof claims.nbf === 'number' && claims.nbf <= now + CLOCK_SKEW_S;
    const expired = typeof claims.exp === 'number' && claims.exp <= now;
    return { payload, expired: expired || !skewed };
  }

  /**
   * A genuine token past its `exp` (no seed shows one; a callback retried after a long outage):
   * the callback is refused (401, as any expired token), but the change it tells of must not be
   * lost (an AUTHORIZED order charged or cancelled at Intergiro is not re-read otherwise). The
   * order it names is read from Intergiro now, and that read is what is stored; nothing the token
   * claims is believed. Replays are bounded by intergiroWebhookHint.
   */
  async function freshFact(payload: unknown): Promise<WebhookFact> {
    const claims = payload && typeof payload === 'object' ? (payload as { id?: unknown; created?: unknown }) : {};
    const id = idText(claims.id);
    if (!id) throw unauthenticated('The callback token has expired');
    // `created` may be an epoch number (wire.ts IntergiroOrder.created): its day finds it in the listing all the same.
    const created = typeof claims.created === 'string' ? claims.created : typeof claims.created === 'number' ? epochText(claims.created) : undefined;
    const order = await options.readOrder(id, created);
    if (!order || order.id !== id) throw unauthenticated('The callback token has expired');
    return { ...factOf(order), refusedBecause: 'The callback token has expired' };
  }

  /** An epoch number (ms, or s below 1e11) as ISO text, or undefined. */
  function epochText(value: number): string | undefined {
    const ms = epochMs(value);
    return ms !== undefined && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
  }

  return async function readIntergiroWebhook(request: WebhookRequest): Promise<WebhookFact[]> {
    const named = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const text = request.body.toString('utf8').trim();
    // A callback that names no type, or only a generic one (text/plain: fetch's label for a string
    // body; application/octet-stream: bytes), is taken for what its body is: a JSON notice or a
    // token. Either is then checked as if labelled so (a token must still be signed).
    const generic = !named || named === 'text/plain' || named === 'application/octet-stream';
    const contentType = generic ? (text.startsWith('{') ? 'application/json' : 'application/jwt') : named;
    if (contentType === 'application/json') {
      // Unsigned, so only a request to look again: the order it names is re-read from Intergiro.
      // CONTRACT §8's Error notice, or an order posted as plain JSON (not the seed's JWT: an
      // Intergiro that skips signing), whose `id` names the order all the same.
      const json = jsonOrUndefined(wholeNumbersAsWritten(text));
      const notice = IntergiroError.required({ status: true, type: true }).safeParse(json);
      if (notice.success) return notice.data.id ? [{ providerOrderId: notice.data.id, observation: null }] : [];
      const id = idText(json && typeof json === 'object' && !Array.isArray(json) ? (json as { id?: unknown }).id : undefined)?.trim();
      if (id) return [{ providerOrderId: id, observation: null }];
      throw badInput('body', 'Not an Intergiro error notice or order');
    }
    if (contentType !== 'application/jwt') throw unauthenticated('Intergiro callbacks are application/jwt');
    // The documented example quotes the token; accept it bare or quoted.
    const token = text.replace(/^"(.*)"$/s, '$1');
    const { payload, expired } = await verify(token);
    if (expired) return [await freshFact(payload)];
    const order = IntergiroOrder.safeParse(payload);
    if (order.success) return [factOf(order.data)];
    // Signed, but not the whole order (the seed's example token shows `id` and `merchant`; "verifying
    // the order returns the full order details"): Intergiro's verify endpoint gives the rest. Asked
    // only for a token already checked here (with neither key, verify() asked it already).
    if (!secret && !jwks) throw badInput('body', 'The callback token does not carry an Intergiro order');
    const claimed = payload && typeof payload === 'object' ? (payload as { id?: unknown }).id : undefined;
    // Round twenty-five: an id claimed as a number is its digits (ids.ts); one of no readable kind matches no order.
    const id = claimed === undefined ? undefined : (idText(claimed) ?? '');
    const full = await askIntergiro(token);
    if (!full || (id !== undefined && full.id !== id)) throw unauthenticated('Intergiro did not recognise the callback token');
    return [factOf(full)];
  };
}

/**
 * The fact a genuine callback's order gives. A card or customer order Intergiro calls `pending`
 * (or names no word for: read as `pending`) may be one still waiting for its 3-D Secure step: the
 * Error that stopped it carried its id, so it exists there, and an Intergiro calls back when an
 * order is made (CONTRACT §8). Taken as it is, it moved an order stopped for the step to PENDING and
 * dropped the step: the shop's resubmission was refused (INVALID_STATE). Such a callback only has
 * the order read again, where an order stopped for the step counts only once past it (index.ts
 * fetchOrder) and any other is PENDING as read.
 */
function factOf(order: IntergiroOrder): WebhookFact {
  const word = intergiroSpelling(statusWordOf(order));
  const card = order.payment.type?.trim().toLowerCase() !== 'defer';
  if (card && word === 'pending') return { providerOrderId: order.id, observation: null };
  // Read beside the gateway's own figures, as a re-read is (index.ts fetchOrder): a callback whose
  // events carry no amounts, or that lists none, says that money moved but not how much. Alone it
  // can only give the status word's lesser figure (amounts.ts movedAmounts), which a callback
  // racing the echo of the gateway's own full capture pushed to subscribers as PARTIALLY_CAPTURED
  // before CAPTURED; with the gateway's figures (its capture under way included) it says CAPTURED.
  const known = IntergiroStatus.safeParse(word);
  return {
    providerOrderId: order.id,
    observation: observationOfOrder(order),
    ...(known.success ? { observationFor: (stored: Order) => observationOfOrder(order, 'provider_update', knownFigures(stored, known.data, order)) } : {}),
  };
}

/**
 * A callback token past its `exp` makes the gateway read Intergiro (see freshFact): it is named,
 * unverified, for the hint throttle, so a replayed one costs at most one read per order and
 * interval. Any other callback is believed or refused without a call and is not throttled.
 */
export function intergiroWebhookHint(request: WebhookRequest, now: () => number = Date.now): WebhookHint | undefined {
  const text = request.body.toString('utf8').trim().replace(/^"(.*)"$/s, '$1');
  if (text.startsWith('{')) return undefined;
  try {
    const claims = exactPayload(text, decodeJwt(text)) as ReturnType<typeof decodeJwt>;
    // Past its `exp`, or its `nbf` further ahead than a clock's skew (webhook reader's notYetValid): read from Intergiro.
    const notBefore = typeof claims.nbf === 'number' && claims.nbf * 1000 > now() + CLOCK_SKEW_S * 1000;
    if (!notBefore && (typeof claims.exp !== 'number' || claims.exp * 1000 > now())) return undefined;
    const id = idText(claims.id);
    return id ? { providerOrderId: id } : {};
  } catch {
    return undefined; // not a JWT: refused by readIntergiroWebhook without a call
  }
}

/**
 * A token's claims, read again from its own payload text so that an id above 2^53 keeps its digits
 * (../long-numbers.ts; jose parses the claims with JSON.parse, which rounds it to another order's id:
 * round twenty-five). Only for a token whose payload jose has already read (`parsed`), which it
 * stands in for only where it reads as an object; otherwise `parsed` as it was.
 */
function exactPayload<T>(token: string, parsed: T): T | Record<string, unknown> {
  try {
    const text = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8');
    const exact: unknown = JSON.parse(wholeNumbersAsWritten(text));
    return exact && typeof exact === 'object' && !Array.isArray(exact) ? (exact as Record<string, unknown>) : parsed;
  } catch {
    return parsed;
  }
}
