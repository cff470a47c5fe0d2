import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { dinteroCallback } from '../support/dintero.js';
import { startTestEnvironment, type TestEnvironment } from '../support/gateway.js';
import { postPeiPostback } from '../support/pei.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/*
 * Unsigned callbacks name ids the gateway puts into a provider's REST path: a Pei postback's
 * `orderId` (`GET /api/orders/<orderId>`), a Dintero callback's `transaction_id`
 * (`GET /v1/transactions/<id>`). encodeURIComponent leaves `.` as it is, so an id `..` or `.` was
 * a dot-segment the URL parser resolved: anyone could make the gateway call `GET /api/` or
 * Dintero's transaction listing with its own credentials. Such an id is now refused (400) before
 * any provider call. Every provider read goes through a recording proxy, so the test sees the
 * paths the gateway really asked for.
 */

/** The hint throttle's lease for ids it does not know: short, so each probe gets its own. */
const INTERVAL_MS = 100;
const DOT_SEGMENTS = ['.', '..'];

describe('ids from callbacks in provider paths', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let pei: RecordingProxy;
  let dinteroApi: RecordingProxy;
  let dinteroCheckout: RecordingProxy;

  /** The paths every proxy saw since the last call, token requests left out. */
  const seen = (): string[] => {
    const paths = [pei, dinteroApi, dinteroCheckout].flatMap((proxy) => proxy.requests.splice(0).map((request) => `${request.method} ${request.path}`));
    return paths.filter((path) => !/\/auth\/token$|\/token$/.test(path));
  };

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const { config: peiConfig } = env.sandboxes.pei;
    const { config: dinteroConfig } = env.sandboxes.dintero;
    pei = await startRecordingProxy(peiConfig.url);
    dinteroApi = await startRecordingProxy(dinteroConfig.apiUrl);
    dinteroCheckout = await startRecordingProxy(dinteroConfig.checkoutUrl);
    gateway = await env.startGateway(
      {
        reconcileIntervalMs: INTERVAL_MS,
        pei: { ...peiConfig, url: pei.url },
        dintero: { ...dinteroConfig, apiUrl: dinteroApi.url, checkoutUrl: dinteroCheckout.url },
      },
      { pollerDisabled: true },
    );
  });
  afterAll(async () => {
    await env.close();
    await Promise.all([pei, dinteroApi, dinteroCheckout].map((proxy) => proxy.close()));
  });

  it('Pei: a postback naming an unknown order is read at /api/orders/<id> (the proxy sees reads)', async () => {
    seen();
    expect((await postPeiPostback(gateway.url, { orderId: 'no-such-order', purchaseId: 1 })).status).toBe(401);
    expect(seen()).toEqual(['GET /api/orders/no-such-order']);
  });

  it.each(DOT_SEGMENTS)('Pei: a postback whose orderId is "%s" is 400 and reaches no other Pei path', async (orderId) => {
    await sleep(INTERVAL_MS * 1.5);
    seen();
    const answer = await postPeiPostback(gateway.url, { orderId, purchaseId: 1 });
    expect(answer.status).toBe(400);
    expect(seen()).toEqual([]);
  });

  it('Dintero: a callback naming an unknown transaction is read at /v1/transactions/<id> (the proxy sees reads)', async () => {
    await sleep(INTERVAL_MS * 1.5);
    seen();
    expect(await dinteroCallback(gateway.url, { transaction_id: 'T-no-such', session_id: 'S-no-such' })).toBe(401);
    expect(seen()).toEqual(['GET /v1/transactions/T-no-such']);
  });

  it.each(DOT_SEGMENTS)('Dintero: a callback whose transaction_id is "%s" is 400 and reaches no other Dintero path', async (transactionId) => {
    await sleep(INTERVAL_MS * 1.5);
    seen();
    expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: 'S-no-such' })).toBe(400);
    expect(seen()).toEqual([]);
  });
});
