/**
 * Dintero in the chaos suite: a checkout session the buyer pays on Dintero's page (the checkout
 * callback, a GET to `<PUBLIC_URL>/webhooks/dintero`, passes the relay), then captured, partly
 * refunded or voided through applyOrderEvents. Dintero's own record is the transaction's events;
 * the gateway also records each movement on Dintero's order (Orders API), exactly once.
 */
import type { DinteroSandbox, DinteroSandboxTransaction } from '../../src/sandboxes/dintero/index.js';
import { buyerOnCheckout, dinteroOrderInput, sessionIdOf } from '../support/dintero.js';
import { MONEY_PLANS, moneyOutcomes, planOf, type ChaosDriver, type MoneyPlan, type Outcome } from './chaos-driver.js';

/** dinteroOrderInput's total. */
const AMOUNT = '498.00';
const REFUND = '50.00';

const PLANS = MONEY_PLANS;
const EXPECTED = moneyOutcomes(AMOUNT, REFUND);
/** How many recordings of each kind Dintero's order must hold at the end. */
const RECORDINGS: Record<MoneyPlan, { authorizations: number; captures: number; refunds: number; cancellations: number }> = {
  authorize: { authorizations: 1, captures: 0, refunds: 0, cancellations: 0 },
  capture: { authorizations: 1, captures: 1, refunds: 0, cancellations: 0 },
  refund: { authorizations: 1, captures: 1, refunds: 1, cancellations: 0 },
  cancel: { authorizations: 1, captures: 0, refunds: 0, cancellations: 1 },
};

/** What the gateway must show, from the transaction's successful events (amounts in øre). */
function fromDintero(transaction: DinteroSandboxTransaction): Outcome {
  const succeeded = transaction.events.filter((event) => event.success);
  const total = (name: string): number => succeeded.filter((event) => event.event === name).reduce((sum, event) => sum + event.amount, 0);
  const captured = total('CAPTURE');
  const refunded = total('REFUND');
  const status = succeeded.some((event) => event.event === 'VOID')
    ? 'CANCELLED'
    : refunded > 0
      ? refunded >= captured
        ? 'REFUNDED'
        : 'PARTIALLY_REFUNDED'
      : captured > 0
        ? captured >= transaction.amount
          ? 'CAPTURED'
          : 'PARTIALLY_CAPTURED'
        : succeeded.some((event) => event.event === 'AUTHORIZE')
          ? 'AUTHORIZED'
          : 'CREATED';
  return { status, captured: (captured / 100).toFixed(2), refunded: (refunded / 100).toFixed(2) };
}

export function dinteroDriver(sandbox: DinteroSandbox): ChaosDriver {
  const { config } = sandbox;
  return {
    provider: 'DINTERO',
    webhookPath: '/webhooks/dintero',
    config: { dintero: config },
    env: {
      DINTERO_API_URL: config.apiUrl,
      DINTERO_CHECKOUT_URL: config.checkoutUrl,
      DINTERO_ACCOUNT_ID: config.accountId,
      DINTERO_CLIENT_ID: config.clientId,
      DINTERO_CLIENT_SECRET: config.clientSecret,
      ...(config.profileId ? { DINTERO_PROFILE_ID: config.profileId } : {}),
    },
    idle: () => sandbox.callbacksIdle(),
    async run(sequence, client) {
      const plan = planOf(PLANS, sequence);
      const created = await client.create(
        dinteroOrderInput({ reference: `chaos-dintero-${sequence}`, idempotencyKey: `chaos-dintero-create-${sequence}` }),
      );
      const page = created.creation.stopAction?.redirectUrl;
      if (!page) throw new Error(`Dintero order ${created.id} has no checkout page`);
      const sessionId = sessionIdOf(page);
      // The callback follows the buyer's redirect; the relay may drop it into a dead instance.
      const paid = await buyerOnCheckout(page, 'pay', { callback: 'after' });
      if (paid.status !== 303) throw new Error(`the checkout page answered ${paid.status}`);
      await client.until(created.id, (order) => order.status === 'AUTHORIZED');
      if (plan === 'capture' || plan === 'refund') {
        await client.apply(created.id, { type: 'CAPTURE', idempotencyKey: `chaos-dintero-capture-${sequence}` });
      }
      if (plan === 'refund') {
        // A capture whose answer was lost shows only once reconciliation has read it back; a back
        // office refunds what it sees captured.
        await client.until(created.id, (order) => order.status === 'CAPTURED');
        await client.apply(created.id, { type: 'REFUND', amount: REFUND, idempotencyKey: `chaos-dintero-refund-${sequence}` });
      }
      if (plan === 'cancel') await client.apply(created.id, { type: 'CANCEL', idempotencyKey: `chaos-dintero-cancel-${sequence}` });

      const transaction = (): DinteroSandboxTransaction | undefined => {
        const id = sandbox.getSession(sessionId)?.transaction_id;
        return id === undefined ? undefined : sandbox.getTransaction(id);
      };
      return {
        id: created.id,
        provider: 'DINTERO',
        plan,
        expected: EXPECTED[plan],
        atProvider: () => {
          const found = transaction();
          return found && fromDintero(found);
        },
        async verify(chaos) {
          // Recordings still pending (Dintero's Orders API was down) are sent by reconciliation.
          await chaos.until(created.id, (order) => order.creation.infos.length === 0);
          const order = sandbox.getOrder(created.providerOrderId!);
          const counts = order && {
            authorizations: order.authorizations.length,
            captures: order.captures.length,
            refunds: order.refunds.length,
            cancellations: order.cancellations.length,
          };
          if (JSON.stringify(counts) !== JSON.stringify(RECORDINGS[plan])) {
            throw new Error(`Dintero order ${created.providerOrderId} (${created.id}, ${plan}) holds recordings ${JSON.stringify(counts)}`);
          }
        },
      };
    },
  };
}
