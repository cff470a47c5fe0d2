/**
 * A sandbox's real timers (settling, callback retries and timeouts, the hanging "timeout" fault),
 * every one cleared on close so a closed sandbox leaves nothing running in the test process.
 */
export class Timers {
  closed = false;
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly closeListeners = new Set<() => void>();

  set(callback: () => void, ms: number): NodeJS.Timeout {
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    this.handles.add(handle);
    return handle;
  }

  clear(handle: NodeJS.Timeout | undefined): void {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.handles.delete(handle);
  }

  /** Resolves after `ms`, or at once when the sandbox closes (callers check `closed`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const unsubscribe = this.onClose(resolve);
      this.set(() => {
        unsubscribe();
        resolve();
      }, ms);
    });
  }

  /** An AbortSignal that fires after `ms` or on close; call `done()` once it is no longer needed. */
  signal(ms: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const handle = this.set(abort, ms);
    const unsubscribe = this.onClose(abort);
    return {
      signal: controller.signal,
      done: () => {
        this.clear(handle);
        unsubscribe();
      },
    };
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}
