/**
 * Pei's token endpoint taking the client's credentials only one way. The contract says
 * "form-encoded grant_type=client_credentials with the client id and secret": HTTP Basic or the
 * `client_id` / `client_secret` form fields, and a server may take just one of them. The gateway
 * tries Basic, then once the other way, and keeps to the way that worked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { PeiSandbox } from '../../src/sandboxes/pei/index.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';

const CREATE = 'mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { id status } }';
const oneOff = () => ({
  provider: 'PEI',
  currency: 'ISK',
  reference: `pei-client-${Math.random().toString(36).slice(2, 10)}`,
  items: [{ name: 'TV subscription', amount: '5000' }],
  buyer: { name: 'John Johnson', email: 'john@example.com' },
  returnUrls: { success: 'https://shop.example/pei/done', cancel: 'https://shop.example/pei/cancelled' },
});

describe.each([
  ['form', 2],
  ['basic', 1],
] as const)('Pei whose token endpoint takes the client only by %s', (clientAuthentication, firstIssueRequests) => {
  let env: TestEnvironment;
  let pei: PeiSandbox;
  let gateway: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory', { pei: { clientAuthentication } });
    pei = env.sandboxes.pei;
    gateway = await env.startGateway({}, { pollerDisabled: true });
    shop = await tokenFor('orders:create', `pei-client-${clientAuthentication}`);
  });
  afterAll(() => env.close());

  const create = async () => (await gqlOk<{ createOrder: { id: string; status: string } }>(gateway.url, CREATE, { input: oneOff() }, shop)).createOrder;

  it('gets a token and creates orders; after a revocation the next token is asked for the way that worked', async () => {
    const before = pei.tokenRequests();
    expect((await create()).status).toBe('CREATED');
    expect(pei.tokenRequests() - before).toBe(firstIssueRequests);

    pei.revokeTokens();
    const again = pei.tokenRequests();
    expect((await create()).status).toBe('CREATED');
    expect(pei.tokenRequests() - again).toBe(1);
  });
});
