import { describe, expect, it } from 'vitest';
import { OperationListings, SharedListings } from '../../src/domain/orders/listing-share.js';
import type { ListedOrder, ProviderAdapter, ProviderListFilter } from '../../src/domain/provider-port.js';

/** An adapter that only lists, counting its calls; `fail` makes the next one fail. */
function countingAdapter() {
  const calls: ProviderListFilter[] = [];
  let fail = false;
  const adapter = {
    provider: 'PEI',
    listOrders: async (range: ProviderListFilter): Promise<ListedOrder[]> => {
      calls.push(range);
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) {
        fail = false;
        throw new Error('Pei is down');
      }
      return [];
    },
  } as unknown as ProviderAdapter;
  return { adapter, calls, failNext: () => (fail = true) };
}

describe('provider listings shared between requests (listing-share.ts)', () => {
  const range = { from: '2026-11-01', to: '2026-11-30' };

  it('joins a listing under way, hands a finished one out for shareMs, then lists again', async () => {
    let now = 0;
    const shared = new SharedListings(5000, () => new Date(now));
    const { adapter, calls } = countingAdapter();
    await Promise.all([shared.list(adapter, range), shared.list(adapter, range), shared.list(adapter, range)]);
    expect(calls).toHaveLength(1);
    now = 4999;
    await shared.list(adapter, range);
    expect(calls).toHaveLength(1);
    await shared.list(adapter, { ...range, to: '2026-11-29' });
    expect(calls).toHaveLength(2);
    now = 5000;
    await shared.list(adapter, range);
    expect(calls).toHaveLength(3);
  });

  it('with shareMs 0 shares only a listing under way', async () => {
    const shared = new SharedListings(0, () => new Date(0));
    const { adapter, calls } = countingAdapter();
    await Promise.all([shared.list(adapter, range), shared.list(adapter, range)]);
    await shared.list(adapter, range);
    expect(calls).toHaveLength(2);
  });

  it('keeps no failed listing: the next request asks again', async () => {
    const shared = new SharedListings(5000, () => new Date(0));
    const { adapter, calls, failNext } = countingAdapter();
    failNext();
    const both = await Promise.allSettled([shared.list(adapter, range), shared.list(adapter, range)]);
    expect(both.map((one) => one.status)).toEqual(['rejected', 'rejected']);
    await expect(shared.list(adapter, range)).resolves.toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('keeps at most 200 listings, forgetting the oldest', async () => {
    const shared = new SharedListings(60_000, () => new Date(0));
    const { adapter, calls } = countingAdapter();
    const day = (n: number) => ({ from: '2026-01-01', to: new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10) });
    for (let n = 0; n < 201; n++) await shared.list(adapter, day(n));
    await shared.list(adapter, day(200));
    expect(calls).toHaveLength(201);
    await shared.list(adapter, day(0));
    expect(calls).toHaveLength(202);
  });
});

describe("one operation's listings (listing-share.ts)", () => {
  it('runs one adoption per provider and range, and at most three ranges per provider', async () => {
    const operation = new OperationListings();
    const runs: string[] = [];
    const adopt = (name: string) => async () => void runs.push(name);
    await Promise.all([
      operation.once('PEI', { from: '2026-11-01' }, adopt('a')),
      operation.once('PEI', { from: '2026-11-01' }, adopt('a again')),
      operation.once('PEI', { from: '2026-11-02' }, adopt('b')),
      operation.once('PEI', { from: '2026-11-03' }, adopt('c')),
      operation.once('PEI', { from: '2026-11-04' }, adopt('d')),
      operation.once('INTERGIRO', { from: '2026-11-04' }, adopt('intergiro')),
    ]);
    expect(runs).toEqual(['a', 'b', 'c', 'intergiro']);
  });
});
