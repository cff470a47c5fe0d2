import { buyerOnPei } from '../support/pei.js';
import type { ScenarioDriver } from './driver.js';

/** Pei: the buyer confirms (or cancels) on Pei's checkout page; a confirmation is posted back. */
export const peiDriver: ScenarioDriver = {
  provider: 'PEI',
  currency: 'ISK',
  payableOrder: (amount) => ({
    provider: 'PEI',
    currency: 'ISK',
    reference: `scenario-${Date.now()}`,
    items: [{ name: 'Scenario item', quantity: 1, unitPrice: amount, amount }],
    returnUrls: { success: 'https://shop.example/paid', cancel: 'https://shop.example/cancelled' },
    pei: { sequenceType: 'ONE_OFF' },
  }),
  async buyer(_env, order, outcome) {
    const page = order.creation.stopAction?.redirectUrl;
    if (order.creation.stopAction?.type !== 'REDIRECT' || !page) throw new Error('a Pei order redirects the buyer to its checkout page');
    if (outcome === 'decline') throw new Error('Pei has no decline step');
    const answer = await buyerOnPei(page, outcome === 'pay' ? 'confirm' : 'cancel');
    if (answer.status !== 303) throw new Error(`the checkout page answered ${answer.status}`);
  },
  // A confirmed Pei order is a completed purchase (CONTRACT §7).
  sayStatus(env, order, word) {
    env.sandboxes.pei.setStatusWord(order.providerOrderId!, word);
  },
  paidStatus: 'CAPTURED',
  // The buyer cannot be declined on Pei's page; a cancel is learned by re-reading (Pei posts confirmations only).
  outcomes: { decline: null, cancel: 'CANCELLED' },
  supports: { capture: false, repeatedCapture: false, refund: false, cancel: false },
};
