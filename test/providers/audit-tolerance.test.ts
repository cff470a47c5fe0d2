/**
 * The required-field audit of the Intergiro, Pei, Dintero and Payway adapters: answers a provider
 * written from its seed alone may give, where the seed shows no answer at all (token endpoints,
 * Dintero's money calls and session reads, Intergiro's single-order read). A recording proxy
 * between the gateway and the sandbox rewrites the sandbox's real answer into such a variant (the
 * sandbox itself stays as it is and does what was asked); a sandbox's aimed `status` fault stands in
 * for an endpoint the provider does not have. Each order is driven through GraphQL over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { rewriteAnswers, startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const peiOrder = () => ({
  provider: 'PEI',
  currency: 'ISK',
  reference: `pei-audit-${Math.random().toString(36).slice(2, 10)}`,
  items: [{ name: 'TV subscription', amount: '5000' }],
  buyer: { name: 'John Johnson', email: 'john@example.com', nationalId: '0102882849' },
});

describe('adapters against answers no seed shows (required-field audit)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let peiProxy: RecordingProxy;
  let dinteroApiProxy: RecordingProxy;
  let dinteroCheckoutProxy: RecordingProxy;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    const { pei, dintero } = env.sandboxes;
    peiProxy = await startRecordingProxy(pei.url);
    dinteroApiProxy = await startRecordingProxy(dintero.config.apiUrl);
    dinteroCheckoutProxy = await startRecordingProxy(dintero.config.checkoutUrl);
    gateway = await env.startGateway(
      {
        pei: { ...pei.config, tokenUrl: pei.config.tokenUrl.replace(pei.url, peiProxy.url) },
        dintero: { ...dintero.config, apiUrl: dinteroApiProxy.url, checkoutUrl: dinteroCheckoutProxy.url },
        reconcileIntervalMs: 60_000,
      },
      { pollerDisabled: true },
    );
    shop = await tokenFor('orders:create', 'shop-audit-tolerance');
  });
  afterAll(async () => {
    await peiProxy?.close();
    await dinteroApiProxy?.close();
    await dinteroCheckoutProxy?.close();
    await env?.close();
  });

  const create = (input: Record<string, unknown>) => gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop);

  describe('token answers (no seed shows one; RFC 6749 makes expires_in only RECOMMENDED)', () => {
    it('Pei: a token answer without expires_in is used (the order is submitted), not PROVIDER_UNAVAILABLE', async () => {
      const response = await rewriteAnswers(peiProxy, /^POST \/core\/connect\/token$/, (_request, json) => void delete json.expires_in, () => create(peiOrder()));
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
      expect(peiProxy.requests.filter((request) => request.path === '/core/connect/token')).toHaveLength(1);
    });

    it('Dintero: a token answer whose expires_in is a numeric string is used (the session is made)', async () => {
      const asString = (_request: unknown, json: { expires_in?: unknown }) => void (json.expires_in = String(json.expires_in));
      const response = await rewriteAnswers(dinteroApiProxy, /^POST \/v1\/accounts\/[^/]+\/auth\/token$/, asString, () => create(dinteroOrderInput()));
      expect(response.errors).toBeUndefined();
      expect(response.data!.createOrder).toMatchObject({ status: 'CREATED', creation: { stopAction: { type: 'REDIRECT' } } });
    });
  });
});
