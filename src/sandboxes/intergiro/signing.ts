/**
 * Signing in the Intergiro sandbox: orders as JWTs (HS256 with a shared secret, or RS256 with a key
 * pair generated at start and published as a JWKS), for callbacks and JWT answers alike, and the
 * check of such a token for the verify endpoint. Header `{alg, typ: "JWT"}` (+ `kid` for RS256,
 * the key's RFC 7638 thumbprint); payload = the Order plus `iat` and `exp`.
 */
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
} from 'jose';
import type { IntergiroSandboxOrder } from './wire.js';

export type IntergiroSandboxSigning = { alg: 'HS256'; secret: string } | { alg: 'RS256' };

/** `exp` = `iat` + this, unless a caller of `signOrder` asks for another lifetime. */
const JWT_LIFETIME_SEC = 600;

export interface OrderSigner {
  /** The public key to verify RS256 tokens; undefined under HS256, whose secret is shared out of band. */
  readonly jwks: JSONWebKeySet | undefined;
  /**
   * A JWT exactly like a callback's: the order plus `iat` (from the clock, taken at the call) and
   * `exp` = iat + `expiresInSec` (default 600). `wrongKey` signs with a forger's key instead.
   */
  sign(order: IntergiroSandboxOrder, opts?: { expiresInSec?: number; wrongKey?: boolean }): Promise<string>;
  /** The payload when the token is ours and not expired now, else undefined. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

/** Signs and verifies with one key, at the times it is given. */
interface KeySigner {
  readonly jwks: JSONWebKeySet | undefined;
  sign(payload: JWTPayload, iatSec: number, expiresInSec: number, wrongKey?: boolean): Promise<string>;
  /** The payload when the token is ours and not expired at `currentDate`, else undefined. */
  verify(token: string, currentDate: Date): Promise<JWTPayload | undefined>;
}

export async function createOrderSigner(signing: IntergiroSandboxSigning, now: () => Date): Promise<OrderSigner> {
  const keys = signing.alg === 'HS256' ? hs256Signer(signing.secret) : await rs256Signer();
  return {
    jwks: keys.jwks,
    sign: (order, opts) => {
      const iat = Math.floor(now().getTime() / 1000);
      return keys.sign(orderPayload(order), iat, opts?.expiresInSec ?? JWT_LIFETIME_SEC, opts?.wrongKey ?? false);
    },
    verify: (token) => keys.verify(token, now()),
  };
}

function hs256Signer(secret: string): KeySigner {
  const key = new TextEncoder().encode(secret);
  // A forger who does not know the secret: same algorithm, different key.
  const wrong = new TextEncoder().encode(`${secret}:forged`);
  return {
    jwks: undefined,
    sign: (payload, iat, expiresIn, wrongKey = false) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .sign(wrongKey ? wrong : key),
    verify: (token, currentDate) => verifyWith(token, key, 'HS256', currentDate),
  };
}

async function rs256Signer(): Promise<KeySigner> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  let forger: Promise<CryptoKey> | undefined;
  // The forger copies our kid, so only the signature check can tell the tokens apart.
  const wrongKey = (): Promise<CryptoKey> => (forger ??= generateKeyPair('RS256').then((pair) => pair.privateKey));
  return {
    jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] },
    sign: async (payload, iat, expiresIn, wrong = false) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .sign(wrong ? await wrongKey() : privateKey),
    verify: (token, currentDate) => verifyWith(token, publicKey, 'RS256', currentDate),
  };
}

async function verifyWith(
  token: string,
  key: CryptoKey | Uint8Array,
  alg: 'HS256' | 'RS256',
  currentDate: Date,
): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [alg], currentDate });
    return payload;
  } catch {
    return undefined;
  }
}

/** A deep copy, so a change racing an in-flight signature cannot alter what gets signed. */
function orderPayload(order: IntergiroSandboxOrder): JWTPayload {
  return { ...structuredClone(order) };
}
