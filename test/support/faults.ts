import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ProviderResilience } from '../../src/providers/resilience/settings.js';
import type { FaultKind } from '../../src/sandboxes/kit/faults.js';

/** Every fault kind the sandboxes inject (kit/faults.ts). */
export const ALL_FAULT_KINDS: FaultKind[] = ['latency', 'status', 'reset', 'hang', 'truncated', 'malformed', 'content-type'];
/** The kinds that fail fast (no waiting for the call's bound): what a retry can get past. */
export const FAST_FAULT_KINDS: FaultKind[] = ['status', 'reset', 'truncated', 'malformed', 'content-type'];

/** Retries as in production but quick; a breaker that never opens (unless a test wants it to). */
export function testResilience(overrides: Partial<ProviderResilience> = {}): ProviderResilience {
  return { retryAttempts: 3, retryBaseMs: 20, retryCapMs: 100, breakerFailures: 1_000_000, breakerCooldownMs: 1000, ...overrides };
}

/**
 * Fails the test in which anything escaped: an unhandled rejection or an uncaught exception in
 * this process (the gateways under test run here).
 */
export function failOnEscapes(): void {
  const escaped: unknown[] = [];
  const record = (error: unknown): void => void escaped.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  });
  afterEach(() => {
    const found = escaped.splice(0);
    expect(found.map((error) => (error instanceof Error ? error.stack : String(error)))).toEqual([]);
  });
  afterAll(() => {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  });
}

/** A date `days` from today, as the `Date` scalar writes it. */
export function isoDay(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
