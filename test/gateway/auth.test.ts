import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { signClientToken } from '../../src/server/auth.js';
import { CREATE_ORDER, GET_ORDER, LIST_ORDERS, WATCH_ORDER, type OrderView } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { connectRaw, gql, gqlOk, subscribe } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';

const linkOrder = intergiroLinkOrder('10.00');

describe.each(STORE_KINDS)('authentication and scopes (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shopToken: string;
  let mine: OrderView;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    shopToken = await tokenFor('orders:create', 'shop-a');
    mine = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shopToken)).createOrder;
  });
  afterAll(() => env.close());

  it('refuses a request without a token with UNAUTHENTICATED and HTTP 401', async () => {
    const result = await gql(gateway.url, GET_ORDER, { id: mine.id });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const expired = await signClientToken('test-auth-secret-0123456789abcdef', { sub: 'shop-a', scope: 'orders:create' }, Math.floor(Date.now() / 1000) - 60);
    const result = await gql(gateway.url, GET_ORDER, { id: mine.id }, expired);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/expired/);
  });

  it('refuses a token signed with another key, and an unsigned (alg none) one', async () => {
    const forged = await signClientToken('another-secret-entirely-0000000000', { sub: 'shop-a', scope: 'orders:read' });
    expect((await gql(gateway.url, GET_ORDER, { id: mine.id }, forged)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', scope: 'orders:read', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    expect((await gql(gateway.url, GET_ORDER, { id: mine.id }, `${header}.${payload}.`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('needs orders:create to create and orders:read to list', async () => {
    const reader = await tokenFor('orders:read', 'back-office');
    const create = await gql(gateway.url, CREATE_ORDER, { input: linkOrder }, reader);
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await gql(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO' } }, shopToken);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("hides another owner's order: null to read, NOT_FOUND (as for an unknown id) to continue or watch", async () => {
    const other = await tokenFor('orders:create', 'shop-b');
    expect((await gqlOk(gateway.url, GET_ORDER, { id: mine.id }, other)).order).toBeNull();
    expect((await gqlOk(gateway.url, GET_ORDER, { id: mine.id }, shopToken)).order?.id).toBe(mine.id);
    const cont = await gql(gateway.url, 'mutation($id: ID!) { continueOrderCreation(input: {orderId: $id, threeDS: {}}) { id } }', { id: mine.id }, other);
    expect(cont.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const watch = subscribe(gateway.url, other, WATCH_ORDER, { orderId: mine.id });
    // graphql-ws answers a refused subscription with one `next` carrying the error, then `complete`.
    await watch.done;
    expect(watch.messages).toEqual([]);
    expect(JSON.stringify(watch.errors)).toContain('NOT_FOUND');
    await watch.dispose();
  });

  it('lets a back office (orders:read) see any order', async () => {
    const reader = await tokenFor('orders:read', 'back-office');
    expect((await gqlOk(gateway.url, GET_ORDER, { id: mine.id }, reader)).order?.id).toBe(mine.id);
  });

  it('applyOrderEvents needs orders:manage', async () => {
    const result = await gql(gateway.url, 'mutation($id: ID!) { applyOrderEvents(input: [{orderId: $id, events: [{type: CANCEL}]}]) { id } }', { id: mine.id }, shopToken);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('closes a WebSocket with 4401 for a missing or bad token and 4403 without an orders scope, before any subscription', async () => {
    expect(await connectRaw(gateway.url, undefined)).toEqual({ acked: false, closeCode: 4401 });
    expect(await connectRaw(gateway.url, { Authorization: 'Bearer not-a-jwt' })).toEqual({ acked: false, closeCode: 4401 });
    const noScope = await tokenFor('profile:read', 'someone');
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${noScope}` })).toEqual({ acked: false, closeCode: 4403 });
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${shopToken}` })).toEqual({ acked: true, closeCode: 1000 });
    // The upgrade request's own Authorization header is accepted too.
    expect(await connectRaw(gateway.url, undefined, { authorization: `Bearer ${shopToken}` })).toEqual({ acked: true, closeCode: 1000 });
  });

  it("takes the upgrade request's Authorization header only from a client that is not another site's page", async () => {
    // A page cannot set that header on a WebSocket itself: on a browser's upgrade (which always
    // names its Origin) it was put there by something in front of the gateway, e.g. a proxy that
    // turns the browser's session cookie into a bearer token. Another site's page would ride it.
    const host = new URL(gateway.url).host;
    const proxied = { authorization: `Bearer ${shopToken}` };
    expect(await connectRaw(gateway.url, undefined, { ...proxied, origin: 'https://evil.example' })).toEqual({ acked: false, closeCode: 4401 });
    // The gateway's own origin (a page it serves), and a client that names none, as before.
    expect(await connectRaw(gateway.url, undefined, { ...proxied, origin: `http://${host}` })).toEqual({ acked: true, closeCode: 1000 });
    expect(await connectRaw(gateway.url, undefined, proxied)).toEqual({ acked: true, closeCode: 1000 });
    // The token in connection_init is the page's own script talking: any origin.
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${shopToken}` }, { origin: 'https://shop.example' })).toEqual({ acked: true, closeCode: 1000 });
  });
});
