/**
 * Postbacks of the Pei sandbox: when an order becomes confirmed, `{orderId, purchaseId, mandateId}`
 * is POSTed as JSON to its PostbackUrl. Unsigned, as the seed describes it. Retried after each
 * configured delay until a 2xx; every attempt is recorded so tests can see what was sent.
 */
import { deliverWithRetries, fetchStatus } from '../kit/delivery.js';
import type { Timers } from '../kit/timers.js';
import type { PeiSandboxOrder, PeiSandboxPostback } from './wire.js';

/** No answer within this counts as a failed attempt. */
const POSTBACK_TIMEOUT_MS = 5_000;

export interface PeiSandboxPostbackAttempt {
  url: string;
  body: PeiSandboxPostback;
  /** The receiver's HTTP status, or null when it could not be reached in time. */
  responseStatus: number | null;
}

export class PostbackDispatcher {
  private readonly attempts: PeiSandboxPostbackAttempt[] = [];
  private readonly last = new Map<string, { url: string; body: PeiSandboxPostback }>();
  private readonly inFlight = new Set<Promise<void>>();
  enabled = true;

  constructor(
    private readonly timers: Timers,
    private readonly retryDelaysMs: readonly number[],
    /** Seed-minimal: the keys as the seed's prose writes them ("OrderId, PurchaseId and MandateId"). */
    private readonly proseKeys = false,
  ) {}

  confirmed(order: PeiSandboxOrder): void {
    if (order.postbackUrl === null || order.purchaseId === null) return;
    const job = { url: order.postbackUrl, body: { orderId: order.orderId, purchaseId: order.purchaseId, mandateId: order.mandateId } };
    this.last.set(order.orderId, job);
    if (this.enabled) this.start(job);
  }

  /** Posts the order's postback once more, same body: a duplicate delivery. */
  resend(orderId: string): Promise<void> {
    const job = this.last.get(orderId);
    if (job === undefined) throw new Error(`no postback was sent for order ${orderId}`);
    return this.start(job);
  }

  sent(): PeiSandboxPostbackAttempt[] {
    return this.attempts.map((attempt) => ({ ...attempt, body: { ...attempt.body } }));
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private start(job: { url: string; body: PeiSandboxPostback }): Promise<void> {
    const delivery = this.deliver(job);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  private wire(body: PeiSandboxPostback): Record<string, unknown> {
    if (!this.proseKeys) return { ...body };
    return { OrderId: body.orderId, PurchaseId: body.purchaseId, MandateId: body.mandateId };
  }

  /** Never rejects. */
  private async deliver(job: { url: string; body: PeiSandboxPostback }): Promise<void> {
    const init = { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' } };
    await deliverWithRetries(this.timers, this.retryDelaysMs, {
      attempt: () => fetchStatus(this.timers, job.url, { ...init, body: JSON.stringify(this.wire(job.body)) }, POSTBACK_TIMEOUT_MS),
      record: (responseStatus) => this.attempts.push({ url: job.url, body: { ...job.body }, responseStatus }),
    });
  }
}
