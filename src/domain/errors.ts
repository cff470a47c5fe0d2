import type { ProviderObservation } from './observation.js';

/**
 * The gateway's closed set of failures (CONTRACT §3). Everything a resolver, an adapter or a
 * webhook route throws on purpose is a GatewayError; anything else is a bug and is masked.
 * Messages are written for the API's clients: they never carry a credential, a card token,
 * a national id or a stack trace.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NOT_SUPPORTED'
  | 'INVALID_STATE'
  | 'PROVIDER_REJECTED'
  | 'PROVIDER_UNAVAILABLE'
  | 'SERVICE_UNAVAILABLE'
  | 'HISTORY_EXPIRED';

export interface GatewayErrorDetails {
  /** BAD_USER_INPUT: the offending input path, e.g. `input.items.0.amount`. */
  field?: string;
  /** PROVIDER_REJECTED: what the provider said, where it said it. */
  providerCode?: string;
  providerField?: string;
  correlationId?: string;
  /**
   * PROVIDER_REJECTED only: the refusal relays a third party's failure whose outcome is not known
   * (Payway relaying an Adyen timeout as a 5xx with its error body: Adyen may still authorise the
   * payment, and Payway close the order once Adyen tells it). The client is told the provider's
   * words (CONTRACT §7), but a creation keeps its intent as after a lost answer, so a retry with
   * the same key places nothing again before the provider tells what became of the first.
   */
  outcomeUnknown?: true;
  /** The original failure, kept for logs; never shown to clients. */
  cause?: unknown;
  /**
   * PROVIDER_UNAVAILABLE only: the request surely never left the gateway (an open circuit
   * breaker, a connection refused or a name not resolved before anything was written), so
   * nothing can have happened upstream. Unset means "may have been sent": the safe default.
   */
  notSent?: true;
  /**
   * PROVIDER_UNAVAILABLE only: the provider itself answered (a 500 or 503, a body that is not
   * what was asked for), so it has finished with the request: whatever it made is there to be
   * read now. Unset: it may still be working on it (a timeout, a reset, a proxy's 502 or 504).
   */
  answered?: true;
  /**
   * SERVICE_UNAVAILABLE only: the gateway refused the work for want of room (a bound on calls in
   * flight), not because anything failed; a webhook route answers 503 with `Retry-After` and logs
   * a warning, not an error (a flood of such refusals is no fault of the gateway's).
   */
  retryAfterMs?: number;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details: GatewayErrorDetails;

  constructor(code: ErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.details = details;
  }
}

/**
 * A provider's refusal that also ended the order upstream (Adyen refusing a 3-D Secure result ends
 * the purchase): the service records `fact` before it answers the refusal, so the order does
 * not keep waiting for a step nobody can take any more.
 */
export class RefusalWithFact extends GatewayError {
  constructor(
    refusal: GatewayError,
    readonly fact: ProviderObservation,
  ) {
    super(refusal.code, refusal.message, refusal.details);
  }
}

export const badInput = (field: string, message: string): GatewayError =>
  new GatewayError('BAD_USER_INPUT', message, { field });

export const notSupported = (message: string): GatewayError => new GatewayError('NOT_SUPPORTED', message);

export const invalidState = (message: string): GatewayError => new GatewayError('INVALID_STATE', message);

export const notFound = (message = 'No such order'): GatewayError => new GatewayError('NOT_FOUND', message);

/** CONTRACT §3: a resume point (`after`, `Last-Event-ID`) older than the kept history. */
export const historyExpired = (message: string): GatewayError => new GatewayError('HISTORY_EXPIRED', message);

export const forbidden = (message: string): GatewayError => new GatewayError('FORBIDDEN', message);

export const unauthenticated = (message: string): GatewayError => new GatewayError('UNAUTHENTICATED', message);

/** What a client is told of any PROVIDER_UNAVAILABLE below the provider's own words, however it came about. */
const unavailable = (provider: string): string => `${provider} is unavailable or answered something unexpected`;

export const providerUnavailable = (provider: string, cause?: unknown): GatewayError =>
  new GatewayError('PROVIDER_UNAVAILABLE', unavailable(provider), { cause });

/** PROVIDER_UNAVAILABLE for an answer that is no good, but the provider's own (see GatewayErrorDetails.answered). */
export const providerAnswered = (provider: string, cause?: unknown): GatewayError =>
  new GatewayError('PROVIDER_UNAVAILABLE', unavailable(provider), { cause, answered: true });

/** PROVIDER_UNAVAILABLE for a call that surely sent nothing (see GatewayErrorDetails.notSent); the same words for the client. */
export const providerUnreached = (provider: string, cause?: unknown): GatewayError =>
  new GatewayError('PROVIDER_UNAVAILABLE', unavailable(provider), { cause, notSent: true });

/** Whether `error` says the provider has finished with the request (see GatewayErrorDetails.answered). */
export function providerFinished(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'PROVIDER_UNAVAILABLE' && error.details.answered === true;
}

/** Whether `error` says for sure that the provider was never asked (nothing to find out upstream). */
export function surelyNotSent(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'PROVIDER_UNAVAILABLE' && error.details.notSent === true;
}

/**
 * Whether a failed provider call may still have taken effect upstream: anything but the
 * provider's refusal (or another answer of the gateway's own), except a PROVIDER_UNAVAILABLE that
 * surely sent nothing (an open breaker, a refused connection: providers/http.ts).
 */
export function mayHaveReachedProvider(error: unknown): boolean {
  if (surelyNotSent(error)) return false;
  return !(error instanceof GatewayError) || error.code === 'PROVIDER_UNAVAILABLE';
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${String(value)}`);
}
