/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Payway's browser_info: the buyer's browser, for Adyen's 3-D Secure 2 risk checks. */
export type BrowserInfoInput = {
  acceptHeader: string;
  browserIp: string;
  browserLanguage: string;
  browserUserAgent: string;
  colorDepth: number;
  javaEnabled: boolean;
  referer: string;
  screenHeight: number;
  screenWidth: number;
  timeZoneOffset: number;
};

export type BuyerInput = {
  customerId?: string | null | undefined;
  email?: string | null | undefined;
  name?: string | null | undefined;
  nationalId?: string | null | undefined;
  phone?: string | null | undefined;
};

export type ContinueOrderCreationInput = {
  orderId: string | number;
  redirectResult?: RedirectResultInput | null | undefined;
  returnUrls?: ReturnUrlsInput | null | undefined;
  /** INTERGIRO: the 3-D Secure result ({type: "method"|"challenge", data: "<iframe response>"}), resubmitted under the same provider order id. PAYWAY: Adyen's `details`. */
  threeDS?: unknown;
};

export type CreateOrderInput = {
  /** Total when there are no items; must equal the items' sum when both are given (PEI: the lines selected by default). */
  amount?: string | null | undefined;
  buyer?: BuyerInput | null | undefined;
  /** ISO 4217; not for INTERSHOP (the basket has it). */
  currency?: string | null | undefined;
  dintero?: DinteroOrderOptions | null | undefined;
  expiresAt?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  intergiro?: IntergiroOrderOptions | null | undefined;
  intershop?: IntershopOrderOptions | null | undefined;
  items?: Array<LineItemInput> | null | undefined;
  pei?: PeiOrderOptions | null | undefined;
  provider: Provider;
  /** Intergiro number, Pei Reference, Dintero merchant_reference. */
  reference?: string | null | undefined;
  returnUrls?: ReturnUrlsInput | null | undefined;
};

/** Payway's delivery_address; countryCode is SE, FI or AX. */
export type DeliveryAddressInput = {
  apartmentNumber?: string | null | undefined;
  city: string;
  countryCode: string;
  dropbox?: string | null | undefined;
  entrance?: string | null | undefined;
  firstName: string;
  floor?: string | null | undefined;
  lastName: string;
  street: string;
  streetNumber?: string | null | undefined;
  zipCode: string;
};

export type DinteroOrderOptions = {
  /** e.g. "ALPHANUMERIC_9". */
  generateOrderId?: string | null | undefined;
  profileId?: string | null | undefined;
};

export type EventSource =
  | 'CLIENT'
  | 'RECONCILIATION'
  | 'WEBHOOK';

export type IntergiroOrderOptions = {
  /** CARD: the browser object of the seed. */
  browser?: unknown;
  /** CARD: the card token. */
  cardToken?: string | null | undefined;
  /** LINK: ask the payer for the cardholder name. */
  cardholderName?: boolean | null | undefined;
  /** true sends "charge": "auto" (capture at once). */
  charge?: boolean | null | undefined;
  /** CUSTOMER (required) and saved-card CARD. */
  customerId?: string | null | undefined;
  paymentType: IntergiroPaymentType;
  /** CARD with a saved card. */
  subsequent?: IntergiroSubsequentInput | null | undefined;
};

export type IntergiroPaymentType =
  | 'CARD'
  | 'CUSTOMER'
  | 'LINK';

export type IntergiroSubsequentInput = {
  /** "cardholder" or "merchant". */
  initiator: string;
  reference: string;
};

export type IntershopOrderOptions = {
  basketId: string;
  termsAndConditionsAccepted: boolean;
};

export type LineItemInput = {
  amount: string;
  code?: string | null | undefined;
  /** PEI: one alternative of a group the buyer picks one of on Pei's page; counts toward the total only when `selected`. */
  group?: string | null | undefined;
  lineId?: string | null | undefined;
  name: string;
  /** PEI: an extra the buyer may tick; counts toward the total only when `selected`. */
  optional?: boolean | null | undefined;
  quantity?: number | null | undefined;
  /** PEI: chosen by default. Other providers refuse `group`, `optional` and `selected`. */
  selected?: boolean | null | undefined;
  /** Percent, e.g. 25. */
  taxRate?: number | null | undefined;
  unit?: string | null | undefined;
  unitPrice?: string | null | undefined;
};

export type NameValueInput = {
  name: string;
  value: string;
};

export type OrderCreationStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'ROLLED_BACK'
  | 'STOPPED';

export type OrderEventInput = {
  /** CAPTURE / REFUND: the amount; the whole remainder when absent. */
  amount?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  items?: Array<OrderEventItemInput> | null | undefined;
  reason?: string | null | undefined;
  type: OrderEventType;
};

export type OrderEventItemInput = {
  amount: string;
  lineId: string;
};

export type OrderEventType =
  | 'CANCEL'
  | 'CAPTURE'
  | 'REFUND';

export type OrderEventsInput = {
  events: Array<OrderEventInput>;
  orderId: string | number;
};

/** Every field optional; `from` and `to` are days (UTC) of createdAt, both included. */
export type OrderFilter = {
  from?: string | null | undefined;
  provider?: Provider | null | undefined;
  /** The merchant's own reference, exactly. */
  reference?: string | null | undefined;
  status?: OrderStatus | null | undefined;
  to?: string | null | undefined;
};

/** One monotonic state machine: a status never moves backwards, and a final one never changes. */
export type OrderStatus =
  | 'ACTION_REQUIRED'
  | 'AUTHORIZED'
  | 'CANCELLED'
  | 'CAPTURED'
  | 'CREATED'
  | 'EXPIRED'
  | 'FAILED'
  | 'PARTIALLY_CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED';

export type PaymentStatus =
  | 'ACTION_REQUIRED'
  | 'AUTHORIZED'
  | 'CAPTURED'
  | 'FAILED'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export type PeiFrequency =
  | 'MONTH'
  | 'WEEK';

export type PeiOrderOptions = {
  mandateId?: string | null | undefined;
  purchaseForBuyer?: boolean | null | undefined;
  sequenceType?: PeiSequenceType | null | undefined;
  subscription?: PeiSubscriptionInput | null | undefined;
};

export type PeiSequenceType =
  | 'FIRST'
  | 'ONE_OFF'
  | 'RECURRING';

export type PeiSubscriptionInput = {
  cycles: number;
  frequency: PeiFrequency;
  frequencyInterval: number;
  startDate: string;
};

/** Payway's place_order parameters in camelCase, each checked against Payway's parameter table, plus the price the shopper was shown (amount, currency). */
export type PlaceAdyenOrderInput = {
  /** The price the shopper was shown, in major units ("199.00"), with `currency`. Payway's answers carry no price, so without it the mutation is BAD_USER_INPUT on input.amount before any call to Payway. The order's total is Payway's own figure where one is given, else this amount (Info payway.total_as_stated). */
  amount?: string | null | undefined;
  browserInfo: BrowserInfoInput;
  /** The ISO 4217 code of `amount`, e.g. "SEK". */
  currency?: string | null | undefined;
  deliveryAddress?: DeliveryAddressInput | null | undefined;
  discountCode?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  /** Payway's merchant_reference; when absent the gateway sends its own order id, to match Payway's later purchase events. */
  merchantReference?: string | null | undefined;
  origin: string;
  /** The Adyen drop-in's state.data.paymentMethod (onSubmit). */
  paymentMethod: unknown;
  periodId: string;
  productCode: string;
  returnUrl: string;
  subscriptionStartDate?: string | null | undefined;
  trafficSource?: string | null | undefined;
};

export type Provider =
  | 'DINTERO'
  | 'INTERGIRO'
  | 'INTERSHOP'
  | 'PAYWAY'
  | 'PEI';

export type RedirectResultInput = {
  parameters?: Array<NameValueInput> | null | undefined;
  status: RedirectStatus;
};

export type RedirectStatus =
  | 'CANCEL'
  | 'FAILURE'
  | 'SUCCESS';

export type ReturnUrlsInput = {
  cancel?: string | null | undefined;
  failure?: string | null | undefined;
  success?: string | null | undefined;
};

export type StopActionType =
  | 'REDIRECT'
  | 'THREE_DS'
  | 'WORKFLOW';

export type CheckoutCreateOrderMutationVariables = Exact<{
  input: CreateOrderInput;
}>;


export type CheckoutCreateOrderMutation = { createOrder: { id: string, status: OrderStatus, total: { amount: string, currency: string }, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, redirectUrl: string | null, threeDS: { type: string, details: unknown } | null } | null } } };

export type CheckoutOrderQueryVariables = Exact<{
  id: string | number;
}>;


export type CheckoutOrderQuery = { order: { id: string, provider: Provider, status: OrderStatus, total: { amount: string, currency: string }, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, redirectUrl: string | null, threeDS: { type: string, details: unknown } | null } | null } } | null };

export type CheckoutContinueOrderMutationVariables = Exact<{
  input: ContinueOrderCreationInput;
}>;


export type CheckoutContinueOrderMutation = { continueOrderCreation: { id: string, status: OrderStatus, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, redirectUrl: string | null, threeDS: { type: string, details: unknown } | null } | null } } };

export type CheckoutWatchOrderSubscriptionVariables = Exact<{
  orderId: string | number;
  after?: string | null | undefined;
}>;


export type CheckoutWatchOrderSubscription = { orderStatusChanged: { eventId: string, previousStatus: OrderStatus | null, status: OrderStatus, final: boolean, at: string } };

export type BackOfficeOrdersQueryVariables = Exact<{
  filter: OrderFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BackOfficeOrdersQuery = { orders: { nodes: Array<{ id: string, provider: Provider, reference: string | null, status: OrderStatus, createdAt: string, total: { amount: string, currency: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type BackOfficeUpdatesSubscriptionVariables = Exact<{
  provider?: Provider | null | undefined;
  after?: string | null | undefined;
}>;


export type BackOfficeUpdatesSubscription = { orderUpdates: { cursor: string, eventId: string, previousStatus: OrderStatus | null, status: OrderStatus, at: string, order: { id: string, provider: Provider, reference: string | null } } };

export type OrderFieldsFragment = { id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> };

export type CreateOrderMutationVariables = Exact<{
  input: CreateOrderInput;
}>;


export type CreateOrderMutation = { createOrder: { id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> } };

export type ContinueOrderMutationVariables = Exact<{
  input: ContinueOrderCreationInput;
}>;


export type ContinueOrderMutation = { continueOrderCreation: { id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> } };

export type ApplyEventsMutationVariables = Exact<{
  input: Array<OrderEventsInput> | OrderEventsInput;
}>;


export type ApplyEventsMutation = { applyOrderEvents: Array<{ id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> } | null> };

export type GetOrderQueryVariables = Exact<{
  id: string | number;
}>;


export type GetOrderQuery = { order: { id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> } | null };

export type ListOrdersQueryVariables = Exact<{
  filter: OrderFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ListOrdersQuery = { orders: { nodes: Array<{ id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WatchOrderSubscriptionVariables = Exact<{
  orderId: string | number;
  after?: string | null | undefined;
}>;


export type WatchOrderSubscription = { orderStatusChanged: { eventId: string, previousStatus: OrderStatus | null, status: OrderStatus, source: EventSource, final: boolean, at: string, order: { id: string, status: OrderStatus, providerStatus: string | null, payments: Array<{ status: PaymentStatus, capturedAmount: { amount: string }, refundedAmount: { amount: string } }> } } };

export type OrderUpdatesSubscriptionVariables = Exact<{
  provider?: Provider | null | undefined;
}>;


export type OrderUpdatesSubscription = { orderUpdates: { eventId: string, status: OrderStatus, previousStatus: OrderStatus | null, source: EventSource, order: { id: string, provider: Provider } } };

export type PlaceAdyenOrderMutationVariables = Exact<{
  input: PlaceAdyenOrderInput;
}>;


export type PlaceAdyenOrderMutation = { placeAdyenOrder: { id: string, provider: Provider, providerOrderId: string | null, reference: string | null, status: OrderStatus, providerStatus: string | null, createdAt: string, updatedAt: string, total: { amount: string, currency: string, minorUnits: number }, items: Array<{ lineId: string | null, name: string, quantity: number | null, amount: { amount: string } }>, payments: Array<{ id: string, method: string, methodName: string | null, status: PaymentStatus, providerReference: string | null, mandateId: string | null, amount: { amount: string }, capturedAmount: { amount: string }, refundedAmount: { amount: string } }>, creation: { status: OrderCreationStatus, stopAction: { type: StopActionType, reason: string | null, redirectUrl: string | null, threeDS: { type: string, token: string | null, paymentMethodType: string | null, sessionReference: string | null, details: unknown } | null } | null, infos: Array<{ code: string, message: string }> }, events: Array<{ id: string, type: string, status: OrderStatus, source: EventSource, amount: { amount: string } | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const OrderFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}
    `, {"fragmentName":"OrderFields"}) as unknown as TypedDocumentString<OrderFieldsFragment, unknown>;
export const CheckoutCreateOrderDocument = new TypedDocumentString(`
    mutation CheckoutCreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) {
    id
    status
    total {
      amount
      currency
    }
    creation {
      status
      stopAction {
        type
        redirectUrl
        threeDS {
          type
          details
        }
      }
    }
  }
}
    `, {"hash":"sha256:8b95a60e8f44200a8eecd9e1b9346763c72090123f63bac94fb009166967a841"}) as unknown as TypedDocumentString<CheckoutCreateOrderMutation, CheckoutCreateOrderMutationVariables>;
export const CheckoutOrderDocument = new TypedDocumentString(`
    query CheckoutOrder($id: ID!) {
  order(id: $id) {
    id
    provider
    status
    total {
      amount
      currency
    }
    creation {
      status
      stopAction {
        type
        redirectUrl
        threeDS {
          type
          details
        }
      }
    }
  }
}
    `, {"hash":"sha256:5e7b6d9ec138c54a36ee17b95ffb62c4181e67850d753616b39b91ec6dc75ed9"}) as unknown as TypedDocumentString<CheckoutOrderQuery, CheckoutOrderQueryVariables>;
export const CheckoutContinueOrderDocument = new TypedDocumentString(`
    mutation CheckoutContinueOrder($input: ContinueOrderCreationInput!) {
  continueOrderCreation(input: $input) {
    id
    status
    creation {
      status
      stopAction {
        type
        redirectUrl
        threeDS {
          type
          details
        }
      }
    }
  }
}
    `, {"hash":"sha256:bb4f46847408f4699642f2f158f7824708b6645ab922fbc0f5cc4a66ebbd8bd7"}) as unknown as TypedDocumentString<CheckoutContinueOrderMutation, CheckoutContinueOrderMutationVariables>;
export const CheckoutWatchOrderDocument = new TypedDocumentString(`
    subscription CheckoutWatchOrder($orderId: ID!, $after: String) {
  orderStatusChanged(orderId: $orderId, after: $after) {
    eventId
    previousStatus
    status
    final
    at
  }
}
    `, {"hash":"sha256:f54cae9b49f3634805633f71ae98d426760c1f045bc7cee26e4202ab9936a2f0"}) as unknown as TypedDocumentString<CheckoutWatchOrderSubscription, CheckoutWatchOrderSubscriptionVariables>;
export const BackOfficeOrdersDocument = new TypedDocumentString(`
    query BackOfficeOrders($filter: OrderFilter!, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      provider
      reference
      status
      total {
        amount
        currency
      }
      createdAt
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"hash":"sha256:825b11a3e91d796577cf95828ed8f24b906c1565835a05c014a4c64e3b89aa28"}) as unknown as TypedDocumentString<BackOfficeOrdersQuery, BackOfficeOrdersQueryVariables>;
export const BackOfficeUpdatesDocument = new TypedDocumentString(`
    subscription BackOfficeUpdates($provider: Provider, $after: String) {
  orderUpdates(provider: $provider, after: $after) {
    cursor
    eventId
    previousStatus
    status
    at
    order {
      id
      provider
      reference
    }
  }
}
    `, {"hash":"sha256:1df06c36b8b7d166c4c34e4a7e10367bd970b7535d934dea363553adf9433b96"}) as unknown as TypedDocumentString<BackOfficeUpdatesSubscription, BackOfficeUpdatesSubscriptionVariables>;
export const CreateOrderDocument = new TypedDocumentString(`
    mutation CreateOrder($input: CreateOrderInput!) {
  createOrder(input: $input) {
    ...OrderFields
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:a640e243569f80e4373ade202e2b4d1c5f8201a7f10bd0e42f3d2c0751fde669"}) as unknown as TypedDocumentString<CreateOrderMutation, CreateOrderMutationVariables>;
export const ContinueOrderDocument = new TypedDocumentString(`
    mutation ContinueOrder($input: ContinueOrderCreationInput!) {
  continueOrderCreation(input: $input) {
    ...OrderFields
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:e16fd4dd3c4b620faff1ac4f594718046af992e4eb3100e53ca4cddde30fc821"}) as unknown as TypedDocumentString<ContinueOrderMutation, ContinueOrderMutationVariables>;
export const ApplyEventsDocument = new TypedDocumentString(`
    mutation ApplyEvents($input: [OrderEventsInput!]!) {
  applyOrderEvents(input: $input) {
    ...OrderFields
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:aef657aa0b72f350dbc2948abca772c9b000fdfcaca5957c6ed004e4d41279a8"}) as unknown as TypedDocumentString<ApplyEventsMutation, ApplyEventsMutationVariables>;
export const GetOrderDocument = new TypedDocumentString(`
    query GetOrder($id: ID!) {
  order(id: $id) {
    ...OrderFields
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:fa3fc50fe5625a94fd1ad9cf08d3d7d2373419d326b1df515ea6717722203be6"}) as unknown as TypedDocumentString<GetOrderQuery, GetOrderQueryVariables>;
export const ListOrdersDocument = new TypedDocumentString(`
    query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    nodes {
      ...OrderFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:eb122f30c4e242d7e8834fed588b37713eafcaedf0d6e1278d63587bf0eabcde"}) as unknown as TypedDocumentString<ListOrdersQuery, ListOrdersQueryVariables>;
export const WatchOrderDocument = new TypedDocumentString(`
    subscription WatchOrder($orderId: ID!, $after: String) {
  orderStatusChanged(orderId: $orderId, after: $after) {
    eventId
    previousStatus
    status
    source
    final
    at
    order {
      id
      status
      providerStatus
      payments {
        status
        capturedAmount {
          amount
        }
        refundedAmount {
          amount
        }
      }
    }
  }
}
    `, {"hash":"sha256:34097a70b1a1b57b95a057b0d89be698e3823ad199acc574a5023a0ee49ae8d3"}) as unknown as TypedDocumentString<WatchOrderSubscription, WatchOrderSubscriptionVariables>;
export const OrderUpdatesDocument = new TypedDocumentString(`
    subscription OrderUpdates($provider: Provider) {
  orderUpdates(provider: $provider) {
    eventId
    status
    previousStatus
    source
    order {
      id
      provider
    }
  }
}
    `, {"hash":"sha256:3461f2ff9a2532626f135b4f6435735803a3b71eaff537b9a67da8cdd7fe5574"}) as unknown as TypedDocumentString<OrderUpdatesSubscription, OrderUpdatesSubscriptionVariables>;
export const PlaceAdyenOrderDocument = new TypedDocumentString(`
    mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) {
  placeAdyenOrder(input: $input) {
    ...OrderFields
  }
}
    fragment OrderFields on Order {
  id
  provider
  providerOrderId
  reference
  status
  providerStatus
  total {
    amount
    currency
    minorUnits
  }
  items {
    lineId
    name
    quantity
    amount {
      amount
    }
  }
  payments {
    id
    method
    methodName
    status
    amount {
      amount
    }
    capturedAmount {
      amount
    }
    refundedAmount {
      amount
    }
    providerReference
    mandateId
  }
  creation {
    status
    stopAction {
      type
      reason
      redirectUrl
      threeDS {
        type
        token
        paymentMethodType
        sessionReference
        details
      }
    }
    infos {
      code
      message
    }
  }
  events {
    id
    type
    status
    amount {
      amount
    }
    source
  }
  createdAt
  updatedAt
}`, {"hash":"sha256:c0f4574fa6403e60a5d15dbe8b0cd11c818c89b437727117c78eb35123d69166"}) as unknown as TypedDocumentString<PlaceAdyenOrderMutation, PlaceAdyenOrderMutationVariables>;