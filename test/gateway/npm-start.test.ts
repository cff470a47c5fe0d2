import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';

/**
 * What a person gets from `npm start` on a fresh machine: nothing configured but the port, the
 * built-in sandboxes, the in-process store, a dev token printed, and a payment link they can pay
 * while a subscription reports it.
 */
describe('npm start with nothing configured', () => {
  let gateway: GatewayProcess;
  const callbackSecret = 'configured-callback-secret-for-sandbox';

  beforeAll(async () => {
    gateway = await startGatewayProcess({ INTERGIRO_CALLBACK_SECRET: callbackSecret });
  });
  afterAll(async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0); // stops cleanly
  });

  const devToken = (): string => {
    const match = /^export TOKEN=(\S+)$/m.exec(gateway.output());
    if (!match?.[1]) throw new Error(`no dev token printed:\n${gateway.output()}`);
    return match[1];
  };

  it('prints a dev token and serves GraphiQL on /graphql', async () => {
    expect(gateway.output()).toMatch(/in-process/);
    expect(devToken().split('.')).toHaveLength(3);
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).toContain(devToken()); // the header editor is pre-filled with it
    const demo = /^Demo checkout: (\S+)$/m.exec(gateway.output())?.[1];
    expect(demo).toBe(`${gateway.url}/demo`);
    expect((await fetch(`${gateway.url}/demo`)).status).toBe(200);
  });

  it('creates a payment-link order; paying on the link page is pushed to the subscription', async () => {
    const token = devToken();
    const order: OrderView = (
      await gqlOk(
        gateway.url,
        CREATE_ORDER,
        { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '19.90', intergiro: { paymentType: 'LINK' }, returnUrls: { success: 'https://example.com/thanks' } } },
        token,
      )
    ).createOrder;
    expect(order.creation.stopAction?.type).toBe('REDIRECT');
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, token, WATCH_ORDER, { orderId: order.id });
    expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    const paid = (await watch.next(10_000)).orderStatusChanged;
    expect(paid).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK', previousStatus: 'CREATED' });
    await watch.dispose();
  });

  it('verifies callbacks with the configured INTERGIRO_CALLBACK_SECRET in sandbox mode too', async () => {
    const post = async (secret: string) => {
      const jwt = await new SignJWT({ id: 'UnknownOrder0001', created: new Date().toISOString(), items: 5, currency: 'EUR', payment: { type: 'card' }, status: 'ordered' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      return (await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: jwt })).status;
    };
    expect(await post('some-other-secret-entirely')).toBe(401);
    // Genuine, for an order the gateway does not know yet: acknowledged (parked), not lost.
    expect(await post(callbackSecret)).toBe(200);
  });
});
