/**
 * Outgoing notifications of a sandbox (callbacks, postbacks): one request with a timeout that also
 * ends when the sandbox closes, and the retry loop around it. What is sent and how each attempt
 * is recorded stay with the sandbox.
 */
import type { Timers } from './timers.js';

/**
 * The receiver's HTTP status, or null when it could not be reached, did not answer within
 * `timeoutMs`, or the sandbox closed meanwhile. The body is drained so the connection can be reused.
 */
export async function fetchStatus(timers: Timers, url: string, init: RequestInit, timeoutMs: number): Promise<number | null> {
  const timeout = timers.signal(timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: timeout.signal });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  } finally {
    timeout.done();
  }
}

export interface RetriedDelivery {
  /** Awaited before every attempt, e.g. while deliveries are paused. */
  beforeAttempt?: () => Promise<void>;
  /** One attempt: the receiver's status, or null (see fetchStatus). */
  attempt(): Promise<number | null>;
  /** Called for every attempt made while the sandbox was open. */
  record(responseStatus: number | null): void;
}

/**
 * Attempts, then retries once after each of `retryDelaysMs`, stopping at the first 2xx or when
 * the sandbox closes (an attempt finishing after close is not recorded).
 */
export async function deliverWithRetries(timers: Timers, retryDelaysMs: readonly number[], delivery: RetriedDelivery): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (delivery.beforeAttempt !== undefined) await delivery.beforeAttempt();
    if (timers.closed) return;
    const responseStatus = await delivery.attempt();
    if (timers.closed) return;
    delivery.record(responseStatus);
    if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) return;
    const delay = retryDelaysMs[attempt];
    if (delay === undefined) return;
    await timers.sleep(delay);
  }
}
