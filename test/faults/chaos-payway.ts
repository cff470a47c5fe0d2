/**
 * Payway (Adyen) in the chaos suite: a purchase placed with a test card that completes at once,
 * or is pending until Payway's signed purchase event (to `<gatewayUrl>/webhooks/payway`, the
 * relay) closes it or reports it failed. Payway has no capture or refund through the gateway.
 * Payway's own record is its purchases under the order's merchant reference: exactly one.
 */
import type { PaywaySandbox, PaywaySandboxPurchase } from '../../src/sandboxes/payway/index.js';
import { PAYWAY_TEST_CARDS, placeInput } from '../support/payway.js';
import { planOf, type ChaosDriver, type Outcome } from './chaos-driver.js';

/** The seed's period price (PAYWAY_PERIOD). */
const AMOUNT = '199.00';

type Plan = 'complete' | 'pending-closed' | 'pending-failed';
const PLANS: Plan[] = ['complete', 'pending-closed', 'pending-failed'];
const CARDS: Record<Plan, string> = {
  complete: PAYWAY_TEST_CARDS.complete,
  'pending-closed': PAYWAY_TEST_CARDS.pendingThenClosed,
  'pending-failed': PAYWAY_TEST_CARDS.pendingThenFailed,
};
const EXPECTED: Record<Plan, Outcome> = {
  complete: { status: 'CAPTURED', captured: AMOUNT, refunded: '0.00' },
  'pending-closed': { status: 'CAPTURED', captured: AMOUNT, refunded: '0.00' },
  'pending-failed': { status: 'FAILED', captured: '0.00', refunded: '0.00' },
};

const WEBHOOK_PATH = '/webhooks/payway';
/** The gateway's replay window for signed events (payway/webhook.ts). */
const TOLERANCE_SEC = 300;
/** Either answer is right this close to the bound (the replay itself takes a moment). */
const MARGIN_SEC = 10;

function fromPayway(purchases: PaywaySandboxPurchase[]): Outcome {
  // A second purchase under one reference would be a payment placed twice.
  if (purchases.length !== 1) return { status: `${purchases.length} purchases at Payway`, captured: '', refunded: '' };
  switch (purchases[0]!.state) {
    case 'complete':
      return { status: 'CAPTURED', captured: AMOUNT, refunded: '0.00' };
    case 'failed':
      return { status: 'FAILED', captured: '0.00', refunded: '0.00' };
    case 'pending':
      return { status: 'PENDING', captured: '0.00', refunded: '0.00' };
    case 'action_required':
      return { status: 'ACTION_REQUIRED', captured: '0.00', refunded: '0.00' };
  }
}

export function paywayDriver(sandbox: PaywaySandbox): ChaosDriver {
  const { config } = sandbox;
  return {
    provider: 'PAYWAY',
    webhookPath: WEBHOOK_PATH,
    config: { payway: config },
    env: { PAYWAY_URL: config.url, PAYWAY_TOKEN: config.token, ...(config.webhookSecret ? { PAYWAY_WEBHOOK_SECRET: config.webhookSecret } : {}) },
    idle: () => sandbox.eventsIdle(),
    replayVerdict(callback, now) {
      if (!callback.path.startsWith(WEBHOOK_PATH)) return undefined;
      const age = now / 1000 - Number(callback.headers['x-payway-timestamp']);
      return age > TOLERANCE_SEC + MARGIN_SEC ? 'refuse' : age > TOLERANCE_SEC - MARGIN_SEC ? 'either' : undefined;
    },
    async run(sequence, client) {
      const plan = planOf(PLANS, sequence);
      const reference = `chaos-payway-${sequence}`;
      const placed = await client.place(placeInput(CARDS[plan], { merchantReference: reference, idempotencyKey: `chaos-payway-place-${sequence}` }));
      return {
        id: placed.id,
        provider: 'PAYWAY',
        plan,
        expected: EXPECTED[plan],
        atProvider: () => fromPayway(sandbox.purchasesWithReference(reference)),
      };
    },
  };
}
