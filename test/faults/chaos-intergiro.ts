/**
 * Intergiro in the chaos suite: a payment-link order the buyer pays on Intergiro's side (signed
 * callback), then captured, partly refunded or cancelled through applyOrderEvents.
 */
import type { IntergiroSandbox, IntergiroSandboxOrder } from '../../src/sandboxes/intergiro/index.js';
import type { IntergiroSandboxItems } from '../../src/sandboxes/intergiro/wire.js';
import { INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET } from '../support/gateway.js';
import { MONEY_PLANS, moneyOutcomes, planOf, type ChaosDriver, type Outcome } from './chaos-driver.js';

const AMOUNT = '20.00';
const REFUND = '7.50';

const PLANS = MONEY_PLANS;
const EXPECTED = moneyOutcomes(AMOUNT, REFUND);

/** Sum of an Intergiro event's items, in major units with two decimals. */
export function amountOf(items: IntergiroSandboxItems | undefined): number {
  if (items === undefined) return 0;
  if (typeof items === 'number') return items;
  const list = Array.isArray(items) ? items : [items];
  return list.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

/** What the gateway must show for an order, worked out from Intergiro's own record of it. */
function fromIntergiro(order: IntergiroSandboxOrder): Outcome {
  const total = (type: string): number =>
    order.event.filter((event) => event.type === type).reduce((sum, event) => sum + ('items' in event ? amountOf(event.items) : 0), 0);
  const captured = total('charge');
  const refunded = total('refund');
  const cancelled = order.event.some((event) => event.type === 'cancel');
  const status = cancelled
    ? 'CANCELLED'
    : refunded > 0
      ? refunded >= captured
        ? 'REFUNDED'
        : 'PARTIALLY_REFUNDED'
      : captured > 0
        ? 'CAPTURED'
        : order.event.some((event) => event.type === 'order')
          ? 'AUTHORIZED'
          : 'CREATED';
  return { status, captured: captured.toFixed(2), refunded: refunded.toFixed(2) };
}

export function intergiroDriver(sandbox: IntergiroSandbox): ChaosDriver {
  return {
    provider: 'INTERGIRO',
    webhookPath: '/webhooks/intergiro',
    config: { intergiro: { url: sandbox.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET } },
    env: { INTERGIRO_URL: sandbox.url, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET },
    idle: () => sandbox.callbacksIdle(),
    async run(sequence, client) {
      const plan = planOf(PLANS, sequence);
      const created = await client.create({
        provider: 'INTERGIRO',
        currency: 'EUR',
        amount: AMOUNT,
        reference: `chaos-${sequence}`,
        idempotencyKey: `chaos-create-${sequence}`,
        intergiro: { paymentType: 'LINK' },
      });
      const providerOrderId = created.providerOrderId!;
      sandbox.payLink(providerOrderId, 'pay');
      // The callback (or, if every delivery is lost, reconciliation) makes it AUTHORIZED.
      await client.until(created.id, (order) => order.status === 'AUTHORIZED');
      const events =
        plan === 'capture'
          ? [{ type: 'CAPTURE', idempotencyKey: `chaos-capture-${sequence}` }]
          : plan === 'refund'
            ? [
                { type: 'CAPTURE', idempotencyKey: `chaos-capture-${sequence}` },
                { type: 'REFUND', amount: REFUND, idempotencyKey: `chaos-refund-${sequence}` },
              ]
            : plan === 'cancel'
              ? [{ type: 'CANCEL', idempotencyKey: `chaos-cancel-${sequence}` }]
              : [];
      for (const event of events) await client.apply(created.id, event);
      return {
        id: created.id,
        provider: 'INTERGIRO',
        plan,
        expected: EXPECTED[plan],
        atProvider: () => {
          const order = sandbox.getOrder(providerOrderId);
          return order && fromIntergiro(order);
        },
      };
    },
  };
}
