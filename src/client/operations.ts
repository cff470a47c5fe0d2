import { graphql } from './generated/gql.js';

/**
 * What a shop's frontend sends: create an order, read it back, watch its status. The demo page
 * (src/demo/) and the README's runnable examples (src/client/examples/) use these; codegen turns
 * each into a TypedDocumentString with its result and variables types and a persisted-document hash.
 */
export const CHECKOUT_CREATE_ORDER = graphql(`
  mutation CheckoutCreateOrder($input: CreateOrderInput!) {
    createOrder(input: $input) {
      id status total { amount currency }
      creation { status stopAction { type redirectUrl } }
    }
  }
`);

export const CHECKOUT_ORDER = graphql(`
  query CheckoutOrder($id: ID!) {
    order(id: $id) { id provider status total { amount currency } creation { status stopAction { type redirectUrl } } }
  }
`);

export const CHECKOUT_WATCH_ORDER = graphql(`
  subscription CheckoutWatchOrder($orderId: ID!, $after: String) {
    orderStatusChanged(orderId: $orderId, after: $after) { eventId previousStatus status final at }
  }
`);
