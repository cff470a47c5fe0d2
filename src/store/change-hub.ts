import type { OrderStatusChange } from '../domain/order.js';
import type { ChangeFeed } from './types.js';

/**
 * What a reader that can send a change on its own does with one (see `LiveChanges.changes`):
 * `taken` (sent, or dropped as already seen), `end` (sent, and it was the last: the stream ends),
 * `buffer` (not taken: it is buffered and read the ordinary way).
 */
export type TakeResult = 'taken' | 'end' | 'buffer';

/** A live stream of changes for one order (or all orders) that buffers until it is read. */
export interface LiveChanges {
  /** Resolves once the underlying feed is subscribed: changes committed after it are delivered. */
  ready: Promise<void>;
  /**
   * The changes, in order. With `take`, a change that arrives while the reader waits with nothing
   * buffered is first offered to `take`, synchronously in the feed's dispatch: the reader has
   * handled everything before it, so sending it from there keeps the order. Anything `take`
   * does not take is buffered and read as usual (and so is everything while the reader is busy).
   */
  changes(signal?: AbortSignal, take?: (change: OrderStatusChange) => TakeResult): AsyncIterable<OrderStatusChange>;
  close(): void;
}

/** Bounded so one stuck subscriber cannot grow without limit; it is cut off instead. */
const MAX_BUFFERED = 10_000;

/**
 * Fans the store's single change feed out to subscribers, indexed by order id, so a change
 * costs one map lookup however many thousand orders are watched, and the feed (one Redis
 * SUBSCRIBE per instance) is joined once however many clients wait.
 */
export class ChangeHub {
  private readonly byOrder = new Map<string, Set<Stream>>();
  private readonly everything = new Set<Stream>();
  private subscribed: Promise<unknown> | null = null;

  constructor(private readonly feed: ChangeFeed) {}

  /** Changes of one order, or of every order with `null`. */
  open(orderId: string | null): LiveChanges {
    const stream = new Stream(() => this.remove(orderId, stream));
    if (orderId === null) this.everything.add(stream);
    else {
      const set = this.byOrder.get(orderId) ?? new Set<Stream>();
      set.add(stream);
      this.byOrder.set(orderId, set);
    }
    this.subscribed ??= this.feed.subscribe((change) => this.dispatch(change)).catch((error: unknown) => {
      this.subscribed = null;
      throw error;
    });
    const ready = this.subscribed.then(() => undefined);
    return { ready, changes: (signal, take) => stream.iterate(signal, take), close: () => stream.close() };
  }

  /** How many streams are open (for metrics and tests). */
  get size(): number {
    let count = this.everything.size;
    for (const set of this.byOrder.values()) count += set.size;
    return count;
  }

  private dispatch(change: OrderStatusChange): void {
    for (const stream of this.byOrder.get(change.order.id) ?? []) stream.push(change);
    for (const stream of this.everything) stream.push(change);
  }

  private remove(orderId: string | null, stream: Stream): void {
    if (orderId === null) {
      this.everything.delete(stream);
      return;
    }
    const set = this.byOrder.get(orderId);
    set?.delete(stream);
    if (set?.size === 0) this.byOrder.delete(orderId);
  }
}

class Stream {
  private readonly buffer: OrderStatusChange[] = [];
  private wake: (() => void) | null = null;
  /** Set while the reader waits with nothing buffered and can take a change itself. */
  private take: ((change: OrderStatusChange) => TakeResult) | null = null;
  private closed = false;
  private overflowed = false;

  constructor(private readonly onClose: () => void) {}

  push(change: OrderStatusChange): void {
    if (this.closed) return;
    if (this.take) {
      // One reader's failure must not cut the dispatch to the others: its change is buffered.
      let taken: TakeResult = 'buffer';
      try {
        taken = this.take(change);
      } catch {
        taken = 'buffer';
      }
      if (taken === 'taken') return;
      if (taken === 'end') return this.close();
    }
    if (this.buffer.length >= MAX_BUFFERED) {
      this.overflowed = true;
      this.close();
      return;
    }
    this.buffer.push(change);
    this.take = null;
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.take = null;
    this.onClose();
    this.wake?.();
  }

  async *iterate(signal?: AbortSignal, take?: (change: OrderStatusChange) => TakeResult): AsyncGenerator<OrderStatusChange> {
    const abort = (): void => this.close();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      for (;;) {
        const next = this.buffer.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.closed) {
          if (this.overflowed) throw new Error('Subscriber fell too far behind; resume with `after`');
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.take = take ?? null;
        });
        this.wake = null;
      }
    } finally {
      signal?.removeEventListener('abort', abort);
      this.close();
    }
  }
}
