/**
 * Payway's webhook deliveries from the sandbox: each purchase event is signed and POSTed to
 * `<gatewayUrl>/webhooks/payway`, retried after each `retryDelaysMs` entry until a 2xx, and
 * recorded so tests can look at and resend them.
 */
import { createHmac } from 'node:crypto';
import type { Purchase } from './purchases.js';
import type { PaywaySandboxEvent, PaywaySandboxEventType } from './wire.js';

export interface PaywaySandboxDelivery {
  event: PaywaySandboxEvent;
  /** HTTP status, or 0 when the gateway could not be reached (or no gateway URL was set). */
  status: number;
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` with `X-Payway-Timestamp: <timestamp>`. */
export function signEvent(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-payway-timestamp': String(timestamp),
    'x-payway-signature': `sha256=${signature}`,
  };
}

/**
 * How events are written: `overview` as Payway's events overview shows them (`eventOf`);
 * `data` as a Payway written from its seed alone might (the seed shows no event): the envelope's
 * own id and a dotted `type`, the purchase flat under `data` in camelCase, the order's id as
 * `orderId`, the receipt's as `receiptId`.
 */
export type PaywaySandboxEventShape = 'overview' | 'data';

export function wireBodyOf(event: PaywaySandboxEvent, shape: PaywaySandboxEventShape): unknown {
  if (shape === 'overview') return event;
  const { order, receipt, payment } = event.payload;
  return {
    id: `evt_${createHmac('sha256', 'event-id').update(`${order.id}:${event.event}`).digest('hex').slice(0, 24)}`,
    type: event.event.replace('_', '.'),
    createdAt: event.timestamp,
    data: {
      orderId: order.id,
      merchantReference: order.merchant_reference,
      productCode: order.product_code,
      ...(receipt ? { receiptId: receipt.id } : {}),
      ...(payment ? { message: payment.message } : {}),
    },
  };
}

export class EventDispatcher {
  gatewayUrl: string | undefined;
  private readonly deliveries: PaywaySandboxDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly secret: string,
    private readonly retryDelaysMs: number[],
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly isClosed: () => boolean,
    /** How an event is written on the wire (see `wireBodyOf`); default Payway's events overview. */
    private readonly shape: PaywaySandboxEventShape = 'overview',
  ) {}

  send(event: PaywaySandboxEvent): void {
    const delivery = this.deliver(event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  sent(): PaywaySandboxDelivery[] {
    return this.deliveries.map((delivery) => structuredClone(delivery));
  }

  /** Resolves once every delivery under way has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private async deliver(event: PaywaySandboxEvent): Promise<void> {
    const body = JSON.stringify(wireBodyOf(event, this.shape));
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (attempt > 0) await this.sleep(this.retryDelaysMs[attempt - 1] ?? 0);
      if (this.isClosed()) return;
      const status = await this.post(body);
      this.deliveries.push({ event, status });
      if (status >= 200 && status < 300) return;
    }
  }

  private async post(body: string): Promise<number> {
    if (!this.gatewayUrl) return 0;
    try {
      // Signed per attempt: a retry carries a fresh timestamp, as webhook senders do.
      const response = await fetch(`${this.gatewayUrl}/webhooks/payway`, {
        method: 'POST',
        headers: signEvent(this.secret, body),
        body,
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }
}

/** The event Payway posts for a purchase (the events overview's shape; see ../sandbox.ts). */
export function eventOf(purchase: Purchase, type: PaywaySandboxEventType): PaywaySandboxEvent {
  return {
    event: type,
    timestamp: new Date().toISOString(),
    payload: {
      account: { id: '622f061795cfebfded830774', organisation_id: 'sandbox' },
      order: {
        id: purchase.orderId,
        merchant_reference: purchase.merchantReference,
        product_code: purchase.productCode,
        period_id: purchase.periodId,
        status: type === 'order_closed' ? 'closed' : 'failed',
      },
      ...(type === 'order_closed' && purchase.receiptId ? { receipt: { id: purchase.receiptId } } : {}),
      ...(type === 'payment_failure' ? { payment: { result_code: 'Refused', message: 'The payment was refused.' } } : {}),
    },
  };
}
