import { z } from 'zod';
import type { KeyValueStore } from '../store/types.js';

/** A token is dropped this long before the provider says it expires (at most a tenth of its life). */
const EXPIRY_MARGIN_MS = 60_000;
/** How long one instance may hold the right to issue before another issues anyway. */
const ISSUE_LOCK_MS = 10_000;
/** How often an instance waiting for another's issue looks for the token. */
const ISSUE_WAIT_STEP_MS = 25;

/**
 * A token answer's `expires_in`, read tolerantly. No seed shows a token answer (Dintero's shows
 * only the request, Pei's points to another document) and RFC 6749 §5.1 makes the field
 * RECOMMENDED, not required; some servers (.NET's among them) write it as a string. Missing or
 * unreadable, it is undefined and the token is kept UNSTATED_TOKEN_LIFETIME_S.
 */
export const TokenExpiresIn = z
  .union([z.number(), z.string().regex(/^\s*\d{1,9}(?:\.\d+)?\s*$/).transform(Number)])
  .pipe(z.number().positive())
  .optional()
  .catch(undefined);

/**
 * How long a token whose answer states no lifetime is kept: briefly, so a short-lived one is
 * rarely used dead; one that dies sooner is answered 401, dropped and replaced (the clients retry once).
 */
export const UNSTATED_TOKEN_LIFETIME_S = 60;

export interface IssuedToken {
  accessToken: string;
  /** Seconds, as OAuth2's `expires_in`. */
  expiresIn: number;
}

export interface SharedTokenOptions {
  kv: KeyValueStore;
  /** The store key; it must name no secret (e.g. provider, account and client id). */
  key: string;
  /** Asks the provider's token endpoint for a new token (the provider's own request and errors). */
  issue: () => Promise<IssuedToken>;
  now?: () => number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * A client-credentials access token kept in the shared store until shortly before it expires,
 * so every gateway instance uses the same one instead of each fetching its own. A 401 from the
 * provider means the token died early: `invalidate` drops it, but only if no other instance has
 * already replaced it, and the next `get` issues a new one.
 */
export class SharedToken {
  private readonly now: () => number;
  /**
   * The issue under way in this instance, if any: requests that find no token at the same moment
   * (the poller's reads and a create all answered 401 together) wait for it instead of each asking
   * the provider for a token of its own.
   */
  private issuing: Promise<string> | null = null;

  constructor(private readonly options: SharedTokenOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    const cached = await this.cached();
    if (cached !== null) return cached;
    this.issuing ??= this.issueOnce().finally(() => {
      this.issuing = null;
    });
    return this.issuing;
  }

  private async cached(): Promise<string | null> {
    const raw = await this.options.kv.get(this.options.key);
    if (raw === null) return null;
    const cached = JSON.parse(raw) as CachedToken;
    return cached.expiresAt > this.now() ? cached.token : null;
  }

  /**
   * Issues across instances once: instances that all met the same 401 take turns through a lock
   * in the store, and the others wait (bounded) for the token the holder stores. An instance
   * that held the lock and died costs the others one lock period, then they issue themselves.
   */
  private async issueOnce(): Promise<string> {
    const lock = `${this.options.key}:issuing`;
    if (await this.options.kv.setIfAbsent(lock, '1', ISSUE_LOCK_MS)) {
      try {
        return await this.issue();
      } finally {
        await this.options.kv.delete(lock);
      }
    }
    for (let waited = 0; waited < ISSUE_LOCK_MS; waited += ISSUE_WAIT_STEP_MS) {
      await new Promise((resolve) => setTimeout(resolve, ISSUE_WAIT_STEP_MS));
      const token = await this.cached();
      if (token !== null) return token;
      // The holder finished without storing a token (its issue failed): try in turn.
      if ((await this.options.kv.get(lock)) === null) return this.issueOnce();
    }
    return this.issue();
  }

  /** Asks the provider for a token and keeps it in the store for every instance. */
  private async issue(): Promise<string> {
    const issued = await this.options.issue();
    const lifeMs = issued.expiresIn * 1000;
    const keepMs = Math.floor(lifeMs - Math.min(EXPIRY_MARGIN_MS, lifeMs / 10));
    if (keepMs >= 1) {
      const entry: CachedToken = { token: issued.accessToken, expiresAt: this.now() + keepMs };
      await this.options.kv.set(this.options.key, JSON.stringify(entry), keepMs);
    }
    return issued.accessToken;
  }

  async invalidate(token: string): Promise<void> {
    const raw = await this.options.kv.get(this.options.key);
    if (raw !== null && (JSON.parse(raw) as CachedToken).token === token) {
      await this.options.kv.deleteIfEquals(this.options.key, raw);
    }
  }
}
