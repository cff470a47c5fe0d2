import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepingLast, readPastLag } from '../../src/providers/read-lag.js';

/** A provider read that answers `answers` in turn (an Error is thrown) and notes when each read came (ms since the start). */
function scriptedRead<T>(answers: (T | Error)[]) {
  const start = Date.now();
  const at: number[] = [];
  const read = async (): Promise<T> => {
    at.push(Date.now() - start);
    const answer = answers[at.length - 1];
    if (answer === undefined) throw new Error(`read ${at.length} was not expected`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { read, at };
}

const WAITS = [250, 500, 1000];

describe('readPastLag: a provider read asked again while it lags the write', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a first read that shows the write is answered at once, no wait taken', async () => {
    const { read, at } = scriptedRead(['shown']);
    await expect(readPastLag(read, (order) => order === null, WAITS)).resolves.toBe('shown');
    expect(at).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads again after each wait in turn, and stops at the first read that is not lagging', async () => {
    const { read, at } = scriptedRead<string | null>([null, null, 'shown']);
    const answer = readPastLag(read, (order) => order === null, WAITS);
    await vi.advanceTimersByTimeAsync(249);
    expect(at).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(at).toEqual([0, 250]);
    // The second wait is the second of the list (500), not the first again.
    await vi.advanceTimersByTimeAsync(499);
    expect(at).toEqual([0, 250]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe('shown');
    expect(at).toEqual([0, 250, 750]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers the last read once every wait has passed, lagging or not, without asking lagging of it', async () => {
    const { read, at } = scriptedRead([1, 2, 3, 4]);
    const asked: number[] = [];
    const answer = readPastLag(
      read,
      (count) => {
        asked.push(count);
        return true;
      },
      WAITS,
    );
    await vi.advanceTimersByTimeAsync(1750);
    await expect(answer).resolves.toBe(4);
    expect(at).toEqual([0, 250, 750, 1750]);
    expect(asked).toEqual([1, 2, 3]);
  });

  it('with no waits, reads once and answers that read', async () => {
    const { read, at } = scriptedRead<string | null>([null]);
    await expect(readPastLag(read, (order) => order === null, [])).resolves.toBeNull();
    expect(at).toEqual([0]);
  });

  it('a read that throws ends it: the error propagates and nothing more is read', async () => {
    const failure = new Error('provider unavailable');
    const { read, at } = scriptedRead<string | null>([null, failure, 'shown']);
    const answer = readPastLag(read, (order) => order === null, WAITS);
    const settled = expect(answer).rejects.toBe(failure);
    await vi.advanceTimersByTimeAsync(2000);
    await settled;
    expect(at).toEqual([0, 250]);
  });

  it('a first read that throws propagates at once', async () => {
    const failure = new Error('refused');
    const { read, at } = scriptedRead<string | null>([failure]);
    await expect(readPastLag(read, (order) => order === null, WAITS)).rejects.toBe(failure);
    expect(at).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('keepingLast: a read again whose failure keeps the read before', () => {
  it('answers the read before where a read fails or answers null, and null before any', async () => {
    const { read } = scriptedRead<string | null>([new Error('timeout'), 'first', new Error('timeout'), null, 'second']);
    const again = keepingLast(read);
    expect(await again()).toBeNull();
    expect(await again()).toBe('first');
    expect(await again()).toBe('first');
    expect(await again()).toBe('first');
    expect(await again()).toBe('second');
  });

  it('inside readPastLag, a second read that fails leaves the first one answered', async () => {
    vi.useFakeTimers();
    try {
      const first = { shows: false };
      const { read, at } = scriptedRead<{ shows: boolean } | null>([first, new Error('timeout')]);
      const answer = readPastLag(keepingLast(read), (order) => order !== null && !order.shows, [750]);
      await vi.advanceTimersByTimeAsync(750);
      await expect(answer).resolves.toBe(first);
      expect(at).toEqual([0, 750]);
    } finally {
      vi.useRealTimers();
    }
  });
});
