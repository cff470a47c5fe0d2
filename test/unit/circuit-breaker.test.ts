import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/providers/resilience/circuit-breaker.js';

/** A breaker on a hand-moved clock: its state machine without waiting. */
function breaker(failureThreshold = 3, cooldownMs = 1000) {
  const clock = { now: 0 };
  return { clock, breaker: new CircuitBreaker({ failureThreshold, cooldownMs }, () => clock.now) };
}

/** Admits one call and reports it; returns whether it was admitted. */
function call(subject: CircuitBreaker, outcome: 'ok' | 'fail'): boolean {
  const admission = subject.admit();
  if (!admission.admitted) return false;
  if (outcome === 'ok') subject.succeeded(admission.trial);
  else subject.failed(admission.trial);
  return true;
}

describe('circuit breaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const { breaker: subject } = breaker(3);
    call(subject, 'fail');
    call(subject, 'fail');
    call(subject, 'ok');
    call(subject, 'fail');
    call(subject, 'fail');
    expect(subject.state).toBe('closed');
  });

  it('opens after the threshold of consecutive failures and refuses calls while cooling down', () => {
    const { breaker: subject, clock } = breaker(3, 1000);
    for (let i = 0; i < 3; i++) expect(call(subject, 'fail')).toBe(true);
    expect(subject.state).toBe('open');
    clock.now = 999;
    expect(subject.admit()).toEqual({ admitted: false });
  });

  it('after the cool-down lets exactly one trial through; its success closes the breaker', () => {
    const { breaker: subject, clock } = breaker(1, 1000);
    call(subject, 'fail');
    clock.now = 1000;
    expect(subject.state).toBe('half-open');
    const trial = subject.admit();
    expect(trial).toEqual({ admitted: true, trial: true });
    expect(subject.admit()).toEqual({ admitted: false }); // a second caller waits for the trial
    subject.succeeded(true);
    expect(subject.state).toBe('closed');
    expect(subject.admit()).toEqual({ admitted: true, trial: false });
  });

  it("a failed trial opens it for another full cool-down", () => {
    const { breaker: subject, clock } = breaker(1, 1000);
    call(subject, 'fail');
    clock.now = 1500;
    expect(call(subject, 'fail')).toBe(true);
    expect(subject.state).toBe('open');
    clock.now = 2499;
    expect(subject.admit()).toEqual({ admitted: false });
    clock.now = 2500;
    expect(subject.admit()).toEqual({ admitted: true, trial: true });
  });

  it('a straggler admitted before the breaker opened neither reopens nor extends it when it fails', () => {
    const { breaker: subject, clock } = breaker(2, 1000);
    const straggler = subject.admit();
    call(subject, 'fail');
    call(subject, 'fail');
    expect(subject.state).toBe('open');
    clock.now = 1000;
    expect(straggler.admitted && subject.failed(straggler.trial)).toBeUndefined();
    expect(subject.state).toBe('half-open');
  });

  it('a straggler that succeeds proves the provider is there: the breaker closes', () => {
    const { breaker: subject } = breaker(1, 1000);
    const straggler = subject.admit();
    call(subject, 'fail');
    expect(subject.state).toBe('open');
    if (straggler.admitted) subject.succeeded(straggler.trial);
    expect(subject.state).toBe('closed');
  });
});
