import type { PendingOperation } from './orders/pending-operations.js';
import type { Money } from './money.js';
import type { OrderStatus, PaymentStatus } from './status.js';

/** CONTRACT §1: the providers behind the gateway. */
export const PROVIDERS = ['INTERGIRO', 'PEI', 'INTERSHOP', 'DINTERO', 'PAYWAY'] as const;
export type Provider = (typeof PROVIDERS)[number];

export type EventSource = 'CLIENT' | 'WEBHOOK' | 'RECONCILIATION';
export type OrderCreationStatus = 'COMPLETED' | 'STOPPED' | 'ROLLED_BACK' | 'FAILED';
export type StopActionType = 'REDIRECT' | 'THREE_DS' | 'WORKFLOW';

export interface LineItem {
  lineId?: string;
  code?: string;
  name: string;
  quantity?: number;
  unit?: string;
  unitPrice?: Money;
  amount: Money;
  /** Percent, e.g. 25. */
  taxRate?: number;
  group?: string;
  optional?: boolean;
  selected?: boolean;
}

export interface Payment {
  id: string;
  /** The provider's id for the payment method, e.g. "ISH_CREDITCARD" or "scheme". */
  method: string;
  /** The method's display name, where the provider gives one. */
  methodName?: string;
  status: PaymentStatus;
  amount: Money;
  capturedAmount: Money;
  refundedAmount: Money;
  providerReference?: string;
  /** A reusable authorization the provider issued with this payment (Pei's mandateId), for later merchant-initiated orders. */
  mandateId?: string;
}

export interface ThreeDSAction {
  type: string;
  token?: string;
  paymentMethodType?: string;
  sessionReference?: string;
  /** Everything else the provider handed over for the step (method, url, data...). */
  details?: Record<string, unknown>;
}

export interface StopAction {
  type: StopActionType;
  reason?: string;
  redirectUrl?: string;
  threeDS?: ThreeDSAction;
}

export interface Info {
  code: string;
  message: string;
}

export interface OrderCreation {
  status: OrderCreationStatus;
  stopAction?: StopAction;
  infos: Info[];
}

/** One entry of an order's history; its id is the order's event sequence number. */
export interface OrderEvent {
  id: string;
  at: string;
  type: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  amount?: Money;
  source: EventSource;
  /**
   * Kept in the history but sent to no subscriber: a late provider message that would have moved
   * the order back and changes no amount (CONTRACT §2 "Only real changes are pushed").
   */
  quiet?: true;
}

export interface Order {
  id: string;
  provider: Provider;
  /** The `sub` of the token that created it; null for orders the gateway learned of by listing. */
  owner: string | null;
  providerOrderId?: string;
  reference?: string;
  status: OrderStatus;
  providerStatus?: string;
  total: Money;
  items: LineItem[];
  payments: Payment[];
  creation: OrderCreation;
  events: OrderEvent[];
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version, bumped by every stored write. */
  version: number;
  /**
   * The fencing token of the latest change lease taken on the order (domain/orders/change-lease.ts):
   * it only ever grows, and a holder's write is refused once a later holder has stamped a larger one.
   */
  changeFence?: number;
  /**
   * Captures, refunds and cancels sent (or about to be) whose outcome is not stored yet
   * (domain/orders/pending-operations.ts): counted against the bounds, resolved by the answer or
   * by reading the provider. Never exposed through GraphQL.
   */
  pendingOperations?: PendingOperation[];
  /**
   * Captures and refunds whose answer never came and that the provider's reads cannot show
   * (ProviderAdapter.showsOperation), past the pending bound: they may have moved money, so they
   * are kept for good: not counted, never sent again under their key (a retry is
   * PROVIDER_UNAVAILABLE), each named by the Info `provider.outcome_unshown`. Never exposed
   * through GraphQL.
   */
  unshownOperations?: PendingOperation[];
  /** Keys of the provider facts already applied, so a repeated delivery changes nothing. */
  seenKeys: string[];
  /**
   * State only the order's adapter reads (e.g. the original create request it must resubmit for
   * 3-D Secure). Plain JSON; never exposed through GraphQL.
   */
  providerData: Record<string, unknown>;
}

/** What `orderStatusChanged` / `orderUpdates` deliver: one per order event. */
export interface OrderStatusChange {
  eventId: string;
  order: Order;
  previousStatus: OrderStatus | null;
  status: OrderStatus;
  source: EventSource;
  at: string;
  final: boolean;
  /**
   * Position in the gateway-wide feed (store/feed.ts), `<ms>-<seq>`, set by the store's write (in
   * a cluster by the outbox relay, which also writes it into the order's history). On a snapshot,
   * the feed position its state reflects. Absent on changes stored before the feed existed, and in
   * a cluster on a history entry read before its relay finished or whose relay crashed first.
   */
  cursor?: string;
}
