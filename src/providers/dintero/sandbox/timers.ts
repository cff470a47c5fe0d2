/** The sandbox's timers (late callbacks, retries), all cleared on close so nothing outlives it. */
export class Timers {
  closed = false;
  private readonly handles = new Set<NodeJS.Timeout>();
  private readonly closeListeners = new Set<() => void>();

  /** Resolves after `ms`, or at once when the sandbox closes (callers check `closed`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const onClose = (): void => resolve();
      this.closeListeners.add(onClose);
      const handle = setTimeout(() => {
        this.handles.delete(handle);
        this.closeListeners.delete(onClose);
        resolve();
      }, ms);
      this.handles.add(handle);
    });
  }

  /** An AbortSignal that fires after `ms` or on close. */
  signal(ms: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const handle = setTimeout(abort, ms);
    this.handles.add(handle);
    this.closeListeners.add(abort);
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(handle);
        this.handles.delete(handle);
        this.closeListeners.delete(abort);
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}
