import { gqlOk } from '../support/graphql.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { buyerAtPsp, newBasket } from '../support/intershop.js';
import type { ScenarioDriver } from './driver.js';

/**
 * Intershop ICM: the basket (in the sandbox) holds the amount; the order is created with return
 * URLs, so it goes straight to the PSP redirect. The buyer decides on the PSP page and never comes
 * back to the shop: the PSP's notification settles the order at ICM, and the gateway's poller
 * learns it. A synchronous "Pay" is only confirmed by the shop's CONTINUE, so "pay" here is the
 * asynchronous payment the PSP approves.
 */
export const intershopDriver: ScenarioDriver = {
  provider: 'INTERSHOP',
  currency: 'USD',
  payableOrder: () => {
    throw new Error('an Intershop order needs a basket: the driver creates it');
  },
  async create(gatewayUrl, token, amount, env) {
    const basketId = await newBasket(env.sandboxes.intershop, amount);
    const input = {
      provider: 'INTERSHOP',
      reference: `scenario-${Date.now()}`,
      intershop: { basketId, termsAndConditionsAccepted: true },
      returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' },
    };
    return (await gqlOk<{ createOrder: OrderView }>(gatewayUrl, CREATE_ORDER, { input }, token)).createOrder;
  },
  async buyer(_env, order, outcome) {
    const redirectUrl = order.creation.stopAction?.redirectUrl;
    if (order.creation.stopAction?.type !== 'REDIRECT' || !redirectUrl) throw new Error('an Intershop order with return URLs redirects the buyer');
    const answer = await buyerAtPsp(redirectUrl, outcome === 'pay' ? 'pending_success' : outcome === 'decline' ? 'failure' : 'cancel');
    if (answer.status !== 303) throw new Error(`the PSP page answered ${answer.status}`);
  },
  sayStatus(env, order, word) {
    env.sandboxes.intershop.setStatusWord(order.providerOrderId!, word);
  },
  paidStatus: 'AUTHORIZED',
  // ICM rolls a failed or cancelled payment back (seed §3.2.5: ROLLED_BACK, order.cancelled.info).
  outcomes: { decline: 'CANCELLED', cancel: 'CANCELLED' },
  // The order REST API has no capture, refund or cancel.
  supports: { capture: false, repeatedCapture: false, refund: false, cancel: false },
};
