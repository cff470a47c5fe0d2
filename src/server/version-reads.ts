/**
 * An order's version as the store has it **after the asker arrived**, with as few store reads as
 * that allows: the read-cache's check on every hit (read-cache.ts), where one hot order may be
 * asked for thousands of times a second.
 *
 * Per order, at most one read is out. An asker shares a read that has not been sent yet; one
 * that arrives while a read is out (sent before it arrived, so it may miss a write acknowledged
 * just before) waits for the next read, and shares it with everyone else who arrived meanwhile.
 * Every asker thus gets a read sent after it arrived, and a hot order costs one read per store
 * round trip instead of one per asker.
 *
 * The next read is asked in a setImmediate after the one out settles, not at once: the clients
 * that read just answered send their next requests, and those arriving in the event loop's next
 * poll share that read instead of waiting for one more (on the read benchmark, one read per 11.5
 * hits instead of 8, and a tenth of a hit's CPU: each store write wakes Redis).
 *
 * When is a read sent? A store that reads when asked (the memory store, Redis without
 * auto-pipelining) has sent it at once. ioredis with auto-pipelining sends in a setImmediate
 * queued by the first command of the turn, so a read asked in this turn is shared until a
 * setImmediate queued after that one has run.
 */
export class VersionReads {
  private readonly reads = new Map<string, OrderReads>();

  constructor(
    private readonly read: (orderId: string) => Promise<number | null>,
    private readonly readsAtTurnEnd: boolean,
  ) {}

  /** The order's version, read after this call. */
  now(orderId: string): Promise<number | null> {
    const reads = this.reads.get(orderId);
    if (!reads) return this.send(orderId, { unsent: undefined, next: undefined });
    if (reads.unsent) return reads.unsent;
    reads.next ??= deferred();
    return reads.next.promise;
  }

  private send(orderId: string, reads: OrderReads): Promise<number | null> {
    this.reads.set(orderId, reads);
    const read = this.read(orderId);
    if (this.readsAtTurnEnd) {
      reads.unsent = read;
      setImmediate(() => {
        if (reads.unsent === read) reads.unsent = undefined;
      });
    }
    const settled = (): void => {
      if (reads.next) setImmediate(() => this.sendNext(orderId, reads));
      else if (this.reads.get(orderId) === reads) this.reads.delete(orderId);
    };
    read.then(settled, settled);
    return read;
  }

  /** The read the askers waiting since the last one settled share (with those who joined since). */
  private sendNext(orderId: string, reads: OrderReads): void {
    const next = reads.next!;
    reads.next = undefined;
    reads.unsent = undefined;
    this.send(orderId, reads).then(next.resolve, next.reject);
  }
}

interface OrderReads {
  /** A read asked this turn on a store that sends at the turn's end: still shareable. */
  unsent: Promise<number | null> | undefined;
  /** Askers that arrived while a read was out: they share the read asked after it settles. */
  next: Deferred | undefined;
}

interface Deferred {
  promise: Promise<number | null>;
  resolve: (version: number | null) => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  let reject!: Deferred['reject'];
  const promise = new Promise<number | null>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
