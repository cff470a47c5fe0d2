/**
 * What the chaos suite needs from each provider: a driver that configures the gateways for it,
 * takes one order through its course as shop, buyer and back office would, and says what the
 * order must end as, both from the plan and from the provider's own record (its sandbox).
 */
import type { ProviderConfigs } from '../../src/config.js';
import type { OrderView } from '../support/documents.js';
import type { Callback } from './chaos-relay.js';

/** What the gateway must show for an order at the end. */
export interface Outcome {
  status: string;
  captured: string;
  refunded: string;
}

/** The persistent client the drivers act through (chaos.test.ts: retried on any instance). */
export interface ChaosClient {
  /** createOrder as the shop; the input carries its idempotency key. */
  create(input: Record<string, unknown>): Promise<OrderView>;
  /** placeAdyenOrder as the shop; the input carries its idempotency key. */
  place(input: Record<string, unknown>): Promise<OrderView>;
  /** One event through applyOrderEvents as the back office; the event carries its idempotency key. */
  apply(orderId: string, event: Record<string, unknown>): Promise<void>;
  read(id: string): Promise<OrderView>;
  /** Polls the order until `accept` holds (bounded generously: instances and Redis come and go). */
  until(id: string, accept: (order: OrderView) => boolean): Promise<OrderView>;
}

/** One order a driver took through its plan. */
export interface ChaosOrder {
  id: string;
  provider: string;
  plan: string;
  expected: Outcome;
  /** What the provider's own record says the gateway must show. */
  atProvider(): Outcome | undefined;
  /** Checks of the provider's record beyond the outcome (e.g. nothing recorded twice); throws. */
  verify?(client: ChaosClient): Promise<void>;
}

export interface ChaosDriver {
  provider: string;
  /** Where its callbacks arrive (`<PUBLIC_URL>/webhooks/<name>`): they must all have passed the relay. */
  webhookPath: string;
  /** The in-process gateway's configuration for this provider. */
  config: ProviderConfigs;
  /** The same configuration as the child gateway's environment. */
  env: Record<string, string>;
  /** Takes the `sequence`-th order of this provider through its plan. */
  run(sequence: number, client: ChaosClient): Promise<ChaosOrder>;
  /** Resolves once the provider has no callback under way (delivered or given up). */
  idle(): Promise<void>;
  /**
   * How the gateway must answer this callback replayed at the end: 'refuse' (401) for one of this
   * provider's whose signature has aged past the gateway's tolerance, 'either' near that bound;
   * undefined for callbacks that are not this provider's (or that must simply be taken, 2xx).
   */
  replayVerdict?(callback: Callback, now: number): 'refuse' | 'either' | undefined;
}

/** A plan chosen round-robin, so every ending occurs even in a short run. */
export function planOf<P extends string>(plans: readonly P[], sequence: number): P {
  return plans[sequence % plans.length]!;
}

/** What a provider with capture, refund and cancel is asked to do with an authorized order. */
export type MoneyPlan = 'authorize' | 'capture' | 'refund' | 'cancel';
export const MONEY_PLANS: readonly MoneyPlan[] = ['authorize', 'capture', 'refund', 'cancel'];

/** Where each money plan ends, for an order of `amount` of which `refund` is refunded. */
export function moneyOutcomes(amount: string, refund: string): Record<MoneyPlan, Outcome> {
  return {
    authorize: { status: 'AUTHORIZED', captured: '0.00', refunded: '0.00' },
    capture: { status: 'CAPTURED', captured: amount, refunded: '0.00' },
    refund: { status: 'PARTIALLY_REFUNDED', captured: amount, refunded: refund },
    cancel: { status: 'CANCELLED', captured: '0.00', refunded: '0.00' },
  };
}
