/**
 * How provider calls retry and when they stop trying: one setting and one set of circuit breakers
 * per process, like the call-observers seam (a provider is one dependency of the process, however
 * many gateways run in it). Breakers are keyed by provider and origin, so sandboxes on their own
 * ports (each test file has its own) never share one.
 */
import { CircuitBreaker } from './circuit-breaker.js';

export interface ProviderResilience {
  /** Attempts of a safe (GET/HEAD) call, the first included; 1 turns retries off. */
  retryAttempts: number;
  /** Full-jitter backoff: the first retry waits up to this, each later one up to twice as long. */
  retryBaseMs: number;
  /** No retry waits longer than this. */
  retryCapMs: number;
  /** Consecutive failed calls to one provider origin that open its breaker. */
  breakerFailures: number;
  /** How long an open breaker fails calls fast before one trial call may go through. */
  breakerCooldownMs: number;
}

export const DEFAULT_PROVIDER_RESILIENCE: ProviderResilience = {
  retryAttempts: 3,
  retryBaseMs: 100,
  retryCapMs: 1000,
  breakerFailures: 5,
  breakerCooldownMs: 5000,
};

let settings: ProviderResilience = DEFAULT_PROVIDER_RESILIENCE;
const breakers = new Map<string, CircuitBreaker>();

/** Sets the process's resilience (at gateway start); breakers made under older settings are dropped. */
export function configureProviderResilience(next: ProviderResilience): void {
  const same = (Object.keys(next) as (keyof ProviderResilience)[]).every((key) => next[key] === settings[key]);
  if (same) return;
  settings = { ...next };
  breakers.clear();
}

export function providerResilience(): ProviderResilience {
  return settings;
}

/** The breaker for `provider` at `url`'s origin. */
export function breakerFor(provider: string, url: string): CircuitBreaker {
  const key = `${provider} ${originOf(url)}`;
  let breaker = breakers.get(key);
  if (breaker === undefined) {
    breaker = new CircuitBreaker({ failureThreshold: settings.breakerFailures, cooldownMs: settings.breakerCooldownMs });
    breakers.set(key, breaker);
  }
  return breaker;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
