import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../domain/caller.js';
import { GatewayError, unauthenticated } from '../domain/errors.js';

export interface AuthOptions {
  /** HS256 shared secret (AUTH_JWT_SECRET). */
  jwtSecret?: string;
  /** A JWKS endpoint (AUTH_JWKS_URL); asymmetric keys only. */
  jwksUrl?: string;
  /** Checked when set (AUTH_ISSUER / AUTH_AUDIENCE). */
  issuer?: string;
  audience?: string;
  /**
   * `jwtSecret` is the random dev secret of this start (sandbox mode without AUTH_JWT_SECRET):
   * a token it cannot verify is most likely a dev token from an earlier start, and the refusal
   * says so. Default false.
   */
  devSecret?: boolean;
  /**
   * Longest lifetime a token may claim, seconds (AUTH_MAX_TOKEN_TTL): one whose `exp` is further
   * than this after its `iat`, or after now, is refused. Default {@link DEFAULT_MAX_TOKEN_TTL_SECONDS}.
   */
  maxTokenTtlSeconds?: number;
}

/** Why a dev token printed by an earlier start no longer works (auth.devSecret). */
const STALE_DEV_TOKEN =
  "The bearer token is not valid: it is not signed with this gateway's dev secret, which is new at each start (use the token this start printed, or set AUTH_JWT_SECRET)";

/** 24 hours: a browser's token is minutes to hours old; a token meant to last longer is a leak waiting. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;
/** Clock difference tolerated between the token's issuer and the gateway, seconds. */
const CLOCK_TOLERANCE_SECONDS = 60;

export interface Authenticator {
  /** The caller of a bearer token; UNAUTHENTICATED for a missing, bad or expired one. */
  authenticate(authorization: string | null | undefined): Promise<Caller>;
  /** The caller of a token verified before and still believed, without waiting; else undefined (then `authenticate`). */
  remembered?(authorization: string): Caller | undefined;
}

/**
 * CONTRACT §4: `Authorization: Bearer <JWT>`, verified with jose. The algorithm list is pinned
 * per key type, so `alg: none` or an HS256 token "signed" with a public key never passes.
 */
export function createAuthenticator(options: AuthOptions): Authenticator {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined;
  const claims = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  };

  async function verify(token: string): Promise<Record<string, unknown>> {
    if (secret) {
      try {
        return (await jwtVerify(token, secret, { ...claims, algorithms: ['HS256'] })).payload;
      } catch (error) {
        if (!jwks || error instanceof errors.JWTExpired || error instanceof errors.JWTClaimValidationFailed) throw error;
      }
    }
    if (jwks) return (await jwtVerify(token, jwks, { ...claims, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] })).payload;
    throw new Error('no verification key configured');
  }

  const maxTtl = options.maxTokenTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS;

  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
      if (!match?.[1]) throw unauthenticated('A bearer token is required');
      let payload: Record<string, unknown>;
      try {
        payload = await verify(match[1]);
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw unauthenticated('The bearer token has expired');
        if (options.devSecret && error instanceof errors.JWSSignatureVerificationFailed) throw new GatewayError('UNAUTHENTICATED', STALE_DEV_TOKEN, { cause: error });
        throw new GatewayError('UNAUTHENTICATED', 'The bearer token is not valid', { cause: error });
      }
      if (typeof payload.sub !== 'string' || !payload.sub) throw unauthenticated('The bearer token has no subject');
      checkLifetime(payload, maxTtl);
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { sub: payload.sub, scopes: new Set(scope.split(' ').filter(Boolean)) };
    },
  };
}

/**
 * CONTRACT §4: every token carries `exp` (one without would be valid forever, and stay cached),
 * and none may claim more than `maxTtl` seconds: measured from its `iat` when it has one, and
 * from now in any case (an `iat` can be back-dated as easily as an `exp` can be far away). An
 * `iat` ahead of now is refused.
 */
function checkLifetime(payload: Record<string, unknown>, maxTtl: number): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw unauthenticated('The bearer token has no expiry (exp)');
  const now = Math.floor(Date.now() / 1000);
  // A token "issued" later than now (beyond the clock difference tolerated) was not issued by a
  // sound issuer's clock; taken, it would pass for fresh wherever its age is asked (security probe 3).
  if (typeof iat === 'number' && iat > now + CLOCK_TOLERANCE_SECONDS) throw unauthenticated('The bearer token is issued in the future (iat)');
  const tooLong = exp - now > maxTtl + CLOCK_TOLERANCE_SECONDS || (typeof iat === 'number' && exp - iat > maxTtl);
  if (tooLong) throw unauthenticated(`The bearer token lives longer than the gateway accepts (${maxTtl} s)`);
}

/** setTimeout's longest delay (about 24.8 days): a timer for a later expiry fires then instead. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * The `exp` of a bearer token, epoch ms; undefined when it has none or is not a JWT. Read without
 * verifying: call it only for a token `authenticate` accepted.
 */
export function tokenExpiry(authorization: string | null | undefined): number | undefined {
  const token = authorization?.trim().replace(/^Bearer\s+/i, '');
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Signs an HS256 client token (sandbox dev token, tests). */
export async function signClientToken(
  secret: string,
  claims: { sub: string; scope: string; issuer?: string; audience?: string },
  expiresIn: string | number = '12h',
): Promise<string> {
  let jwt = new SignJWT({ scope: claims.scope })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
