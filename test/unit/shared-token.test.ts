import { afterEach, describe, expect, it } from 'vitest';
import { SharedToken } from '../../src/providers/shared-token.js';
import { createMemoryStore } from '../../src/store/memory.js';

describe('a client-credentials token shared through the store', () => {
  const store = createMemoryStore();
  afterEach(() => store.kv.delete('token'));

  /** A gateway instance's view of the token; `issued` is the provider's log of tokens it gave out. */
  function tokens(issued: string[], now = () => 0) {
    const issue = () => {
      const accessToken = `t${issued.length + 1}`;
      issued.push(accessToken);
      return Promise.resolve({ accessToken, expiresIn: 3600 });
    };
    return new SharedToken({ kv: store.kv, key: 'token', now, issue });
  }

  it('is issued once and then used by every instance', async () => {
    const issued: string[] = [];
    const first = tokens(issued);
    const second = tokens(issued);
    expect(await first.get()).toBe('t1');
    expect(await second.get()).toBe('t1');
    expect(issued).toEqual(['t1']);
  });

  it('is issued again shortly before it expires', async () => {
    const issued: string[] = [];
    let now = 0;
    const shared = tokens(issued, () => now);
    await shared.get();
    now = 3600_000 - 59_000; // within the last minute of its life
    expect(await shared.get()).toBe('t2');
  });

  it('a 401 drops only the token it was about, not one another instance has already replaced', async () => {
    const issued: string[] = [];
    const first = tokens(issued);
    const dead = await first.get();
    await first.invalidate(dead);
    const replaced = await tokens(issued).get();
    await first.invalidate(dead); // a late 401 for the old token
    expect(await first.get()).toBe(replaced);
  });

  it('requests that find no token at the same moment (after a 401) share one issue', async () => {
    const issued: string[] = [];
    const instance = tokens(issued);
    const dead = await instance.get();
    await instance.invalidate(dead);
    // E.g. the poller's reads and a create all answered 401 at once: one new token, not eight.
    const all = await Promise.all(Array.from({ length: 8 }, () => instance.get()));
    expect(new Set(all)).toEqual(new Set(['t2']));
    expect(issued).toEqual(['t1', 't2']);
  });

  it('instances that meet the same 401 at once issue one new token between them', async () => {
    const issued: string[] = [];
    const instances = Array.from({ length: 4 }, () => tokens(issued));
    const dead = await instances[0]!.get();
    await Promise.all(instances.map((instance) => instance.invalidate(dead)));
    const all = await Promise.all(instances.map((instance) => instance.get()));
    expect(new Set(all)).toEqual(new Set(['t2']));
    expect(issued).toEqual(['t1', 't2']);
  });
});
