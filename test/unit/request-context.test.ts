/**
 * The request context is held only while some run may still read it (src/observability/
 * request-context.ts): with none left, the storage is off and a cached read pays no hook.
 */
import { describe, expect, it } from 'vitest';
import { bindAsyncIterable, currentRequestContext, requestContextsInUse, runWithRequestContext } from '../../src/observability/request-context.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('the request context', () => {
  it('is read by everything a run awaits, and held until its promise settles', async () => {
    const gate = deferred();
    const seen: (string | undefined)[] = [];
    const run = runWithRequestContext({ requestId: 'req-awaits' }, async () => {
      seen.push(currentRequestContext()?.requestId);
      await gate.promise;
      await tick();
      seen.push(currentRequestContext()?.requestId);
    });
    expect(requestContextsInUse()).toBe(true);
    await tick();
    expect(requestContextsInUse()).toBe(true);
    gate.resolve();
    await run;
    await tick();
    expect(seen).toEqual(['req-awaits', 'req-awaits']);
    expect(requestContextsInUse()).toBe(false);
    expect(currentRequestContext()).toBeUndefined();
  });

  it('is released by a run that returns at once, throws, or rejects', async () => {
    expect(runWithRequestContext({ requestId: 'req-sync' }, () => currentRequestContext()?.requestId)).toBe('req-sync');
    expect(requestContextsInUse()).toBe(false);

    expect(() =>
      runWithRequestContext({ requestId: 'req-throws' }, () => {
        throw new Error('thrown');
      }),
    ).toThrow('thrown');
    expect(requestContextsInUse()).toBe(false);

    await expect(runWithRequestContext({ requestId: 'req-rejects' }, async () => Promise.reject(new Error('rejected')))).rejects.toThrow('rejected');
    await tick();
    expect(requestContextsInUse()).toBe(false);
  });

  it('is held until `until` settles too, and read by work that waits for it (an SSE stream written after its handler returned)', async () => {
    const closed = deferred();
    const later = deferred<string | undefined>();
    await runWithRequestContext(
      { requestId: 'req-until' },
      async () => {
        void closed.promise.then(() => later.resolve(currentRequestContext()?.requestId));
      },
      closed.promise,
    );
    await tick();
    expect(requestContextsInUse()).toBe(true);
    closed.resolve();
    expect(await later.promise).toBe('req-until');
    await tick();
    expect(requestContextsInUse()).toBe(false);
  });

  it('counts nested and concurrent runs: held until the last has finished, each reading its own', async () => {
    const outerGate = deferred();
    const innerGate = deferred();
    const seen: Record<string, string | undefined> = {};
    const outer = runWithRequestContext({ requestId: 'outer' }, async () => {
      const inner = runWithRequestContext({ requestId: 'inner' }, async () => {
        await innerGate.promise;
        seen.inner = currentRequestContext()?.requestId;
      });
      await outerGate.promise;
      seen.outer = currentRequestContext()?.requestId;
      return inner;
    });
    const other = runWithRequestContext({ requestId: 'other' }, async () => {
      await tick();
      seen.other = currentRequestContext()?.requestId;
    });
    await other;
    await tick();
    expect(requestContextsInUse()).toBe(true);
    outerGate.resolve();
    await tick();
    expect(requestContextsInUse()).toBe(true); // the inner run is still waiting
    innerGate.resolve();
    await outer;
    await tick();
    expect(seen).toEqual({ outer: 'outer', inner: 'inner', other: 'other' });
    expect(requestContextsInUse()).toBe(false);
  });

  it("holds a bound stream's context while a step is pending, not between steps", async () => {
    const steps: Array<ReturnType<typeof deferred<IteratorResult<string | undefined>>>> = [];
    const source: AsyncIterable<string | undefined> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const step = deferred<IteratorResult<string | undefined>>();
          steps.push(step);
          const requestId = currentRequestContext()?.requestId;
          return step.promise.then((result) => (result.done ? result : { value: requestId, done: false }));
        },
      }),
    };
    const bound = bindAsyncIterable({ requestId: 'stream' }, source);
    const first = bound.next();
    expect(requestContextsInUse()).toBe(true);
    steps[0]!.resolve({ value: undefined, done: false });
    expect((await first).value).toBe('stream');
    await tick();
    expect(requestContextsInUse()).toBe(false);
    const end = bound.next();
    steps[1]!.resolve({ value: undefined, done: true });
    expect((await end).done).toBe(true);
    await tick();
    expect(requestContextsInUse()).toBe(false);
  });
});
