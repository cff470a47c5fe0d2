import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS } from '../../src/server/auth.js';
import { GET_ORDER } from '../support/documents.js';
import { gql } from '../support/graphql.js';
import { getWithHost } from '../support/host-header.js';
import { testLogger } from '../support/test-logs.js';

/*
 * The dev token (all scopes) is minted, printed and put into GraphiQL only when the gateway signs
 * with a secret it made up itself; with an operator's AUTH_JWT_SECRET (or a JWKS) such a token
 * would be valid wherever that secret is. A sandbox gateway listens on loopback unless HOST says.
 */

const graphiql = async (gateway: Gateway): Promise<string> => (await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } })).text();
const addressOf = (gateway: Gateway): string => (gateway.server.address() as AddressInfo).address;

describe('the dev token and where a sandbox gateway listens', () => {
  let gateway: Gateway | undefined;
  const start = async (env: Record<string, string>): Promise<Gateway> => {
    gateway = await startGateway(loadConfig({ PORT: '0', ...env }), { logger: testLogger(), shutdownGraceMs: 200, pollerDisabled: true });
    return gateway;
  };
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('with its own random secret: mints a dev token no longer-lived than tokens may be, and listens on 127.0.0.1', async () => {
    const own = await start({});
    expect(own.devToken).toBeDefined();
    const claims = decodeJwt(own.devToken!);
    expect(claims.exp! - claims.iat!).toBe(DEFAULT_MAX_TOKEN_TTL_SECONDS);
    expect(await graphiql(own)).toContain(own.devToken!);
    // The gateway accepts it (it complies with its own lifetime rule).
    expect((await gql(own.url, GET_ORDER, { id: 'ord_unknown' }, own.devToken)).data).toEqual({ order: null });
    expect(addressOf(own)).toBe('127.0.0.1');
  });

  it("does not let another site's page read GraphiQL, which carries the dev token", async () => {
    const own = await start({});
    // A page elsewhere may fetch the gateway on localhost without a preflight (Accept is a
    // safelisted header); CORS decides whether it may read the answer.
    const page = await fetch(`${own.url}/graphql`, { headers: { accept: 'text/html', origin: 'https://evil.example' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(own.devToken!);
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    // GraphQL itself still answers other origins (a shop's frontend with its own token).
    const query = await fetch(`${own.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(query.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('puts the dev token into GraphiQL only for a loopback Host: a DNS-rebound name gets GraphiQL without it', async () => {
    const own = await start({});
    const port = new URL(own.url).port;
    const page = (host: string) => getWithHost(own.url, '/graphql', host, { accept: 'text/html' });
    // A page at http://evil.example:4711 whose name now resolves to 127.0.0.1 reads the gateway
    // as its own origin (CORS does not apply), with its own name in Host.
    for (const host of ['evil.example:4711', `evil.example:${port}`, 'localhost.evil.example', '127.0.0.1.nip.io:4711']) {
      const rebound = await page(host);
      expect(rebound.status, host).toBe(200);
      expect(rebound.body, host).toContain('Payments gateway');
      expect(rebound.body, host).not.toContain(own.devToken!);
      expect(rebound.body, host).not.toMatch(/eyJ[\w-]+\.eyJ/);
    }
    for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST:4711']) {
      expect((await page(host)).body, host).toContain(own.devToken!);
    }
  });

  it("puts the dev token into GraphiQL for PUBLIC_URL's host too, at any port", async () => {
    const published = await start({ PUBLIC_URL: 'http://devbox.internal:4000' });
    expect((await getWithHost(published.url, '/graphql', 'devbox.internal:8080', { accept: 'text/html' })).body).toContain(published.devToken!);
    expect((await getWithHost(published.url, '/graphql', 'evil.example', { accept: 'text/html' })).body).not.toContain(published.devToken!);
  });

  it('with AUTH_MAX_TOKEN_TTL set: the dev token lives exactly that long', async () => {
    const short = await start({ AUTH_MAX_TOKEN_TTL: '2h' });
    const claims = decodeJwt(short.devToken!);
    expect(claims.exp! - claims.iat!).toBe(7200);
  });

  it("with the operator's AUTH_JWT_SECRET: no dev token at all, none in GraphiQL", async () => {
    const operator = await start({ AUTH_JWT_SECRET: 'operator-chosen-secret-0123456789' });
    expect(operator.devToken).toBeUndefined();
    expect(await graphiql(operator)).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('listens where HOST says, in sandbox mode too', async () => {
    expect(addressOf(await start({ HOST: '0.0.0.0' }))).toBe('0.0.0.0');
  });
});
