import { graphql } from '../../src/client/generated/gql.js';

/**
 * The GraphQL operations the tests send, written as a frontend / back office would, through the
 * generated typed client (`npm run codegen` reads this file): each constant is a
 * TypedDocumentString that carries its result and variables types, serialises as its query text
 * and has its persisted-document hash in `__meta__`. Fragments are referenced by name, never
 * interpolated, so codegen can see every document whole.
 */
export const ORDER_FIELDS = graphql(`
  fragment OrderFields on Order {
    id provider providerOrderId reference status providerStatus
    total { amount currency minorUnits }
    items { lineId name quantity amount { amount } }
    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }
    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }
    events { id type status amount { amount } source }
    createdAt updatedAt
  }
`);

export const CREATE_ORDER = graphql(`
  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }
`);

export const CONTINUE_ORDER = graphql(`
  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }
`);

export const APPLY_EVENTS = graphql(`
  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }
`);

export const GET_ORDER = graphql(`
  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }
`);

export const LIST_ORDERS = graphql(`
  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {
    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }
  }
`);

export const WATCH_ORDER = graphql(`
  subscription WatchOrder($orderId: ID!, $after: String) {
    orderStatusChanged(orderId: $orderId, after: $after) {
      eventId previousStatus status source final at
      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }
    }
  }
`);

export const ORDER_UPDATES = graphql(`
  subscription OrderUpdates($provider: Provider) {
    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }
  }
`);

export const PLACE_ADYEN_ORDER = graphql(`
  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }
`);

/**
 * The shape tests read back (loose on purpose: assertions pin what matters; the generated
 * `OrderFieldsFragment` is the exact one).
 */
export interface OrderView {
  id: string;
  provider: string;
  providerOrderId: string | null;
  reference: string | null;
  status: string;
  providerStatus: string | null;
  total: { amount: string; currency: string; minorUnits: number };
  items: { lineId: string | null; name: string; quantity: number | null; amount: { amount: string } }[];
  payments: {
    id: string;
    method: string;
    methodName: string | null;
    status: string;
    amount: { amount: string };
    capturedAmount: { amount: string };
    refundedAmount: { amount: string };
    providerReference: string | null;
    mandateId: string | null;
  }[];
  creation: {
    status: string;
    stopAction: {
      type: string;
      reason: string | null;
      redirectUrl: string | null;
      threeDS: { type: string; token: string | null; paymentMethodType: string | null; sessionReference: string | null; details: any } | null;
    } | null;
    infos: { code: string; message: string }[];
  };
  events: { id: string; type: string; status: string; amount: { amount: string } | null; source: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface StatusChangeView {
  eventId: string;
  previousStatus: string | null;
  status: string;
  source: string;
  final: boolean;
  at: string;
  order: { id: string; status: string; providerStatus: string | null; payments: { status: string; capturedAmount: { amount: string }; refundedAmount: { amount: string } }[] };
}
