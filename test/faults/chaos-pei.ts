/**
 * Pei in the chaos suite: a one-off order the buyer confirms (Pei's postback to
 * `<PUBLIC_URL>/webhooks/pei` passes the relay) or cancels (no postback: reconciliation reads it)
 * on Pei's page. Pei has no capture or refund: a confirmed order is CAPTURED in full.
 */
import type { PeiSandbox, PeiSandboxOrder } from '../../src/sandboxes/pei/index.js';
import { buyerOnPei } from '../support/pei.js';
import { planOf, type ChaosDriver, type Outcome } from './chaos-driver.js';

/** Whole krónur: ISK has no minor units. */
const AMOUNT = '5000';

type Plan = 'confirm' | 'cancel';
const PLANS: Plan[] = ['confirm', 'cancel'];
const EXPECTED: Record<Plan, Outcome> = {
  confirm: { status: 'CAPTURED', captured: AMOUNT, refunded: '0' },
  cancel: { status: 'CANCELLED', captured: '0', refunded: '0' },
};

function fromPei(order: PeiSandboxOrder): Outcome {
  switch (order.status) {
    case 'Confirmed':
      return { status: 'CAPTURED', captured: String(order.amount), refunded: '0' };
    case 'Cancelled':
      return { status: 'CANCELLED', captured: '0', refunded: '0' };
    case 'Pending':
      return { status: 'CREATED', captured: '0', refunded: '0' };
  }
}

export function peiDriver(sandbox: PeiSandbox): ChaosDriver {
  const { config } = sandbox;
  return {
    provider: 'PEI',
    webhookPath: '/webhooks/pei',
    config: { pei: config },
    env: {
      PEI_URL: config.url,
      PEI_TOKEN_URL: config.tokenUrl,
      PEI_CLIENT_ID: config.clientId,
      PEI_CLIENT_SECRET: config.clientSecret,
      PEI_MERCHANT_ID: config.merchantId,
      PEI_CHECKOUT_URL: config.checkoutUrl,
    },
    idle: () => sandbox.postbacksIdle(),
    async run(sequence, client) {
      const plan = planOf(PLANS, sequence);
      const created = await client.create({
        provider: 'PEI',
        currency: 'ISK',
        reference: `chaos-pei-${sequence}`,
        idempotencyKey: `chaos-pei-create-${sequence}`,
        items: [{ code: 'CHAOS', name: 'Chaos subscription', quantity: 2, unitPrice: '2500', amount: AMOUNT }],
        buyer: { name: 'Chaos Buyer', email: 'chaos@example.com' },
        returnUrls: { success: 'https://shop.example/pei/done', cancel: 'https://shop.example/pei/cancelled' },
        pei: { sequenceType: 'ONE_OFF' },
      });
      const page = created.creation.stopAction?.redirectUrl;
      if (!page) throw new Error(`Pei order ${created.id} has no checkout page`);
      const answer = await buyerOnPei(page, plan === 'confirm' ? 'confirm' : 'cancel');
      await answer.arrayBuffer();
      if (answer.status !== 303) throw new Error(`Pei's page answered ${answer.status}`);
      const providerOrderId = created.providerOrderId!;
      return {
        id: created.id,
        provider: 'PEI',
        plan,
        expected: EXPECTED[plan],
        atProvider: () => {
          const order = sandbox.getOrder(providerOrderId);
          return order && fromPei(order);
        },
      };
    },
  };
}
