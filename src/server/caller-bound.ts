/**
 * A count per caller (token `sub`) of something it holds open, bounded: its subscriptions
 * (subscription-limit.ts), its sockets and streams (socket-limit.ts). `max` 0: no bound.
 */
export interface CallerBound {
  readonly max: number;
  /** Counts one more for `sub`; its release (idempotent: call when it closes), or undefined when it is over the bound. */
  open(sub: string): (() => void) | undefined;
}

export function createCallerBound(max: number): CallerBound {
  const open = new Map<string, number>();
  return {
    max,
    open(sub) {
      const count = open.get(sub) ?? 0;
      if (max > 0 && count >= max) return undefined;
      open.set(sub, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(sub) ?? 1) - 1;
        if (left > 0) open.set(sub, left);
        else open.delete(sub);
      };
    },
  };
}
