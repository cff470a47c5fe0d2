/**
 * Tokens a person makes to try the gateway: `npm run token` signs one with the configured
 * AUTH_JWT_SECRET (compose and split deployments), and a dev token kept from an earlier
 * `npm start` is refused with the reason (the dev secret is new at each start).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { signClientToken } from '../../src/server/auth.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS } from '../support/documents.js';
import { AUTH_SECRET, startTestEnvironment, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { recordSecrets, testLogger } from '../support/test-logs.js';

const run = promisify(execFile);

/** `npm run token -- <args>` with exactly this environment (plus PATH); never throws. */
async function mintToken(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it('mints a token with the configured secret that the gateway accepts, with the scopes, subject and lifetime asked for', async () => {
    const minted = await mintToken(['--sub', 'alice', '--scope', 'orders:read orders:manage', '--ttl', '2h'], { AUTH_JWT_SECRET: AUTH_SECRET });
    expect(minted).toMatchObject({ code: 0, stderr: '' });
    const token = minted.stdout.trim();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'alice', scope: 'orders:read orders:manage' });
    expect(claims.exp! - claims.iat!).toBe(7200);

    // orders:read lists; without orders:create it may not create.
    expect((await gqlOk(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO' } }, token)).orders.nodes).toBeInstanceOf(Array);
    const create = await gql(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '1.00', intergiro: { paymentType: 'LINK' } } }, token);
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('signs with AUTH_ISSUER and AUTH_AUDIENCE when the gateway checks them, and an hour by default', async () => {
    const checking = await env.startGateway({ auth: { jwtSecret: AUTH_SECRET, issuer: 'https://issuer.example', audience: 'payments' } });
    const minted = await mintToken(['--sub', 'bob', '--scope', 'orders:read'], { AUTH_JWT_SECRET: AUTH_SECRET, AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'payments' });
    const claims = decodeJwt(minted.stdout.trim());
    expect(claims).toMatchObject({ iss: 'https://issuer.example', aud: 'payments' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect((await gql(checking.url, GET_ORDER, { id: 'ord_unknown' }, minted.stdout.trim())).errors).toBeUndefined();
  });

  it('says in one line what is wrong, without a stack: no secret, an unknown scope, a bad lifetime', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--sub', 'alice', '--scope', 'orders:read'], {}, /AUTH_JWT_SECRET is not set/],
      [['--sub', 'alice', '--scope', 'orders:read orders:delete'], { AUTH_JWT_SECRET: AUTH_SECRET }, /unknown scope orders:delete/],
      [['--sub', 'alice', '--scope', 'orders:read', '--ttl', 'forever'], { AUTH_JWT_SECRET: AUTH_SECRET }, /--ttl forever is not a lifetime/],
      [['--scope', 'orders:read'], { AUTH_JWT_SECRET: AUTH_SECRET }, /--sub is required/],
    ];
    for (const [args, environment, message] of cases) {
      const failed = await mintToken(args, environment);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(message);
      expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a dev token from an earlier start', () => {
  const sandboxGateway = () =>
    startGateway(
      { port: 0, auth: {}, sandbox: true, sandboxSecrets: {}, reconcileIntervalMs: 200, providerTimeoutMs: 1500 },
      { logger: testLogger(), shutdownGraceMs: 200 },
    );
  let earlier: Gateway;
  let restarted: Gateway;

  beforeAll(async () => {
    [earlier, restarted] = [await sandboxGateway(), await sandboxGateway()];
    recordSecrets([earlier.authSecret, restarted.authSecret]);
  });
  afterAll(() => Promise.all([earlier.close(), restarted.close()]));

  it('is refused with the reason: the dev secret is new at each start', async () => {
    const refused = await gql(restarted.url, GET_ORDER, { id: 'ord_unknown' }, earlier.devToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toMatch(/dev secret, which is new at each start/);
    expect(refused.raw).not.toContain(earlier.devToken!);
    // This start's own dev token works.
    expect((await gql(restarted.url, GET_ORDER, { id: 'ord_unknown' }, restarted.devToken)).errors).toBeUndefined();
  });

  it('a gateway with a configured secret does not talk of dev secrets', async () => {
    const env = await startTestEnvironment('memory');
    try {
      const gateway = await env.startGateway();
      const forged = await signClientToken('another-secret-entirely-0000000000', { sub: 'x', scope: 'orders:read' });
      const refused = await gql(gateway.url, GET_ORDER, { id: 'ord_unknown' }, forged);
      expect(refused.errors?.[0]?.message).toBe('The bearer token is not valid');
    } finally {
      await env.close();
    }
  });
});
