import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { createAuthenticator, signClientToken } from '../../src/server/auth.js';

async function rejection(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'accepted';
  } catch (error) {
    return error instanceof GatewayError ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('client token verification (CONTRACT §4)', () => {
  const secret = 'unit-test-secret-0123456789abcdef';

  it('reads sub and the space-separated scopes of an HS256 token', async () => {
    const caller = await createAuthenticator({ jwtSecret: secret }).authenticate(`Bearer ${await signClientToken(secret, { sub: 'shop', scope: 'orders:create orders:read' })}`);
    expect(caller.sub).toBe('shop');
    expect([...caller.scopes]).toEqual(['orders:create', 'orders:read']);
  });

  it('checks issuer and audience when they are configured', async () => {
    const auth = createAuthenticator({ jwtSecret: secret, issuer: 'https://idp.example', audience: 'payments-gateway' });
    const good = await signClientToken(secret, { sub: 's', scope: 'orders:read', issuer: 'https://idp.example', audience: 'payments-gateway' });
    expect((await auth.authenticate(`Bearer ${good}`)).sub).toBe('s');
    const wrongAudience = await signClientToken(secret, { sub: 's', scope: 'orders:read', issuer: 'https://idp.example', audience: 'another-api' });
    expect(await rejection(auth.authenticate(`Bearer ${wrongAudience}`))).toMatch(/^UNAUTHENTICATED/);
    const noIssuer = await signClientToken(secret, { sub: 's', scope: 'orders:read', audience: 'payments-gateway' });
    expect(await rejection(auth.authenticate(`Bearer ${noIssuer}`))).toMatch(/^UNAUTHENTICATED/);
  });

  it('refuses a token without a subject, and a malformed header', async () => {
    const auth = createAuthenticator({ jwtSecret: secret });
    const noSub = await new SignJWT({ scope: 'orders:read' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    expect(await rejection(auth.authenticate(`Bearer ${noSub}`))).toMatch(/no subject/);
    expect(await rejection(auth.authenticate('Basic abc'))).toMatch(/^UNAUTHENTICATED/);
  });

  describe('with a JWKS (AUTH_JWKS_URL)', () => {
    let server: Server;
    let jwksUrl: string;
    let sign: (claims: Record<string, unknown>) => Promise<string>;

    beforeAll(async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('back-office').setExpirationTime('5m').sign(privateKey);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('accepts an RS256 token signed with a published key', async () => {
      const caller = await createAuthenticator({ jwksUrl }).authenticate(`Bearer ${await sign({ scope: 'orders:read orders:manage' })}`);
      expect(caller).toMatchObject({ sub: 'back-office' });
      expect(caller.scopes.has('orders:manage')).toBe(true);
    });

    it('refuses an HS256 token when only the JWKS is configured, and an unsigned one', async () => {
      const auth = createAuthenticator({ jwksUrl });
      expect(await rejection(auth.authenticate(`Bearer ${await signClientToken(secret, { sub: 'x', scope: 'orders:read' })}`))).toMatch(/^UNAUTHENTICATED/);
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ sub: 'x', scope: 'orders:read' })).toString('base64url');
      expect(await rejection(auth.authenticate(`Bearer ${header}.${body}.`))).toMatch(/^UNAUTHENTICATED/);
    });
  });
});
