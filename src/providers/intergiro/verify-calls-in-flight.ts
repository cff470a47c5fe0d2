import { GatewayError } from '../../domain/errors.js';

/**
 * How many distinct callback tokens the gateway asks Intergiro's verify endpoint about at once,
 * per instance, when it checks callbacks there (neither INTERGIRO_CALLBACK_SECRET nor
 * INTERGIRO_CALLBACK_JWKS_URL: CONTRACT §5's third way). A genuine Intergiro posts one callback
 * per order change, each answered in one verify round trip (tens of ms), so even a burst of
 * hundreds a second keeps a handful in flight.
 */
export const MAX_VERIFY_CALLS_IN_FLIGHT = 32;

/** What a callback refused for want of room is told: retry in a second. */
const RETRY_AFTER_MS = 1000;

/**
 * Bounds the calls anonymous callbacks cost at Intergiro's verify endpoint (security probe 7).
 * `/webhooks/intergiro` is open to anyone and a token can only be judged by asking Intergiro,
 * with the merchant's API key, so before, every forged callback (or any body at all) was one
 * call, and a client posting them concurrently had as many calls in flight as it had connections
 * (500 concurrent forged posts: 500 calls at once on the merchant's key and request budget).
 * Now:
 * - the same token posted again while it is being asked about shares that one call (a replay
 *   burst costs one call; a genuine sender's retry too);
 * - at most `limit` distinct tokens are asked about at once; one more is answered 503 with
 *   `Retry-After` (GatewayError SERVICE_UNAVAILABLE with `retryAfterMs`, webhooks.ts) before any
 *   call, so it costs nothing, and a genuine Intergiro, which retries what is not 2xx, has it
 *   verified a moment later (its order is also re-read by reconciliation while it waits).
 * Every token that is let in is still asked about, garbage included
 * (test/providers/intergiro.test.ts pins that); only how many at once is bounded.
 */
export class VerifyCallsInFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly limit = MAX_VERIFY_CALLS_IN_FLIGHT) {}

  run(token: string, call: (token: string) => Promise<T>): Promise<T> {
    const shared = this.inFlight.get(token);
    if (shared) return shared;
    if (this.inFlight.size >= this.limit) {
      return Promise.reject(
        new GatewayError('SERVICE_UNAVAILABLE', 'Too many Intergiro callbacks are being verified; retry', { retryAfterMs: RETRY_AFTER_MS }),
      );
    }
    const asked = call(token).finally(() => this.inFlight.delete(token));
    this.inFlight.set(token, asked);
    return asked;
  }
}
