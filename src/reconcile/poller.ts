import { randomUUID } from 'node:crypto';
import type { OrderService } from '../domain/orders/service.js';
import type { Logger } from '../log.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/types.js';

export interface ReconcilePollerOptions {
  store: Store;
  service: OrderService;
  logger: Logger;
  /** RECONCILE_INTERVAL_MS: how often due orders are looked for, and the lease length. Default 2000. */
  intervalMs?: number;
  /** How many due orders one tick takes. Default 200. */
  batchSize?: number;
  /** How many upstream reads run at once. Default 8. */
  concurrency?: number;
  /** Runs each pass in a request context of its own (its id on log lines and provider calls, a span); default as is. */
  inPass?: (pass: () => Promise<number>) => Promise<number>;
}

/**
 * The one server-side poller for orders still waiting on a provider (CONTRACT §1: "the gateway
 * polls that provider itself, once per order however many clients are waiting"). Each due order
 * is read upstream once per interval: a lease in the shared store, taken with SET NX and left to
 * expire rather than released, makes sure that with several gateway instances only one of them
 * reads a given order in a given interval.
 */
export class ReconcilePoller {
  private readonly instance = randomUUID();
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly options: ReconcilePollerOptions) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.batchSize = options.batchSize ?? 200;
    this.concurrency = options.concurrency ?? 8;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(Math.min(this.intervalMs, 250));
  }

  /** Stops ticking and waits for the tick in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over the due orders; exposed so tests can drive it without waiting. */
  tick(now = Date.now()): Promise<number> {
    return this.options.inPass ? this.options.inPass(() => this.pass(now)) : this.pass(now);
  }

  private async pass(now: number): Promise<number> {
    const due = await this.options.store.schedule.due(now, this.batchSize);
    let read = 0;
    const queue = [...due];
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const leased = await this.options.store.kv.setIfAbsent(storeKeys.reconcileLease(id), this.instance, this.intervalMs);
        if (!leased) continue;
        read++;
        try {
          await this.options.service.reconcile(id);
        } catch (error) {
          // The order stays scheduled; the lease makes the next try wait one interval.
          this.options.logger.log('warn', 'reconciliation failed', { orderId: id, error });
          await this.options.store.schedule.schedule(id, now + this.intervalMs).catch(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    return read;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.log('warn', 'reconciliation tick failed', { error }))
        .finally(() => {
          this.running = null;
          this.schedule(Math.min(this.intervalMs, 500));
        });
    }, delay);
    this.timer.unref();
  }
}
