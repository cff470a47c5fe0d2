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

  const remembered = (key: string | undefined): Caller | undefined => {
    if (key === undefined) return undefined;
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.caller;
    if (hit) entries.delete(key);
    return undefined;
  };

  return {
    remembered: (authorization) => remembered(cacheKeyOf(authorization)),
    async authenticate(authorization) {
      const key = cacheKeyOf(authorization);
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

/** The longest Authorization value kept: a JWT of a few KB (an RS256 one with many claims) fits. */
const MAX_KEY_LENGTH = 8 * 1024;

/**
 * What a token is remembered under: the Authorization value as its client writes it
 * (`Bearer <token>`, one space), so an entry is one token. Any other spelling the authenticator
 * also takes (`bearer`, several spaces or a tab, padding around it) is verified each time and
 * not kept: keyed by the raw value, one browser token padded with a different number of spaces
 * per request (Node takes 16 KiB of headers) filled the cache's 10,000 entries with 16 KB keys,
 * ~160 MB, and the read cache beside it as much again (read-cache.ts).
 */
function cacheKeyOf(authorization: string | null | undefined): string | undefined {
  if (!authorization || authorization.length > MAX_KEY_LENGTH || !authorization.startsWith('Bearer ')) return undefined;
  return /^Bearer [^\s]+$/.test(authorization) ? authorization : undefined;
}
