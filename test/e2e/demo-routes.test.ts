/**
 * The demo's HTTP surface without a browser: served only in sandbox mode, its token endpoint
 * hands out short-lived orders:create tokens (one `sub` per visitor, never the dev token's
 * scopes), and the bundled app is built from the typed client.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS } from '../support/documents.js';
import { startTestEnvironment, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { getWithHost } from '../support/host-header.js';

const linkOrder = { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'LINK' } } as const;

async function demoToken(gateway: Gateway): Promise<string> {
  const response = await fetch(`${gateway.url}/demo/token`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return ((await response.json()) as { token: string }).token;
}

describe('demo routes in sandbox mode', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway(loadConfig({ PORT: '0' }), { logger: silentLogger, shutdownGraceMs: 200, pollerDisabled: true });
  });
  afterAll(() => gateway?.close());

  it('serves the page with a CSP that keeps it to its own origin', async () => {
    const response = await fetch(`${gateway.url}/demo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/demo/app.js"></script>');
    expect(html).toContain('data-persisted="off"');
  });

  it("lets the page frame only the Intergiro sandbox's 3-D Secure pages, and post the step's form only there", async () => {
    const csp = (await fetch(`${gateway.url}/demo`)).headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
    const acs = new URL(gateway.sandboxes.intergiro!.url).origin;
    expect(directives.get('frame-src')).toEqual([acs]);
    expect(directives.get('form-action')).toEqual(["'self'", acs]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('hands out tokens only to a loopback Host: a DNS-rebound name gets 403 and no token', async () => {
    const port = new URL(gateway.url).port;
    for (const host of ['evil.example:4711', `evil.example:${port}`, 'localhost.evil.example']) {
      const refused = await getWithHost(gateway.url, '/demo/token', host);
      expect(refused.status, host).toBe(403);
      expect(refused.body, host).not.toMatch(/eyJ/);
      expect(JSON.parse(refused.body).error).toMatch(/localhost/);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const given = await getWithHost(gateway.url, '/demo/token', host);
      expect(given.status, host).toBe(200);
      expect(decodeJwt(JSON.parse(given.body).token).scope).toBe('orders:create');
    }
  });

  it('serves the app bundled from the typed client, with no token or secret in it', async () => {
    const response = await fetch(`${gateway.url}/demo/app.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    const app = await response.text();
    expect(app).toContain('mutation CheckoutCreateOrder');
    expect(app).toContain('subscription CheckoutWatchOrder');
    expect(app).toContain('mutation CheckoutContinueOrder');
    expect(app).not.toContain(gateway.devToken!);
    expect(app).not.toContain(gateway.authSecret!);
  });

  it('hands each visitor its own short-lived orders:create token', async () => {
    const [first, second] = [decodeJwt(await demoToken(gateway)), decodeJwt(await demoToken(gateway))];
    expect(first.scope).toBe('orders:create');
    expect(first.sub).toMatch(/^demo-[0-9a-f-]{36}$/);
    expect(second.sub).not.toBe(first.sub);
    expect(first.exp! - first.iat!).toBe(30 * 60);
  });

  it("a visitor's token creates orders but sees no one else's and lists nothing", async () => {
    const [mine, theirs] = [await demoToken(gateway), await demoToken(gateway)];
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, mine)).createOrder;
    expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, mine)).order?.id).toBe(order.id);
    expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, theirs)).order).toBeNull();
    const list = await gql(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO' } }, mine);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers 405 to anything but GET and 404 to unknown demo paths', async () => {
    expect((await fetch(`${gateway.url}/demo/token`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${gateway.url}/demo/secrets`)).status).toBe(404);
  });
});

describe('demo routes outside sandbox mode', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway(); // sandbox: false, as against real providers
  });
  afterAll(() => env.close());

  it('does not exist: no page, no app, and above all no token', async () => {
    for (const path of ['/demo', '/demo/app.js', '/demo/token']) {
      expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe('demo routes in sandbox mode with an operator-set AUTH_JWT_SECRET', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    // A secret the operator chose may be the one of other deployments (as the dev token's rule
    // says): a token signed with it here would be valid there too.
    gateway = await startGateway(loadConfig({ PORT: '0', AUTH_JWT_SECRET: 'operator-chosen-secret-shared-0123456789' }), {
      logger: silentLogger,
      shutdownGraceMs: 200,
      pollerDisabled: true,
    });
  });
  afterAll(() => gateway?.close());

  it('hands out no token (nor the page that asks for one), as it prints no dev token', async () => {
    expect(gateway.devToken).toBeUndefined();
    for (const path of ['/demo', '/demo/app.js', '/demo/token']) {
      expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(404);
    }
  });
});
