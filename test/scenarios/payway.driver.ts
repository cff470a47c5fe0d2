import { PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { PAYWAY_TEST_CARDS, placeInput } from '../support/payway.js';
import type { ScenarioDriver } from './driver.js';

/**
 * Payway through placeAdyenOrder with a card whose purchase stays pending: the "buyer" finishing
 * is Adyen's late result, which the sandbox turns into Payway's purchase event (order_closed or
 * payment_failure). The scenario's amount is sent as the price the shopper was shown: the order's
 * total where Payway states none (seed-minimal), else Payway's own price. A Payway purchase is complete when paid: there is no
 * capture, refund or cancel, and no buyer cancel step.
 */
export const paywayDriver: ScenarioDriver = {
  provider: 'PAYWAY',
  currency: 'SEK',
  payableOrder: () => {
    throw new Error('PAYWAY orders are placed with placeAdyenOrder (see create)');
  },
  async create(gatewayUrl, token, amount): Promise<OrderView> {
    // The price the shopper was shown: the total where Payway states none (a seed-minimal Payway).
    const input = placeInput(PAYWAY_TEST_CARDS.pendingHeld, { amount, currency: 'SEK' });
    return (await gqlOk(gatewayUrl, PLACE_ADYEN_ORDER, { input }, token)).placeAdyenOrder;
  },
  async buyer(env, order, outcome) {
    const payway = env.sandboxes.payway;
    // Placed without a merchant reference, so the gateway's order id is the purchase's reference.
    const [purchase] = payway.purchasesWithReference(order.id);
    if (!purchase) throw new Error(`no Payway purchase for ${order.id}`);
    if (outcome === 'cancel') throw new Error('a Payway purchase has no cancel step');
    payway.settle(purchase.orderId, outcome === 'pay' ? 'order_closed' : 'payment_failure');
  },
  paidStatus: 'CAPTURED',
  outcomes: { decline: 'FAILED', cancel: null },
  supports: { capture: false, repeatedCapture: false, refund: false, cancel: false },
};
