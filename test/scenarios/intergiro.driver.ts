import { buyerUsesLink } from '../support/intergiro.js';
import type { ScenarioDriver } from './driver.js';

/** Intergiro through a payment link: the buyer pays on Intergiro's page, Intergiro calls back. */
export const intergiroDriver: ScenarioDriver = {
  provider: 'INTERGIRO',
  currency: 'EUR',
  payableOrder: (amount) => ({
    provider: 'INTERGIRO',
    currency: 'EUR',
    reference: `scenario-${Date.now()}`,
    items: [{ name: 'Scenario item', quantity: 1, unitPrice: amount, amount }],
    intergiro: { paymentType: 'LINK' },
    returnUrls: { success: 'https://shop.example/paid' },
  }),
  async buyer(_env, order, outcome) {
    const link = order.creation.stopAction?.redirectUrl;
    if (order.creation.stopAction?.type !== 'REDIRECT' || !link) throw new Error('an Intergiro link order redirects the buyer');
    const answer = await buyerUsesLink(link, outcome === 'decline' ? 'fail' : outcome);
    if (answer.status !== 303) throw new Error(`the link page answered ${answer.status}`);
  },
  sayStatus(env, order, word) {
    env.sandboxes.intergiro.setStatusWord(order.providerOrderId!, word);
  },
  paidStatus: 'AUTHORIZED',
  // Intergiro charges an authorization once (CONTRACT §8: charge only from `ordered`).
  supports: { capture: true, repeatedCapture: false, refund: true, cancel: true },
};
