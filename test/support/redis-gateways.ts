import { expect } from 'vitest';
import { CREATE_ORDER, GET_ORDER, WATCH_ORDER, type StatusChangeView } from './documents.js';
import { AUTH_SECRET, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, tokenFor, type TestEnvironment } from './gateway.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { gql, gqlOk, subscribe } from './graphql.js';
import { buyerUsesLink, intergiroLinkOrder } from './intergiro.js';

/*
 * Gateway processes on a Redis given only by environment (REDIS_* variables), as an operator
 * starts one, against the test environment's Intergiro sandbox: for the suites that try one way
 * of reaching Redis after another (credentials, TLS).
 */

/** Starts gateway processes (remembered in `children`, for the suite to stop); 'live' for one meant never to be ready. */
export function redisGateways(env: () => TestEnvironment, children: GatewayProcess[]) {
  return async (redis: Record<string, string>, until: 'ready' | 'live' = 'ready'): Promise<GatewayProcess> => {
    const child = await startGatewayProcess(
      {
        SANDBOX: '0',
        AUTH_JWT_SECRET: AUTH_SECRET,
        INTERGIRO_URL: env().intergiro.url,
        INTERGIRO_API_KEY,
        INTERGIRO_CALLBACK_SECRET,
        RECONCILE_INTERVAL_MS: '60000',
        ...redis,
      },
      'tsx',
      until,
    );
    children.push(child);
    return child;
  };
}

/**
 * An Intergiro link order created and read back, and its payment (a callback) pushed to a
 * subscriber (whose connection reaches Redis as every other does). `answered` sees each raw answer.
 */
export async function orderRoundTrip(url: string, sub: string, answered: (raw: string) => void = () => undefined): Promise<void> {
  const shop = await tokenFor('orders:create orders:read', sub);
  const created = await gql(url, CREATE_ORDER, { input: intergiroLinkOrder('12.00') }, shop);
  answered(created.raw);
  const order = created.data!.createOrder;
  expect(order.status).toBe('CREATED');
  expect((await gqlOk(url, GET_ORDER, { id: order.id }, shop)).order).toMatchObject({ id: order.id, status: 'CREATED' });
  const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(url, shop, WATCH_ORDER, { orderId: order.id });
  try {
    expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    expect((await watch.next(10_000)).orderStatusChanged).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
  } finally {
    await watch.dispose();
  }
}
