import type { Provider } from '../../src/domain/order.js';
import type { OrderStatus } from '../../src/domain/status.js';
import type { OrderView } from '../support/documents.js';
import type { TestEnvironment } from '../support/gateway.js';

/**
 * What the shared scenario suite needs to know about one provider. Each provider adds a driver
 * in this folder and registers it in `drivers.ts`; the suite then runs the same scenarios
 * (create -> buyer acts -> paid -> capture/refund -> subscriber saw it) against its sandbox.
 */
export interface ScenarioDriver {
  provider: Provider;
  /** A CreateOrderInput for an order the buyer still has to pay, of `amount` in `currency`. */
  payableOrder(amount: string): Record<string, unknown>;
  /**
   * Creates the order through GraphQL when `createOrder(payableOrder)` is not how this provider's
   * orders are made (Payway: placeAdyenOrder). Answers the order as created.
   */
  create?(gatewayUrl: string, token: string, amount: string, env: TestEnvironment): Promise<OrderView>;
  currency: string;
  /** The buyer finishes (or abandons) the provider's step, as a person would, over HTTP. */
  buyer(env: TestEnvironment, order: OrderView, outcome: 'pay' | 'decline' | 'cancel'): Promise<void>;
  /** The status a paid order reaches (AUTHORIZED for card authorizations, CAPTURED for purchases). */
  paidStatus: 'AUTHORIZED' | 'CAPTURED';
  /**
   * The final status a decline / a cancel by the buyer leads to; defaults FAILED and CANCELLED.
   * null: the buyer has no such step with this provider (the scenario is skipped).
   */
  outcomes?: { decline?: OrderStatus | null; cancel?: OrderStatus | null };
  /**
   * Makes the provider answer `word` as the status of the order (still waiting on the buyer),
   * for a word the gateway does not know; null: its own word again. Only for providers whose
   * waiting orders the gateway re-reads and lists (Payway's purchase answers and Dintero's
   * transactions have their own tests: test/providers/*-seed-minimal.test.ts, test/unit).
   */
  sayStatus?(env: TestEnvironment, order: OrderView, word: string | null): void;
  /** Which order events the provider has (others must answer NOT_SUPPORTED). */
  supports: {
    capture: boolean;
    /** More than one capture per authorization. */
    repeatedCapture: boolean;
    refund: boolean;
    cancel: boolean;
  };
}
