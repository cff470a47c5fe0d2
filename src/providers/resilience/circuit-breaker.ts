/**
 * A circuit breaker for one provider endpoint. Closed: calls go through and consecutive
 * unavailability failures are counted (any success resets the count). At `failureThreshold` it
 * opens: calls are refused without touching the provider until `cooldownMs` has passed. Then it is
 * half-open: exactly one trial call goes through (the others are still refused); its success closes
 * the breaker, its failure opens it for another cool-down.
 *
 * Only unavailability counts as a failure: a 4xx is the provider talking, a success for the breaker.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses calls before it lets one trial through, ms. */
  cooldownMs: number;
}

/** What the caller does with a call: run it (and report how it went), or fail it at once. */
export type Admission = { admitted: true; trial: boolean } | { admitted: false };

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.settings.cooldownMs) return 'half-open';
    return this.current;
  }

  /**
   * Asks to make a call. An admitted call must end with exactly one `succeeded(trial)` or
   * `failed(trial)`, passing the `trial` it was admitted with.
   */
  admit(): Admission {
    const state = this.state;
    if (state === 'closed') return { admitted: true, trial: false };
    if (state === 'open' || this.trialInFlight) return { admitted: false };
    this.current = 'half-open';
    this.trialInFlight = true;
    return { admitted: true, trial: true };
  }

  /** Any answer proves the provider is there, a straggler admitted before the breaker opened too. */
  succeeded(trial: boolean): void {
    if (trial) this.trialInFlight = false;
    this.failures = 0;
    this.current = 'closed';
  }

  failed(trial: boolean): void {
    if (trial) {
      this.trialInFlight = false;
      this.open();
      return;
    }
    // A straggler failing while the breaker is already open or trying changes nothing.
    if (this.current !== 'closed') return;
    this.failures += 1;
    if (this.failures >= this.settings.failureThreshold) this.open();
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.failures = 0;
  }
}
