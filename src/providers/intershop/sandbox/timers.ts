/** The Intershop sandbox's timers (PSP notifications), all cleared on close. */
export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();

  set(callback: () => void, ms: number): void {
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      callback();
    }, ms);
    this.handles.add(handle);
  }

  close(): void {
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}
