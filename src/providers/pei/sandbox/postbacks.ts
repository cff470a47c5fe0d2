/**
 * Postbacks of the Pei sandbox: when an order becomes confirmed, `{orderId, purchaseId, mandateId}`
 * is POSTed as JSON to its PostbackUrl. Unsigned, as the seed describes it. Retried after each
 * configured delay until a 2xx; every attempt is recorded so tests can see what was sent.
 */
import type { Timers } from './timers.js';
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

  /** Never rejects. */
  private async deliver(job: { url: string; body: PeiSandboxPostback }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.timers.closed) return;
      const responseStatus = await this.post(job.url, JSON.stringify(job.body));
      if (this.timers.closed) return;
      this.attempts.push({ url: job.url, body: { ...job.body }, responseStatus });
      if (responseStatus !== null && responseStatus >= 200 && responseStatus < 300) return;
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) return;
      await this.timers.sleep(delay);
    }
  }

  private async post(url: string, body: string): Promise<number | null> {
    const controller = new AbortController();
    const timeout = this.timers.set(() => controller.abort(), POSTBACK_TIMEOUT_MS);
    const unsubscribe = this.timers.onClose(() => controller.abort());
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, signal: controller.signal });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return null;
    } finally {
      this.timers.clear(timeout);
      unsubscribe();
    }
  }
}
