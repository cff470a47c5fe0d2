import type { Money } from './money.js';
import type { ProviderObservation } from './observation.js';
import type { LineItem, Order, Provider } from './order.js';
import type { OrderChange } from './order-events.js';
import type { ChargeWithoutBuyer } from './orders/charge-without-buyer.js';
import type { PendingOperation } from './orders/pending-operations.js';
import type { ProviderCapabilities } from './provider-capabilities.js';
import type { OrderStatus } from './status.js';

/**
 * What the domain needs from a provider. One adapter per provider implements it in
 * `providers/<name>/index.ts`; nothing here knows a provider's wire shapes. An operation a
 * provider does not have is left undefined and answers NOT_SUPPORTED.
 */
export interface ProviderAdapter {
  readonly provider: Provider;

  /** What sets this provider apart, as data the domain asks (`providers/<name>/capabilities.ts`). */
  readonly capabilities: ProviderCapabilities;

  /** Checks provider-specific input before anything is stored or called (BAD_USER_INPUT). */
  validateCreate(command: CreateOrderCommand): void;

  createOrder(command: CreateOrderCommand): Promise<CreatedOrder>;

  /**
   * Whether the (checked) creation charges the buyer without them taking part: a saved card
   * charged by the merchant, a mandate's recurring charge, a purchase for a buyer
   * (orders/charge-without-buyer.ts decides who may). Undefined or no answer: the buyer takes part.
   */
  chargesWithoutBuyer?(command: CreateOrderCommand): ChargeWithoutBuyer | undefined;

  continueOrderCreation?(order: Order, input: ContinueCreationInput): Promise<ProviderObservation>;

  /**
   * What a creation's intent keeps, written before the call, so that `findCreated` can recognise
   * the order if the answer is lost (e.g. Intershop's basket): small JSON, never a credential, a
   * card token or a national id. Default nothing.
   */
  creationLookup?(command: CreateOrderCommand): CreationLookup;

  /**
   * A creation whose answer never came (a timeout, a crash, the store down after the call): the
   * order it made upstream, found by what the adapter sent (its merchant reference: the client's,
   * or the gateway's order id when the client gave none) and what the intent kept. Null: the
   * provider shows no such order. Throws PROVIDER_UNAVAILABLE when it cannot be asked now or the
   * answer is ambiguous. Undefined for a provider whose API cannot be asked (create-order.ts then
   * never creates again on an unknown outcome).
   */
  findCreated?(attempt: CreationAttempt): Promise<CreatedOrder | null>;

  /** Payway's one-step purchase (CONTRACT `placeAdyenOrder`); its input is checked at the edge. */
  placeAdyenOrder?(command: PlaceAdyenOrderCommand): Promise<CreatedOrder>;

  /**
   * Applies checked changes to several orders of this provider in as few calls as the provider
   * allows. Element i answers element i: the facts to record, or the error for that order alone.
   */
  applyOrderChanges?(requests: OrderChangeRequest[]): Promise<OrderChangeResult[]>;

  /**
   * Whether the provider's reads of the order, as last recorded, would show this capture or refund
   * (sent, its answer lost) had it happened: where they would not (only a status word says money
   * moved, and it already said so before), it is not dropped as not done after the pending bound
   * but kept unshown for good, and a retry with its key is refused (domain/orders/pending-operations.ts).
   * Undefined: the provider's figures always show it.
   */
  showsOperation?(order: Order, operation: PendingOperation): boolean;

  /** Re-reads an order upstream (reconciliation); null when the provider no longer knows it. */
  fetchOrder?(order: Order): Promise<ProviderObservation | null>;

  /**
   * Whether the order is still waiting on the provider and should be re-read periodically (asked
   * for final orders only when `capabilities.reconcilesFinalOrders`).
   */
  needsReconciliation(order: Order): boolean;

  listOrders?(filter: ProviderListFilter): Promise<ListedOrder[]>;

  /**
   * Whether a listing's entry is news of an order the gateway already knows (`orders(filter)` then
   * records it, as a re-read would be). Undefined: it always is.
   */
  refreshesFromListing?(known: Order, entry: ListedOrder): boolean;

  /** Verifies and reads a callback; throws UNAUTHENTICATED for anything forged or unverifiable. */
  readWebhook?(request: WebhookRequest): Promise<WebhookFact[]>;

  /**
   * For a callback that is only a hint (unsigned: `readWebhook` re-reads the provider before
   * believing it): what it names, from the request alone and unverified, so the gateway can bound
   * the re-reads hints cause (domain/refresh-lease.ts). Undefined: nothing the adapter would read
   * upstream for (a malformed request, which `readWebhook` refuses without a provider call).
   */
  webhookHint?(request: WebhookRequest): WebhookHint | undefined;
}

export interface CreateOrderCommand {
  provider: Provider;
  reference?: string;
  /** Set when the order has a currency of its own (every provider but Intershop). */
  currency?: string;
  /** The items' sum, or the client's `amount` when there are no items. */
  total?: Money;
  items: LineItem[];
  buyer?: Buyer;
  returnUrls?: ReturnUrls;
  expiresAt?: string;
  /** The provider's own options object from CreateOrderInput (e.g. `intergiro`), unparsed: the adapter reads it with its own schema. */
  options: unknown;
  /** The gateway's id for the order, issued before the provider is called. */
  orderId: string;
}

/** CONTRACT PlaceAdyenOrderInput, validated, without the idempotency key. */
export interface PlaceAdyenOrderCommand {
  /** The gateway's id for the order, issued before the provider is called. */
  orderId: string;
  paymentMethod: Record<string, unknown>;
  productCode: string;
  periodId: string;
  returnUrl: string;
  origin: string;
  trafficSource?: string;
  /** YYYY-MM-DD */
  subscriptionStartDate?: string;
  discountCode?: string;
  merchantReference?: string;
  browserInfo: BrowserInfo;
  deliveryAddress?: DeliveryAddress;
  /** The price the shopper was shown (input amount + currency), checked; the total when Payway states none. */
  statedTotal?: Money;
}

export interface BrowserInfo {
  browserIp: string;
  browserLanguage: string;
  browserUserAgent: string;
  referer: string;
  acceptHeader: string;
  colorDepth: number;
  screenHeight: number;
  screenWidth: number;
  timeZoneOffset: number;
  javaEnabled: boolean;
}

export interface DeliveryAddress {
  firstName: string;
  lastName: string;
  street: string;
  streetNumber?: string;
  zipCode: string;
  floor?: string;
  apartmentNumber?: string;
  entrance?: string;
  city: string;
  dropbox?: string;
  countryCode: string;
}

export interface Buyer {
  customerId?: string;
  name?: string;
  email?: string;
  phone?: string;
  nationalId?: string;
}

export interface ReturnUrls {
  success?: string;
  cancel?: string;
  failure?: string;
}

/** Provider data a creation's intent keeps for `findCreated` (JSON). */
export type CreationLookup = Record<string, string | number | boolean | null>;

/** A creation as its intent recorded it, before the provider was asked. */
export interface CreationAttempt {
  /** The gateway's id the order was given (and, where the client gave no reference, sent as the merchant reference). */
  orderId: string;
  /** The client's reference, if any. */
  reference?: string;
  total?: Money;
  items: LineItem[];
  /** When the call was about to be sent. */
  since: Date;
  lookup: CreationLookup;
}

export interface CreatedOrder {
  providerOrderId?: string;
  reference?: string;
  total: Money;
  items: LineItem[];
  /** The state the provider reported, applied to the new order as its first facts. */
  observation: ProviderObservation;
}

export type RedirectStatus = 'SUCCESS' | 'CANCEL' | 'FAILURE';

export interface ContinueCreationInput {
  returnUrls?: ReturnUrls;
  redirectResult?: { status: RedirectStatus; parameters: { name: string; value: string }[] };
  threeDS?: unknown;
}

export interface OrderChangeRequest {
  order: Order;
  changes: OrderChange[];
}

/**
 * The facts to record for the changes that took effect. On failure, `applied[i]` says whether
 * changes[i] took effect anyway (a provider may apply the events around a refused one): the
 * service keeps those changes' idempotency keys, so a retry does not repeat them, and releases
 * the others.
 */
export type OrderChangeResult =
  | { ok: true; observations: ProviderObservation[] }
  | { ok: false; error: Error; observations: ProviderObservation[]; applied: boolean[] };

export interface ProviderListFilter {
  from?: string;
  to?: string;
  /**
   * How many of the listing's first entries the gateway looks at, at most (list-orders.ts
   * EXAMINE_PER_QUERY): an adapter whose provider's list only grows may stop reading once it has
   * that many (Intershop, round twenty-nine). Other adapters ignore it.
   */
  examined?: number;
}

export interface ListedOrder {
  providerOrderId: string;
  reference?: string;
  total: Money;
  items: LineItem[];
  createdAt: string;
  /** As the observation's: null for a status word the adapter does not know. */
  status: OrderStatus | null;
  observation: ProviderObservation;
}

export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  body: Buffer;
  query: URLSearchParams;
  /**
   * The query as the request wrote it (without its `?`), for a provider that may write its
   * callback's parameters unencoded, where `query` reads a `+` as a space (Dintero, round
   * twenty-two). Absent where the request was not built from a URL.
   */
  rawQuery?: string;
}

/** What an unsigned callback names, before anything is verified. */
export interface WebhookHint {
  /** The provider's order id it names, if it names one. */
  providerOrderId?: string;
  /**
   * The gateway order whose signed callback URL it came to (the MAC holds), if any: only the
   * provider knows that URL, so its callback is throttled on a lease of its own (refresh-lease.ts).
   */
  vouchedFor?: string;
  /**
   * With `vouchedFor`: what the callback says, as one of a few words the adapter names (Pei:
   * `paid`, `refused`, `cancelled`). Each word has a lease of its own, so a provider posting two
   * changes of one order within an interval (a charge declined, then one that went through) is
   * read for each; a leaked URL still costs at most one read per word per interval. The adapter
   * keeps the set small: any text a sender chooses would make the lease unbounded.
   */
  vouchedWord?: string;
}

/** One verified fact from a callback, for the order the provider knows by `providerOrderId`. */
export interface WebhookFact {
  /**
   * The provider's id for the order. Absent when the callback names only the reference the
   * gateway gave (a Payway event about a purchase Payway never named): then `orderId` is set.
   */
  providerOrderId?: string;
  /**
   * The gateway's own id for the order, when the provider echoes back a reference the gateway
   * gave it (Payway's merchant_reference): the order is found by it when none is known by
   * `providerOrderId` yet (a purchase that was pending before the provider named its order).
   */
  orderId?: string;
  /**
   * The fact was vouched for this gateway order only (a callback URL the gateway signed for it,
   * not the provider's word): it must not reach any other order, whatever `providerOrderId` says.
   */
  onlyForOrderId?: string;
  /** Null when the callback only says "look again" (e.g. an unsigned error notice). */
  observation: ProviderObservation | null;
  /**
   * The callback read beside the order as the gateway holds it (its own captured and refunded
   * figures, and the changes it has under way), for a callback that alone cannot say how much
   * moved (an Intergiro order whose status says `charged` but whose events carry no amounts).
   * Used in place of `observation` once the order is found; a parked fact keeps `observation`.
   */
  observationFor?: (order: Order) => ProviderObservation;
  /**
   * The callback itself is not accepted (answered 401 with this reason), though this fact is
   * stored: it was not taken from the callback but read afresh from the provider because of it
   * (a genuine token past its expiry). The sender is told its callback was refused; nothing it
   * claimed was believed.
   */
  refusedBecause?: string;
}
