import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { signClientToken } from '../../src/server/auth.js';
import { CREATE_ORDER, GET_ORDER } from '../support/documents.js';
import { AUTH_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { connectRaw, gql, gqlOk } from '../support/graphql.js';
import { readSse } from '../support/sse.js';
import { openRawSocket } from '../support/ws-raw.js';

/*
 * CONTRACT §4: every token carries `exp`, none lives longer than the gateway accepts
 * (AUTH_MAX_TOKEN_TTL), and a graphql-ws socket's token keeps its `exp`: once it has passed, the
 * socket closes with 4401 and its subscriptions end, so the client reconnects with a fresh token
 * (an SSE subscription ends then too).
 */

const linkOrder = { provider: 'INTERGIRO', currency: 'EUR', amount: '3.00', intergiro: { paymentType: 'LINK' } };
const secret = new TextEncoder().encode(AUTH_SECRET);

/** A token with exactly the time claims given (none added). */
function tokenWith(claims: { exp?: number; iat?: number }): Promise<string> {
  let jwt = new SignJWT({ scope: 'orders:create orders:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('lifetime-shop');
  if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
  return jwt.sign(secret);
}

const now = (): number => Math.floor(Date.now() / 1000);

describe('token lifetime', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let hourLimited: Gateway;
  let orderId: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    hourLimited = await env.startGateway({ auth: { jwtSecret: AUTH_SECRET, maxTokenTtlSeconds: 3600 } });
    orderId = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, await tokenFor('orders:create', 'lifetime-shop'))).createOrder.id;
  });
  afterAll(() => env.close());

  it('refuses a token without exp: UNAUTHENTICATED over HTTP, 4401 over graphql-ws', async () => {
    const forever = await tokenWith({ iat: now() });
    const answer = await gql(gateway.url, GET_ORDER, { id: orderId }, forever);
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]).toMatchObject({ message: 'The bearer token has no expiry (exp)', extensions: { code: 'UNAUTHENTICATED' } });
    // Refused every time: it was not remembered by the token cache either.
    expect((await gql(gateway.url, GET_ORDER, { id: orderId }, forever)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${forever}` })).toEqual({ acked: false, closeCode: 4401 });
  });

  it('refuses a token that claims to live longer than the gateway accepts (24 h by default, AUTH_MAX_TOKEN_TTL)', async () => {
    const month = await signClientToken(AUTH_SECRET, { sub: 'lifetime-shop', scope: 'orders:read' }, '30d');
    expect((await gql(gateway.url, GET_ORDER, { id: orderId }, month)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const day = await signClientToken(AUTH_SECRET, { sub: 'lifetime-shop', scope: 'orders:read' }, '23h');
    expect((await gqlOk(gateway.url, GET_ORDER, { id: orderId }, day)).order?.id).toBe(orderId);

    // With a one-hour limit: two hours is refused, also when the long life is hidden by a back-dated iat...
    const twoHours = await signClientToken(AUTH_SECRET, { sub: 'lifetime-shop', scope: 'orders:read' }, '2h');
    const refused = await gql(hourLimited.url, GET_ORDER, { id: orderId }, twoHours);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(refused.errors?.[0]?.message).toMatch(/lives longer than the gateway accepts/);
    const backDated = await tokenWith({ iat: now() - 3 * 3600, exp: now() + 1800 });
    expect((await gql(hourLimited.url, GET_ORDER, { id: orderId }, backDated)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // ...or by leaving iat out; half an hour is fine.
    expect((await gql(hourLimited.url, GET_ORDER, { id: orderId }, await tokenWith({ exp: now() + 2 * 3600 }))).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gqlOk(hourLimited.url, GET_ORDER, { id: orderId }, await tokenWith({ exp: now() + 1800 }))).order?.id).toBe(orderId);
    expect(await connectRaw(hourLimited.url, { Authorization: `Bearer ${twoHours}` })).toEqual({ acked: false, closeCode: 4401 });
  });

  it('refuses a token issued in the future (iat ahead of the clock by more than a minute); a few seconds ahead is tolerated', async () => {
    const ahead = await tokenWith({ iat: now() + 3 * 3600, exp: now() + 3 * 3600 + 600 });
    const refused = await gql(gateway.url, GET_ORDER, { id: orderId }, ahead);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: 'The bearer token is issued in the future (iat)', extensions: { code: 'UNAUTHENTICATED' } });
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${ahead}` })).toEqual({ acked: false, closeCode: 4401 });
    const skewed = await tokenWith({ iat: now() + 5, exp: now() + 600 });
    expect((await gqlOk(gateway.url, GET_ORDER, { id: orderId }, skewed)).order?.id).toBe(orderId);
  });

  it('closes a graphql-ws socket with 4401 once its token expires; its subscription ends and nothing more runs on it', async () => {
    const exp = now() + 2;
    const socket = openRawSocket(gateway.url, await tokenWith({ iat: now(), exp }));
    await socket.acked;
    socket.send({ type: 'subscribe', id: 'watch', payload: { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', variables: { id: orderId } } });
    expect((await socket.waitFor('watch', 'next')).payload).toEqual({ data: { orderStatusChanged: { status: 'CREATED' } } });
    // A query on the same socket works while the token is valid.
    socket.send({ type: 'subscribe', id: 'read', payload: { query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } } });
    expect((await socket.waitFor('read', 'next')).payload).toEqual({ data: { order: { id: orderId } } });

    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4401, reason: 'The bearer token has expired' });
    // Not before the token's own expiry (exp has second precision).
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
    // The subscription got no further message, and the socket took no operation after expiry.
    expect(socket.messages.filter((message) => message.id === 'watch')).toHaveLength(1);
  });

  it('ends an SSE subscription once its token expires, so the client reconnects with a fresh one', async () => {
    const exp = now() + 2;
    const text = await readSse(gateway.url, 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', { id: orderId }, await tokenWith({ iat: now(), exp }), {
      until: () => false, // read to the stream's end
    });
    expect(text).toMatch(/"status":"CREATED"/);
    expect(text).toMatch(/event: complete/);
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
  });

  it('refuses at connection_init a token that is already expired, and accepts a fresh one to resume', async () => {
    const expired = await signClientToken(AUTH_SECRET, { sub: 'lifetime-shop', scope: 'orders:read' }, now() - 1);
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${expired}` })).toEqual({ acked: false, closeCode: 4401 });
    expect(await connectRaw(gateway.url, { Authorization: `Bearer ${await tokenFor('orders:read', 'lifetime-shop')}` })).toEqual({ acked: true, closeCode: 1000 });
  });
});
