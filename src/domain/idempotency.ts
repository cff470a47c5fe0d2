import { createHash, randomUUID } from 'node:crypto';
import { storeKeys } from '../store/keys.js';
import type { KeyValueStore } from '../store/types.js';
import { badInput } from './errors.js';

/** CONTRACT "Idempotency": keys are kept 24 hours, per caller. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim stays "in progress" before another request may take over: a crashed instance
 * must not block the key for a day, and no provider call takes this long.
 */
const IN_PROGRESS_TTL_MS = 120_000;
const WAIT_STEP_MS = 25;

interface Entry {
  fingerprint: string;
  state: 'pending' | 'done';
  /** A pending entry's own id: tells this claim's write from another request's (see claim()). */
  claim?: string;
  result?: string;
}

/** One idempotency key of one caller for one kind of operation. */
export interface IdempotencyScope {
  caller: string;
  operation: string;
  key: string;
  /** The input path of the key, for BAD_USER_INPUT. */
  field: string;
}

export type Claim = { state: 'claimed'; release(): Promise<void>; complete(result: string): Promise<void> } | { state: 'done'; result: string };

/** A stable hash of the request, so "same key, different input" can be told apart. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Idempotency keys in the shared store. The same key with the same input gets the first result
 * without the work running again, also when two requests race (the later one waits for the
 * first); the same key with a different input is BAD_USER_INPUT; failed work releases the key so
 * the client may retry with it.
 */
export class IdempotencyKeys {
  constructor(
    private readonly kv: KeyValueStore,
    /** Injectable so tests need not wait in real time. */
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Claims the key, or returns the first request's result (waiting while it is in progress).
   * `inProgressMs`: how long the claim stays in progress if its holder dies, for work bounded
   * more tightly than any request (an order change runs under its change lease).
   */
  async claim(scope: IdempotencyScope, fingerprint: string, inProgressMs = IN_PROGRESS_TTL_MS): Promise<Claim> {
    const storeKey = storeKeys.idempotency(scope.caller, scope.operation, scope.key);
    const pending = JSON.stringify({ fingerprint, state: 'pending', claim: randomUUID() } satisfies Entry);
    const deadline = Date.now() + inProgressMs;
    for (;;) {
      const claimed = await this.kv.setIfAbsent(storeKey, pending, inProgressMs);
      const raw = claimed ? pending : await this.kv.get(storeKey);
      // Also ours when the store had written it but the answer was lost and the client's resend
      // (ioredis after a reconnect) found the key taken: else this request would wait out its own
      // claim for IN_PROGRESS_TTL_MS. The claim id also keeps release() off a later claim's entry.
      if (raw === pending) {
        return {
          state: 'claimed',
          release: async () => {
            await this.kv.deleteIfEquals(storeKey, pending);
          },
          complete: (result: string) =>
            this.kv.set(storeKey, JSON.stringify({ fingerprint, state: 'done', result } satisfies Entry), IDEMPOTENCY_TTL_MS),
        };
      }
      if (raw === null) continue; // released or expired between our two looks: claim again
      const entry = JSON.parse(raw) as Entry;
      if (entry.fingerprint !== fingerprint) {
        throw badInput(scope.field, 'This idempotency key was already used with a different input');
      }
      if (entry.state === 'done' && entry.result !== undefined) return { state: 'done', result: entry.result };
      if (Date.now() > deadline) throw badInput(scope.field, 'A request with this idempotency key is still in progress');
      await this.sleep(WAIT_STEP_MS);
    }
  }

  /**
   * Runs `work` at most once per key; its string result is what repeats receive. `inProgressMs`
   * as for `claim`: for work that stays safe to take over once its own bound has passed.
   */
  async runOnce(scope: IdempotencyScope, fingerprint: string, work: () => Promise<string>, inProgressMs?: number): Promise<string> {
    const claim = await this.claim(scope, fingerprint, inProgressMs);
    if (claim.state === 'done') return claim.result;
    let result: string;
    try {
      result = await work();
    } catch (error) {
      await claim.release();
      throw error;
    }
    await claim.complete(result);
    return result;
  }
}
