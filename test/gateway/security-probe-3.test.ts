/**
 * An outside tester's third pass (after security-probe-2.test.ts): a black box with a client token
 * or none, and the sandboxes' knowledge of each provider. Every test of a finding fails without
 * its fix; the "held" tests pin what was probed and found defended.
 *
 * Findings:
 *
 * 1. Another shop's checkout continued (medium; domain/caller.ts requireOwnCreation,
 *    domain/orders/continue-order.ts). `continueOrderCreation` let any token that could *see* an
 *    order take its creation's next step, and `orders:read` sees every order: a shop server
 *    holding `orders:create orders:read` (a shop that lists its orders, the dev token) continued
 *    another shop's stopped Intershop order with return URLs of its own choosing. ICM sent that
 *    shop's buyer to the PSP and from there back to the attacker's page, with the PSP's
 *    parameters, which are what finishes the order. The same door sent an attacker's 3-D Secure
 *    result for another shop's Intergiro card order. Only the caller whose `sub` created the
 *    order may continue it now: FORBIDDEN for a reader of it, NOT_FOUND (as before) for anyone
 *    else, and nothing is sent to the provider.
 *
 * Probed and held (no change): `alg: none`, a `nbf` in the future, a numeric `sub`, a `scope`
 * sent as an array (no scope), tokens of unknown `crit` headers (jose refuses them); batching
 * (400), a mutation over GET (405); `/demo` and `/demo/token` outside sandbox mode (404); amounts
 * as `1e2`, `0x10`, Arabic-Indic digits, `+10`, `.5`, `10.`, padded or with a line break (Decimal
 * refuses them, 400), `-0` and `-0.00` (BAD_USER_INPUT: not above zero), three decimals in EUR,
 * lower-case and unknown currencies; six concurrent full refunds of one captured order and six
 * concurrent captures above the authorized amount (one goes through, five INVALID_STATE); one
 * caller's idempotency key sent by another (a separate order: keys are per `sub`); an SSE
 * `orderStatusChanged` of another caller's order with `Last-Event-ID: 0` (NOT_FOUND, nothing
 * replayed), `orderUpdates` with `Last-Event-ID` and no `orders:read` (FORBIDDEN).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { newBasket } from '../support/intershop.js';

const EVIL_RETURN_URLS = { success: 'https://evil.example/ok', cancel: 'https://evil.example/cancel', failure: 'https://evil.example/failed' };
const SHOP_RETURN_URLS = { success: 'https://shop-a.example/ok', cancel: 'https://shop-a.example/cancel', failure: 'https://shop-a.example/failed' };

describe('security probe 3: another shop\'s checkout', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  /** A browser of shop A: creates the order. */
  let shopA: string;
  /** Another shop's server: creates its own orders and lists them (orders:read sees every order). */
  let shopServerB: string;
  /** Another shop's browser: may not even see A's order. */
  let browserB: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    shopA = await tokenFor('orders:create', 'probe3-shop-a');
    shopServerB = await tokenFor('orders:create orders:read', 'probe3-shop-server-b');
    browserB = await tokenFor('orders:create', 'probe3-browser-b');
  });
  afterAll(() => env?.close());

  /** A's Intershop order, stopped at redirect_urls_required (ICM waits for the shop's return URLs). */
  async function stoppedIntershopOrder(): Promise<OrderView> {
    const basketId = await newBasket(env.sandboxes.intershop, '9.00');
    const { createOrder } = await gqlOk(gateway.url, CREATE_ORDER, { input: { provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true } } }, shopA);
    expect(createOrder).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    return createOrder as OrderView;
  }

  it("finding 1: a reader's create token cannot continue another shop's order with its own return URLs", async () => {
    const order = await stoppedIntershopOrder();
    const answer = await gql(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, returnUrls: EVIL_RETURN_URLS } }, shopServerB);
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(answer.data?.continueOrderCreation ?? null).toBeNull();
    // Nothing moved: ICM still waits for A's return URLs, and A can give them.
    const { order: after } = await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shopA);
    expect(after).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const continued = await gqlOk(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, returnUrls: SHOP_RETURN_URLS } }, shopA);
    expect(continued.continueOrderCreation.creation.stopAction).toMatchObject({ type: 'REDIRECT' });
  });

  it('held: a token that cannot see the order gets NOT_FOUND, as for an unknown id', async () => {
    const order = await stoppedIntershopOrder();
    const answer = await gql(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, returnUrls: EVIL_RETURN_URLS } }, browserB);
    const unknown = await gql(gateway.url, CONTINUE_ORDER, { input: { orderId: 'ord_nobody_has_this', returnUrls: EVIL_RETURN_URLS } }, browserB);
    expect(answer.errors?.map((error) => [error.extensions?.code, error.message])).toEqual(unknown.errors?.map((error) => [error.extensions?.code, error.message]));
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
