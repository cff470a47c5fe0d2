/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CheckoutCreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id status total { amount currency }\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n": typeof types.CheckoutCreateOrderDocument,
    "\n  query CheckoutOrder($id: ID!) {\n    order(id: $id) { id provider status total { amount currency } creation { status stopAction { type redirectUrl threeDS { type details } } } }\n  }\n": typeof types.CheckoutOrderDocument,
    "\n  mutation CheckoutContinueOrder($input: ContinueOrderCreationInput!) {\n    continueOrderCreation(input: $input) {\n      id status\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n": typeof types.CheckoutContinueOrderDocument,
    "\n  subscription CheckoutWatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) { eventId previousStatus status final at }\n  }\n": typeof types.CheckoutWatchOrderDocument,
    "\n  query BackOfficeOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) {\n      nodes { id provider reference status total { amount currency } createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.BackOfficeOrdersDocument,
    "\n  subscription BackOfficeUpdates($provider: Provider, $after: String) {\n    orderUpdates(provider: $provider, after: $after) { cursor eventId previousStatus status at order { id provider reference } }\n  }\n": typeof types.BackOfficeUpdatesDocument,
    "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n": typeof types.OrderFieldsFragmentDoc,
    "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n": typeof types.CreateOrderDocument,
    "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n": typeof types.ContinueOrderDocument,
    "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n": typeof types.ApplyEventsDocument,
    "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n": typeof types.GetOrderDocument,
    "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n": typeof types.ListOrdersDocument,
    "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n": typeof types.WatchOrderDocument,
    "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n": typeof types.OrderUpdatesDocument,
    "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n": typeof types.PlaceAdyenOrderDocument,
};
const documents: Documents = {
    "\n  mutation CheckoutCreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id status total { amount currency }\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n": types.CheckoutCreateOrderDocument,
    "\n  query CheckoutOrder($id: ID!) {\n    order(id: $id) { id provider status total { amount currency } creation { status stopAction { type redirectUrl threeDS { type details } } } }\n  }\n": types.CheckoutOrderDocument,
    "\n  mutation CheckoutContinueOrder($input: ContinueOrderCreationInput!) {\n    continueOrderCreation(input: $input) {\n      id status\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n": types.CheckoutContinueOrderDocument,
    "\n  subscription CheckoutWatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) { eventId previousStatus status final at }\n  }\n": types.CheckoutWatchOrderDocument,
    "\n  query BackOfficeOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) {\n      nodes { id provider reference status total { amount currency } createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.BackOfficeOrdersDocument,
    "\n  subscription BackOfficeUpdates($provider: Provider, $after: String) {\n    orderUpdates(provider: $provider, after: $after) { cursor eventId previousStatus status at order { id provider reference } }\n  }\n": types.BackOfficeUpdatesDocument,
    "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n": types.OrderFieldsFragmentDoc,
    "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n": types.CreateOrderDocument,
    "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n": types.ContinueOrderDocument,
    "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n": types.ApplyEventsDocument,
    "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n": types.GetOrderDocument,
    "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n": types.ListOrdersDocument,
    "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n": types.WatchOrderDocument,
    "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n": types.OrderUpdatesDocument,
    "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n": types.PlaceAdyenOrderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckoutCreateOrder($input: CreateOrderInput!) {\n    createOrder(input: $input) {\n      id status total { amount currency }\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n"): typeof import('./graphql.js').CheckoutCreateOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckoutOrder($id: ID!) {\n    order(id: $id) { id provider status total { amount currency } creation { status stopAction { type redirectUrl threeDS { type details } } } }\n  }\n"): typeof import('./graphql.js').CheckoutOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckoutContinueOrder($input: ContinueOrderCreationInput!) {\n    continueOrderCreation(input: $input) {\n      id status\n      creation { status stopAction { type redirectUrl threeDS { type details } } }\n    }\n  }\n"): typeof import('./graphql.js').CheckoutContinueOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CheckoutWatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) { eventId previousStatus status final at }\n  }\n"): typeof import('./graphql.js').CheckoutWatchOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackOfficeOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) {\n      nodes { id provider reference status total { amount currency } createdAt }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql.js').BackOfficeOrdersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BackOfficeUpdates($provider: Provider, $after: String) {\n    orderUpdates(provider: $provider, after: $after) { cursor eventId previousStatus status at order { id provider reference } }\n  }\n"): typeof import('./graphql.js').BackOfficeUpdatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n"): typeof import('./graphql.js').OrderFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n"): typeof import('./graphql.js').CreateOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n"): typeof import('./graphql.js').ContinueOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n"): typeof import('./graphql.js').ApplyEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n"): typeof import('./graphql.js').GetOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n"): typeof import('./graphql.js').ListOrdersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n"): typeof import('./graphql.js').WatchOrderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n"): typeof import('./graphql.js').OrderUpdatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n"): typeof import('./graphql.js').PlaceAdyenOrderDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
