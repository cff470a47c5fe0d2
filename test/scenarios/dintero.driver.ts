import { buyerOnCheckout, dinteroOrderInput } from '../support/dintero.js';
import type { ScenarioDriver } from './driver.js';

/** Dintero Checkout: the buyer pays on Dintero's page, Dintero calls back, the gateway re-reads. */
export const dinteroDriver: ScenarioDriver = {
  provider: 'DINTERO',
  currency: 'NOK',
  payableOrder: (amount) =>
    dinteroOrderInput({
      reference: `scenario-${Date.now()}`,
      items: [{ name: 'Scenario item', quantity: 1, unitPrice: amount, amount, taxRate: 25 }],
    }),
  async buyer(_env, order, outcome) {
    const page = order.creation.stopAction?.redirectUrl;
    if (order.creation.stopAction?.type !== 'REDIRECT' || !page) throw new Error('a Dintero order redirects the buyer to the checkout');
    const answer = await buyerOnCheckout(page, outcome);
    if (answer.status !== 303) throw new Error(`the checkout page answered ${answer.status}`);
  },
  paidStatus: 'AUTHORIZED',
  // Partial captures repeat while authorized amount remains (CONTRACT §8).
  supports: { capture: true, repeatedCapture: true, refund: true, cancel: true },
};
