/**
 * Callbacks of the Intergiro sandbox: one signed order snapshot per change, posted to the order's
 * `callback` URL. Delivery is sequential per order (a later change waits for the earlier callback
 * to finish or give up), retried after each configured delay until a 2xx, and recorded attempt by
 * attempt so tests can see what was sent.
 */
import { deliverWithRetries, fetchStatus } from '../kit/delivery.js';
import type { Timers } from '../kit/timers.js';
import type { IntergiroSandboxOrder, IntergiroSandboxStatus } from './wire.js';

const CALLBACK_CONTENT_TYPE = 'application/jwt; charset=utf-8';
/** No answer within this counts as a failed attempt. */
const CALLBACK_TIMEOUT_MS = 5_000;

export interface IntergiroSandboxCallbackAttempt {
  orderId: string;
  /** The order status inside the signed body. */
  status: IntergiroSandboxStatus;
  contentType: string;
  /** The compact JWS that was posted. */
  body: string;
  /** The receiver's HTTP status, or null when it could not be reached or did not answer in time. */
  responseStatus: number | null;
}

interface CallbackJob {
  orderId: string;
  url: string;
  status: IntergiroSandboxStatus;
  /** Signed when the change happened, so a retry or a duplicate repeats the same bytes. */
  token: Promise<string>;
}

export class CallbackDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly attempts: IntergiroSandboxCallbackAttempt[] = [];
  /** The last callback of each order, for `resendLast`. */
  private readonly lastJobs = new Map<string, CallbackJob>();
  private paused = false;
  private resumeWaiters: (() => void)[] = [];

  constructor(
    private readonly timers: Timers,
    private readonly retryDelaysMs: readonly number[],
    private readonly sign: (order: IntergiroSandboxOrder) => Promise<string>,
  ) {
    timers.onClose(() => this.releaseWaiters());
  }

  /** The order has just changed: sign its snapshot now and queue the callback, if it has a URL. */
  orderChanged(order: IntergiroSandboxOrder): void {
    const url = order.callback;
    if (url === undefined) return;
    const snapshot = structuredClone(order);
    const job: CallbackJob = { orderId: snapshot.id, url, status: snapshot.status, token: this.sign(snapshot) };
    this.lastJobs.set(job.orderId, job);
    this.enqueue(job);
  }

  /** Queues the order's last callback once more, same token: a duplicate delivery. */
  resendLast(orderId: string): void {
    const job = this.lastJobs.get(orderId);
    if (job === undefined) throw new Error(`no callback was sent for order ${orderId}`);
    this.enqueue(job);
  }

  sent(): IntergiroSandboxCallbackAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt }));
  }

  pause(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.releaseWaiters();
  }

  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private enqueue(job: CallbackJob): void {
    const previous = this.chains.get(job.orderId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(job));
    this.chains.set(job.orderId, next);
    void next.then(() => {
      if (this.chains.get(job.orderId) === next) this.chains.delete(job.orderId);
    });
  }

  private releaseWaiters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const resume of waiters) resume();
  }

  private whenResumed(): Promise<void> {
    if (!this.paused || this.timers.closed) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  /** Never rejects: a chain that threw would stop every later callback of the order. */
  private async deliver(job: CallbackJob): Promise<void> {
    let body: string;
    try {
      body = await job.token;
    } catch {
      return;
    }
    await deliverWithRetries(this.timers, this.retryDelaysMs, {
      beforeAttempt: () => this.whenResumed(),
      attempt: () => fetchStatus(this.timers, job.url, { method: 'POST', headers: { 'content-type': CALLBACK_CONTENT_TYPE }, body }, CALLBACK_TIMEOUT_MS),
      record: (responseStatus) =>
        this.attempts.push({ orderId: job.orderId, status: job.status, contentType: CALLBACK_CONTENT_TYPE, body, responseStatus }),
    });
  }
}
