/**
 * Round twenty-five of Dintero: the session expiries kept for sessions Dintero may sweep away
 * (src/providers/dintero/session-expiries.ts) are written to the store only when they change. The
 * poller reads a waiting order's session on every turn; before, each read wrote its (unchanged)
 * expiry again. On the real stores (memory and Redis), their writes counted by a wrapper around
 * the store's own key-values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionExpiryStore } from '../../src/providers/dintero/session-expiries.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { KeyValueStore, Store } from '../../src/store/types.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** The store's key-values, every `set` counted (and passed on). */
function countingSets(kv: KeyValueStore): { kv: KeyValueStore; sets: () => number } {
  let sets = 0;
  const counted: KeyValueStore = Object.create(kv) as KeyValueStore;
  counted.get = (key) => kv.get(key);
  counted.set = (key, value, ttlMs) => {
    sets++;
    return kv.set(key, value, ttlMs);
  };
  return { kv: counted, sets: () => sets };
}

describe.each(['memory', 'redis'] as const)('Dintero session expiries (%s store)', (kind) => {
  let redis: RedisServer | undefined;
  let store: Store;

  beforeAll(async () => {
    redis = kind === 'redis' ? await startRedisServer() : undefined;
    store = redis ? createRedisStore({ url: redis.url, onError: () => undefined }) : createMemoryStore();
  });
  afterAll(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('an expiry read again unchanged on every poller turn is written once; a changed one is written again', async () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const { kv, sets } = countingSets(store.kv);
    const expiries = createSessionExpiryStore(kv, `T-r25-${kind}`, () => now);
    const expiresAt = now + 20 * 60_000;
    for (let turn = 0; turn < 5; turn++) await expiries.keep('session-a', expiresAt);
    // Before: 5 writes, one per turn.
    expect(sets()).toBe(1);
    expect(await expiries.get('session-a')).toBe(expiresAt);
    // Dintero moved the expiry (a buyer's extension, a profile's change): written, then read back.
    await expiries.keep('session-a', expiresAt + 60_000);
    await expiries.keep('session-a', expiresAt + 60_000);
    expect(sets()).toBe(2);
    expect(await expiries.get('session-a')).toBe(expiresAt + 60_000);
    // Another session is another key.
    await expiries.keep('session-b', expiresAt);
    expect(sets()).toBe(3);
    expect(await expiries.get('session-b')).toBe(expiresAt);
  });

  it('a store whose read fails still writes (best effort, as before)', async () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const { kv, sets } = countingSets(store.kv);
    kv.get = () => Promise.reject(new Error('store read down'));
    const expiries = createSessionExpiryStore(kv, `T-r25-failing-${kind}`, () => now);
    await expiries.keep('session-c', now + 60_000);
    expect(sets()).toBe(1);
    expect(await store.kv.get(`dintero:session-expiry:T-r25-failing-${kind}:session-c`)).toBe(String(now + 60_000));
  });
});
