/**
 * Checkout callbacks of the Dintero sandbox: a GET to the session's `url.callback_url` with
 * `transaction_id`, `session_id`, `merchant_reference` and `time` in the query (seed-minimal: only
 * the first two), added to the URL's own parameters, retried after each
 * configured delay until a 2xx. Whether it comes before the buyer's redirect, after it, or never,
 * and how many copies are sent, is chosen per payment (the race knobs of the checkout page).
 */
import { deliverWithRetries, fetchStatus } from '../kit/delivery.js';
import type { Timers } from '../kit/timers.js';

/** When the callback is sent relative to the redirect of the buyer's browser. */
export type DinteroSandboxCallbackTiming = 'before' | 'after' | 'never';

export interface DinteroSandboxCallbackAttempt {
  sessionId: string;
  transactionId: string;
  url: string;
  /** The receiver's HTTP status, or null when it could not be reached in time. */
  responseStatus: number | null;
}

export interface CallbackJob {
  callbackUrl: string;
  sessionId: string;
  transactionId: string;
  merchantReference: string;
}

const CALLBACK_TIMEOUT_MS = 5_000;

export class CallbackDispatcher {
  private readonly attempts: DinteroSandboxCallbackAttempt[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly timers: Timers,
    private readonly retryDelaysMs: readonly number[],
    private readonly afterRedirectDelayMs: number,
    private readonly now: () => Date,
    /** Seed-minimal: only what the seed names ("with the session_id and its corresponding transaction"). */
    private readonly seedMinimal = false,
  ) {}

  /**
   * Sends `copies` callbacks for a finished payment. With 'before' the returned promise settles once
   * they were delivered (the page answers the redirect only then); with 'after' it settles at once
   * and the callbacks follow `afterRedirectDelayMs` later.
   */
  dispatch(job: CallbackJob, timing: DinteroSandboxCallbackTiming, copies: number): Promise<void> {
    if (timing === 'never') return Promise.resolve();
    const run = async (): Promise<void> => {
      if (timing === 'after') await this.timers.sleep(this.afterRedirectDelayMs);
      for (let copy = 0; copy < copies && !this.timers.closed; copy++) await this.deliver(job);
    };
    const running = run();
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return timing === 'before' ? running : Promise.resolve();
  }

  sent(): DinteroSandboxCallbackAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt }));
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Never rejects. */
  private async deliver(job: CallbackJob): Promise<void> {
    // Each attempt carries its own `time`, so the URL is built per attempt and recorded as sent.
    let url = '';
    await deliverWithRetries(this.timers, this.retryDelaysMs, {
      attempt: () => {
        url = this.callbackUrl(job);
        return fetchStatus(this.timers, url, { method: 'GET' }, CALLBACK_TIMEOUT_MS);
      },
      record: (responseStatus) => this.attempts.push({ sessionId: job.sessionId, transactionId: job.transactionId, url, responseStatus }),
    });
  }

  private callbackUrl(job: CallbackJob): string {
    const url = new URL(job.callbackUrl);
    url.searchParams.set('transaction_id', job.transactionId);
    url.searchParams.set('session_id', job.sessionId);
    if (this.seedMinimal) return url.toString();
    url.searchParams.set('merchant_reference', job.merchantReference);
    url.searchParams.set('time', this.now().toISOString());
    return url.toString();
  }
}
