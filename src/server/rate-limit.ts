import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { decodeJwt } from 'jose';
import type { Logger } from '../log.js';
import type { KeyValueStore } from '../store/types.js';
import { addressNetwork } from './address-network.js';
import type { Authenticator } from './auth.js';

/** The one window length: limits are configured per minute. */
const WINDOW_MS = 60_000;
/** A store slower than this does not hold up the request: it is let through (fail open). */
const DEFAULT_STORE_TIMEOUT_MS = 500;

export interface RateLimitOptions {
  kv: KeyValueStore;
  authenticator: Authenticator;
  logger: Logger;
  /** Operations per caller per minute; 0 turns the limit off. */
  perMinute: number;
  /** Epoch ms; tests may pass their own. Default `Date.now`. */
  now?: () => number;
  /** Default 500 ms. */
  storeTimeoutMs?: number;
  /**
   * Reverse proxies in front of the gateway that append to X-Forwarded-For (TRUSTED_PROXIES).
   * 0: the socket's address is the client's, and X-Forwarded-For (anyone can send one) is ignored.
   */
  trustedProxies?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * The caller's bucket: the verified token's issuer and subject, or else the client's address.
   * A token that does not verify never chooses its bucket (it could name anyone's `sub`).
   */
  bucketOf(authorization: string | null | undefined, address: string | undefined): Promise<string>;
  /** The client's address: the socket's, or behind `trustedProxies` reverse proxies, the one the first of them saw. */
  addressOf(request: IncomingMessage): string | undefined;
  /** Counts one operation against the bucket. */
  take(bucket: string): Promise<RateDecision>;
}

/**
 * A fixed window per caller: one counter per bucket and minute, `KeyValueStore.increment` (one
 * atomic round trip; in Redis, so every gateway instance on it shares the budget). A fixed window
 * lets a caller spend up to twice the budget across a window's edge; in exchange it costs one
 * counter and one round trip, and tells an exact Retry-After. When the store fails or is slow,
 * the operation goes through (and the failure is logged): a rate limit must not turn a store
 * outage into refusing every request.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const timeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;

  const trustedProxies = options.trustedProxies ?? 0;
  return {
    addressOf(request) {
      return clientAddress(request, trustedProxies);
    },

    async bucketOf(authorization, address) {
      if (authorization) {
        try {
          const caller = await options.authenticator.authenticate(authorization);
          // The token verified, so its issuer claim is as trustworthy as its subject.
          const issuer = decodeJwt(authorization.trim().replace(/^Bearer\s+/i, '')).iss ?? '';
          return `sub:${digest(`${issuer}\n${caller.sub}`)}`;
        } catch {
          // Unverifiable: counted by address; the operation itself will answer UNAUTHENTICATED.
        }
      }
      return `ip:${digest(address === undefined ? 'unknown' : addressNetwork(address))}`;
    },

    async take(bucket) {
      if (options.perMinute <= 0) return { allowed: true };
      const at = now();
      const window = Math.floor(at / WINDOW_MS);
      const windowEnd = (window + 1) * WINDOW_MS;
      let count: number;
      try {
        // TTL to the window's end (plus a second for clock skew between instances).
        count = await withTimeout(options.kv.increment(`rate:${bucket}:${window}`, windowEnd - at + 1000), timeoutMs);
      } catch (error) {
        options.logger.log('warn', 'rate limit skipped: the store did not answer', { error });
        return { allowed: true };
      }
      if (count <= options.perMinute) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - at) / 1000)) };
    },
  };
}

/**
 * Each trusted proxy appends the address it saw to X-Forwarded-For, so the client's is the
 * `trustedProxies`-th from the right; what lies left of it the client wrote itself. With fewer
 * entries than proxies (a request that bypassed them) the socket's address counts.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: number): string | undefined {
  const socket = request.socket.remoteAddress;
  if (trustedProxies <= 0) return socket;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
  return hops.length >= trustedProxies ? hops[hops.length - trustedProxies] : socket;
}

/** Bucket keys are digests: a hostile `sub` of any length or content makes a short, plain key. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** RATE_LIMITED: the caller has used its budget for this minute. */
export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Rate limit exceeded: try again in ${retryAfterSeconds} s`, {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

/**
 * Yoga plugin: every GraphQL operation over HTTP and SSE is counted before it is parsed; one
 * over budget answers HTTP 429 with `Retry-After` and `extensions.code: "RATE_LIMITED"`, and
 * nothing executes. (graphql-ws counts each `subscribe` message itself: src/server/graphql-ws.ts.)
 * Webhooks and health checks never come here: they are not GraphQL.
 */
export function useRateLimit(limiter: RateLimiter): Plugin<Record<string, unknown>, { req?: IncomingMessage }> {
  return {
    async onParams({ request, context, setResult }) {
      const bucket = await limiter.bucketOf(request.headers.get('authorization'), context.req ? limiter.addressOf(context.req) : undefined);
      const decision = await limiter.take(bucket);
      if (!decision.allowed) setResult({ errors: [rateLimitedError(decision.retryAfterSeconds)] });
    },
  };
}
