import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/domain/caller.js';
import { GatewayError } from '../../src/domain/errors.js';
import { createAuthenticator, signClientToken, type Authenticator } from '../../src/server/auth.js';
import { createCachingAuthenticator } from '../../src/server/token-cache.js';

const secret = 'unit-test-secret-0123456789abcdef';

/** The real authenticator, counting how often it is asked (how often jose runs). */
function counted(): Authenticator & { calls: number } {
  const real = createAuthenticator({ jwtSecret: secret });
  const counter = {
    calls: 0,
    authenticate(authorization: string | null | undefined): Promise<Caller> {
      counter.calls++;
      return real.authenticate(authorization);
    },
  };
  return counter;
}

async function code(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'accepted';
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
}

describe('verified-token cache', () => {
  it('verifies a token once and answers the same caller afterwards', async () => {
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 10 });
    const header = `Bearer ${await signClientToken(secret, { sub: 'shop', scope: 'orders:create orders:read' })}`;
    const first = await cache.authenticate(header);
    const second = await cache.authenticate(header);
    expect(inner.calls).toBe(1);
    expect(second.sub).toBe('shop');
    expect([...second.scopes]).toEqual([...first.scopes]);
  });

  it('remembers (without waiting) only a token it verified, and only until its exp', async () => {
    let now = Date.now();
    const cache = createCachingAuthenticator(counted(), { maxEntries: 10, now: () => now });
    const header = `Bearer ${await signClientToken(secret, { sub: 'shop', scope: 'orders:read' }, '30s')}`;
    expect(cache.remembered!(header)).toBeUndefined();
    await cache.authenticate(header);
    expect(cache.remembered!(header)?.sub).toBe('shop');
    expect(cache.remembered!(`Bearer ${await signClientToken(secret, { sub: 'other', scope: 'orders:read' })}`)).toBeUndefined();
    now += 31_000;
    expect(cache.remembered!(header)).toBeUndefined();
  });

  it("never believes a token past its exp: it goes back to the verifier, which refuses it", async () => {
    let now = Date.now();
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 10, now: () => now });
    const token = await signClientToken(secret, { sub: 'shop', scope: 'orders:read' }, '30s');
    const header = `Bearer ${token}`;
    await cache.authenticate(header);
    now += 29_000;
    await cache.authenticate(header);
    expect(inner.calls).toBe(1);
    now += 2_000; // past exp by the cache's clock
    await cache.authenticate(header);
    expect(inner.calls).toBe(2);

    const expired = await signClientToken(secret, { sub: 'shop', scope: 'orders:read' }, Math.floor(Date.now() / 1000) - 10);
    expect(await code(cache.authenticate(`Bearer ${expired}`))).toBe('UNAUTHENTICATED');
    expect(await code(cache.authenticate(`Bearer ${expired}`))).toBe('UNAUTHENTICATED');
  });

  it('re-verifies after maxAge even when exp is far away (a key removed from a JWKS stops working)', async () => {
    let now = Date.now();
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 10, maxAgeMs: 1_000, now: () => now });
    const header = `Bearer ${await signClientToken(secret, { sub: 'shop', scope: 'orders:read' }, '1h')}`;
    await cache.authenticate(header);
    now += 1_001;
    await cache.authenticate(header);
    expect(inner.calls).toBe(2);
  });

  it('does not cache refusals: a bad token is refused every time, with the same code', async () => {
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 10 });
    const forged = await signClientToken('another-secret-0123456789abcdef', { sub: 'shop', scope: 'orders:read' });
    expect(await code(cache.authenticate(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
    expect(await code(cache.authenticate(`Bearer ${forged}`))).toBe('UNAUTHENTICATED');
    expect(await code(cache.authenticate(undefined))).toBe('UNAUTHENTICATED');
    expect(inner.calls).toBe(3);
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 2 });
    const headers = await Promise.all(['a', 'b', 'c'].map(async (sub) => `Bearer ${await signClientToken(secret, { sub, scope: 'orders:read' })}`));
    for (const header of headers) await cache.authenticate(header);
    expect(inner.calls).toBe(3);
    await cache.authenticate(headers[2]!);
    await cache.authenticate(headers[1]!);
    expect(inner.calls).toBe(3);
    await cache.authenticate(headers[0]!); // evicted
    expect(inner.calls).toBe(4);
  });

  it('keeps one entry per token: other spellings of the header are verified each time, not kept (security probe 2)', async () => {
    const inner = counted();
    const cache = createCachingAuthenticator(inner, { maxEntries: 10 });
    const token = await signClientToken(secret, { sub: 'shop', scope: 'orders:create' });
    // Padded spellings the authenticator takes: each a 16 KB key before, filling the cache from one token.
    const padded = [2, 3, 4, 5].map((spaces) => `Bearer${' '.repeat(spaces)}${token}`);
    for (const header of [...padded, ...padded]) expect((await cache.authenticate(header)).sub).toBe('shop');
    expect(inner.calls).toBe(8);
    expect(cache.remembered!(padded[0]!)).toBeUndefined();
    // The usual spelling is kept as before.
    await cache.authenticate(`Bearer ${token}`);
    await cache.authenticate(`Bearer ${token}`);
    expect(inner.calls).toBe(9);
  });

  it('is the plain authenticator when the size is 0', async () => {
    const inner = counted();
    expect(createCachingAuthenticator(inner, { maxEntries: 0 })).toBe(inner);
  });
});
