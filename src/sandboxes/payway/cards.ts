/**
 * Test cards: the sandbox decides a purchase's course from the payment method the way Adyen's
 * test cards do. The card number is read from `encryptedCardNumber` (Adyen's test values are
 * the plain number after "test_", e.g. "test_4111111111111111"); unlisted numbers complete.
 */
import type { PaywaySandboxActionType, PaywaySandboxEventType } from './wire.js';

export interface PurchaseScript {
  /** The Adyen actions the shopper must perform first, in order. */
  actions: PaywaySandboxActionType[];
  /** What happens once they are done. */
  then: 'complete' | 'pending' | 'refused';
  /** For `pending`: the event that settles it after `pendingSettleMs`; undefined waits for `settle()`. */
  settle?: PaywaySandboxEventType;
}

export const PAYWAY_TEST_CARDS = {
  /** Authorised at once. */
  complete: '4111111111111111',
  /** A 3-D Secure 2 challenge, then authorised. */
  challenge: '4917610000000000',
  /** A 3-D Secure 2 fingerprint, then a challenge, then authorised: two actions. */
  fingerprintThenChallenge: '5201281505129736',
  /** Pending; Payway closes the order after `pendingSettleMs` (order_closed). */
  pendingThenClosed: '4000620000000007',
  /** Pending; the payment fails after `pendingSettleMs` (payment_failure). */
  pendingThenFailed: '4000300011112220',
  /** Pending until the test calls `settle()`. */
  pendingHeld: '4000000000009995',
  /** A challenge, then pending until `settle()`. */
  challengeThenPending: '5454545454545454',
  /** Refused by Adyen: a 400 `payment_refused` with a correlation id. */
  refused: '4000000000000002',
  /** Adyen's `await` action (the shopper approves in an app, as with Swish), then authorised. */
  awaitThenComplete: '4000000000000044',
} as const;

const SCRIPTS: Record<string, PurchaseScript> = {
  [PAYWAY_TEST_CARDS.challenge]: { actions: ['threeDS2Challenge'], then: 'complete' },
  [PAYWAY_TEST_CARDS.fingerprintThenChallenge]: { actions: ['threeDS2Fingerprint', 'threeDS2Challenge'], then: 'complete' },
  [PAYWAY_TEST_CARDS.pendingThenClosed]: { actions: [], then: 'pending', settle: 'order_closed' },
  [PAYWAY_TEST_CARDS.pendingThenFailed]: { actions: [], then: 'pending', settle: 'payment_failure' },
  [PAYWAY_TEST_CARDS.pendingHeld]: { actions: [], then: 'pending' },
  [PAYWAY_TEST_CARDS.challengeThenPending]: { actions: ['threeDS2Challenge'], then: 'pending' },
  [PAYWAY_TEST_CARDS.refused]: { actions: [], then: 'refused' },
  [PAYWAY_TEST_CARDS.awaitThenComplete]: { actions: ['await'], then: 'complete' },
};

export function scriptFor(paymentMethod: { type: string; encryptedCardNumber?: unknown }): PurchaseScript {
  // Swish and other redirect-less wallets settle later, like a held pending card.
  if (paymentMethod.type !== 'scheme') return { actions: [], then: 'pending' };
  const encrypted = typeof paymentMethod.encryptedCardNumber === 'string' ? paymentMethod.encryptedCardNumber : '';
  const number = encrypted.replace(/^test_/, '').replace(/\s+/g, '');
  return SCRIPTS[number] ?? { actions: [], then: 'complete' };
}
