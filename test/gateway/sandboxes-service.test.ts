import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signClientToken } from '../../src/server/auth.js';
import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER, GET_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { freePort } from '../support/free-port.js';
import { eventually, STORE_KINDS, type StoreKind } from '../support/gateway.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';
import { buyerOnPei } from '../support/pei.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { keepChildOutput, recordSecrets } from '../support/test-logs.js';
import { freePortRun, startSandboxesProcess, type SandboxesProcess } from '../support/sandboxes-process.js';

/**
 * Staging as docker-compose.yml runs it, without Docker: the sandboxes as their own process
 * (src/sandboxes-main.ts) and a gateway process configured exactly as for real providers
 * (SANDBOX=0, provider URLs at the sandboxes, the same credentials from one env). The gateway calls
 * the sandboxes at 127.0.0.1 (compose: `sandboxes`), the buyer's browser opens their pages at
 * `localhost` (compose: the published ports): two names, so a URL on the wrong side shows.
 */
const AUTH_SECRET = 'sandboxes-service-auth-secret-0123456789';
const CREDENTIALS = {
  INTERGIRO_API_KEY: 'svc-intergiro-api-key',
  INTERGIRO_CALLBACK_SECRET: 'svc-intergiro-callback-secret',
  PEI_CLIENT_ID: 'svc-pei-client',
  PEI_CLIENT_SECRET: 'svc-pei-client-secret',
  PEI_MERCHANT_ID: '4',
  INTERSHOP_AUTH_TOKEN: 'svc-intershop-auth-token',
  DINTERO_ACCOUNT_ID: 'T12345678',
  DINTERO_CLIENT_ID: 'svc-dintero-client',
  DINTERO_CLIENT_SECRET: 'svc-dintero-client-secret',
  DINTERO_PROFILE_ID: 'svc_staging_profile',
  PAYWAY_TOKEN: 'svc-payway-token',
  PAYWAY_WEBHOOK_SECRET: 'svc-payway-webhook-secret',
};
const API_HOST = '127.0.0.1';
const PUBLIC_HOST = 'localhost';

/** The provider variables of compose's gateway, for sandboxes from port `first` on. */
function providerUrls(first: number): Record<string, string> {
  return {
    INTERGIRO_URL: `http://${API_HOST}:${first}`,
    PEI_URL: `http://${API_HOST}:${first + 1}`,
    PEI_TOKEN_URL: `http://${API_HOST}:${first + 1}/core/connect/token`,
    PEI_CHECKOUT_URL: `http://${PUBLIC_HOST}:${first + 1}/checkout`,
    INTERSHOP_URL: `http://${API_HOST}:${first + 2}/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-`,
    DINTERO_API_URL: `http://${API_HOST}:${first + 3}`,
    DINTERO_CHECKOUT_URL: `http://${API_HOST}:${first + 4}`,
    PAYWAY_URL: `http://${API_HOST}:${first + 5}`,
  };
}

describe('the sandboxes as a service of their own', () => {
  let first: number;
  let gatewayUrl: string;
  let gatewayPort: number;
  let sandboxes: SandboxesProcess;

  beforeAll(async () => {
    first = await freePortRun(6);
    gatewayPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    sandboxes = await startSandboxesProcess({
      ...CREDENTIALS,
      SANDBOX_PORT: String(first),
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_PUBLIC_HOST: PUBLIC_HOST,
      SANDBOX_API_HOST: API_HOST,
      SANDBOX_GATEWAY_URL: gatewayUrl,
    });
  }, 30_000);
  afterAll(async () => {
    await sandboxes?.stop();
  });

  it('prints the provider URLs a gateway needs, the non-secret ids, and no secret it was given', () => {
    expect(sandboxes.printed).toEqual({
      ...providerUrls(first),
      PEI_CLIENT_ID: CREDENTIALS.PEI_CLIENT_ID,
      PEI_MERCHANT_ID: CREDENTIALS.PEI_MERCHANT_ID,
      DINTERO_ACCOUNT_ID: CREDENTIALS.DINTERO_ACCOUNT_ID,
      DINTERO_CLIENT_ID: CREDENTIALS.DINTERO_CLIENT_ID,
      DINTERO_PROFILE_ID: CREDENTIALS.DINTERO_PROFILE_ID,
    });
    const output = sandboxes.output();
    for (const [name, value] of Object.entries(CREDENTIALS)) {
      if (/SECRET|TOKEN|KEY/.test(name)) {
        expect(output).not.toContain(value);
        expect(output).toContain(name);
      }
    }
  });

  it('starts nothing and names the variable when one is wrong (exit 78), never its value', () => {
    const secret = 'svc-never-printed-secret';
    recordSecrets([secret]);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/sandboxes-main.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', SANDBOX_PORT: 'many', SANDBOX_PUBLIC_HOST: 'http://localhost', PEI_CLIENT_SECRET: secret },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    keepChildOutput(run.pid, output);
    expect(run.status).toBe(78);
    expect(output).toContain('SANDBOX_PORT');
    expect(output).toContain('SANDBOX_PUBLIC_HOST');
    expect(output).not.toContain(secret);
    expect(output).not.toContain('listening');
  });

  describe.each(STORE_KINDS)('a gateway configured for real providers, pointed at them (%s store)', (kind: StoreKind) => {
    let redis: RedisServer | undefined;
    let gateway: GatewayProcess;
    let token: string;

    beforeAll(async () => {
      if (kind === 'redis') redis = await startRedisServer();
      // Each store kind gets its own gateway; only Payway calls a fixed gateway URL, and no test here uses it.
      const port = kind === 'memory' ? gatewayPort : await freePort();
      gateway = await startGatewayProcess({
        ...CREDENTIALS,
        ...providerUrls(first),
        SANDBOX: '0',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        AUTH_JWT_SECRET: AUTH_SECRET,
        // Only a callback can move an order within a test: the poller would wait ten minutes.
        RECONCILE_INTERVAL_MS: '600000',
        ...(redis ? { REDIS_URL: redis.url } : {}),
      });
      token = await signClientToken(AUTH_SECRET, { sub: 'staging-shop', scope: 'orders:create orders:read' }, '1h');
    }, 30_000);
    afterAll(async () => {
      try {
        expect(await gateway?.stop()).toBe(0);
      } finally {
        await redis?.stop();
      }
    });

    /**
     * Creates the order and reads it once: a read through to a provider (refreshOnRead) takes a
     * lease for RECONCILE_INTERVAL_MS, ten minutes here, so afterwards only a callback can move it.
     * Not for Pei: its unsigned postback needs that same lease (src/domain/refresh-lease.ts), so
     * the Pei case watches by subscription instead of reading.
     */
    const create = async (input: Record<string, unknown>, readOnce = input.provider !== 'PEI'): Promise<OrderView> => {
      const order = (await gqlOk(gateway.url, CREATE_ORDER, { input } as never, token)).createOrder;
      if (readOnce) expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, token)).order?.status).toBe(order.status);
      return order;
    };
    const settled = (order: OrderView, status: string): Promise<OrderView> =>
      eventually(async () => {
        const current = (await gqlOk(gateway.url, GET_ORDER, { id: order.id }, token)).order;
        return current?.status === status && current;
      }, 10_000);

    it('Intergiro: the buyer pays the link page at the public host; the signed callback authorizes the order', async () => {
      const order = await create({ provider: 'INTERGIRO', currency: 'EUR', amount: '19.90', intergiro: { paymentType: 'LINK' } });
      const link = order.creation.stopAction?.redirectUrl ?? '';
      expect(link.startsWith(`http://${PUBLIC_HOST}:${first}/link/`)).toBe(true);
      expect((await buyerUsesLink(link, 'pay')).status).toBe(200);
      const paid = await settled(order, 'AUTHORIZED');
      expect(paid.events.at(-1)).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
    });

    it('Dintero: the session page is at the public checkout host; its callback authorizes the order', async () => {
      const order = await create(dinteroOrderInput());
      const page = order.creation.stopAction?.redirectUrl ?? '';
      expect(page.startsWith(`http://${PUBLIC_HOST}:${first + 4}/v1/view/`)).toBe(true);
      expect((await buyerOnCheckout(page, 'pay')).status).toBe(303);
      const paid = await settled(order, 'AUTHORIZED');
      expect(paid.events.at(-1)).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
    });

    it('Pei: the checkout page is at the public host; the postback captures the order', async () => {
      // Not read after creating: the read would take the order's re-read lease for the ten minutes,
      // which unsigned postbacks share (src/domain/refresh-lease.ts).
      const order = await create({
        provider: 'PEI',
        currency: 'ISK',
        reference: `staging-${kind}-${Date.now()}`,
        items: [{ code: 'SUB555', name: 'TV subscription', quantity: 2, unit: 'stk.', unitPrice: '2500', amount: '5000' }],
        buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849', phone: '1234567' },
        returnUrls: { success: 'https://shop.example/pei/done', cancel: 'https://shop.example/pei/cancelled' },
        pei: { sequenceType: 'ONE_OFF' },
      });
      const page = order.creation.stopAction?.redirectUrl ?? '';
      expect(page).toBe(`http://${PUBLIC_HOST}:${first + 1}/checkout/${order.providerOrderId}`);
      // Watched through a subscription, which never reads through to Pei: only the postback can move it.
      const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, token, WATCH_ORDER, { orderId: order.id });
      expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');
      expect((await buyerOnPei(page, 'confirm')).status).toBe(303);
      const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED', 10_000)).orderStatusChanged;
      await watch.dispose();
      expect(paid).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
    });
  });

  it('stops cleanly on SIGTERM (exit 0) and frees its ports', async () => {
    expect(await sandboxes.stop('SIGTERM')).toBe(0);
    await expect(fetch(`http://127.0.0.1:${first}/`)).rejects.toThrow();
  });
});
