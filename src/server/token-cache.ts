import type { Caller } from '../domain/caller.js';
import { tokenExpiry, type Authenticator } from './auth.js';

export interface TokenCacheOptions {
  /** Most tokens kept; the oldest entry goes first when full. */
  maxEntries: number;
  /**
   * Longest a verified token is believed without verifying it again, ms, even when its `exp` is
   * later: bounds how long a key removed from a JWKS keeps working. Default 60 s.
   */
  maxAgeMs?: number;
  /** Epoch ms; tests move it. Default `Date.now`. */
  now?: () => number;
}

const DEFAULT_MAX_AGE_MS = 60_000;

interface Entry {
  caller: Caller;
  /** Epoch ms after which the token must be verified again. */
  until: number;
}

/**
 * Remembers the callers of tokens that verified, keyed by the Authorization value, so a client
 * sending the same token with every request costs jose's signature check once (README
 * "Benchmarks": an HS256 verification is a noticeable part of a cached read). A token is never
 * believed past its own `exp`; bad, expired and unknown tokens are not cached and are verified
 * (and refused) every time, so the cache changes no answer, only how often jose runs.
 */
export function createCachingAuthenticator(inner: Authenticator, options: TokenCacheOptions): Authenticator {
  if (options.maxEntries <= 0) return inner;
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const entries = new Map<string, Entry>();

  const remembered = (key: string): Caller | undefined => {
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.caller;
    if (hit) entries.delete(key);
    return undefined;
  };

  return {
    remembered: (authorization) => remembered(authorization.trim()),
    async authenticate(authorization) {
      const key = authorization?.trim();
      if (!key) return inner.authenticate(authorization);
      const hit = remembered(key);
      if (hit) return hit;

      const caller = await inner.authenticate(authorization);
      const expiresAt = tokenExpiry(key);
      const until = Math.min(expiresAt ?? Number.POSITIVE_INFINITY, now() + maxAgeMs);
      if (until > now()) {
        if (entries.size >= options.maxEntries) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
        entries.set(key, { caller, until });
      }
      return caller;
    },
  };
}
