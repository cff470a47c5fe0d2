import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
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
}

/** Why a dev token printed by an earlier start no longer works (auth.devSecret). */
const STALE_DEV_TOKEN =
  "The bearer token is not valid: it is not signed with this gateway's dev secret, which is new at each start (use the token this start printed, or set AUTH_JWT_SECRET)";

export interface Authenticator {
  /** The caller of a bearer token; UNAUTHENTICATED for a missing, bad or expired one. */
  authenticate(authorization: string | null | undefined): Promise<Caller>;
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
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return { sub: payload.sub, scopes: new Set(scope.split(' ').filter(Boolean)) };
    },
  };
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
