import { graphql } from './generated/gql.js';

/**
 * What a shop's frontend sends: create an order, read it back, continue it after 3-D Secure, watch
 * its status. The demo page (src/demo/) and the README's runnable examples (src/client/examples/)
 * use these; codegen turns each into a TypedDocumentString with its result and variables types
 * and a persisted-document hash.
 */
export const CHECKOUT_CREATE_ORDER = graphql(`
  mutation CheckoutCreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id status total { amount currency }
      creation { status stopAction { type redirectUrl threeDS { type details } } }
    }
  }
`);

export const CHECKOUT_ORDER = graphql(`
  query CheckoutOrder($id: ID!) {
    order(id: $id) { id provider status total { amount currency } creation { status stopAction { type redirectUrl threeDS { type details } } } }
  }
`);

/**
 * Resubmits an order after its 3-D Secure step (Intergiro card: `threeDS` = the ACS page's
 * `{type, data}`); the answer is the next step, or the order going on.
 */
export const CHECKOUT_CONTINUE_ORDER = graphql(`
  mutation CheckoutContinueOrder($input: ContinueOrderCreationInput!) {
    continueOrderCreation(input: $input) {
      id status
      creation { status stopAction { type redirectUrl threeDS { type details } } }
    }
  }
`);

export const CHECKOUT_WATCH_ORDER = graphql(`
  subscription CheckoutWatchOrder($orderId: ID!, $after: String) {
    orderStatusChanged(orderId: $orderId, after: $after) { eventId previousStatus status final at }
  }
`);

/**
 * What a merchant's back office sends (orders:read): page through orders newest first, and listen
 * to every change, resuming from the last `cursor` it handled.
 */
export const BACK_OFFICE_ORDERS = graphql(`
  query BackOfficeOrders($filter: OrderFilter!, $first: Int, $after: String) {
    orders(filter: $filter, first: $first, after: $after) {
      nodes { id provider reference status total { amount currency } createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const BACK_OFFICE_UPDATES = graphql(`
  subscription BackOfficeUpdates($provider: Provider, $after: String) {
    orderUpdates(provider: $provider, after: $after) { cursor eventId previousStatus status at order { id provider reference } }
  }
`);
