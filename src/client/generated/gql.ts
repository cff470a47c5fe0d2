/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n": typeof types.OrderFieldsFragmentDoc,
    "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n  \n": typeof types.CreateOrderDocument,
    "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n  \n": typeof types.ContinueOrderDocument,
    "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n  \n": typeof types.ApplyEventsDocument,
    "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n  \n": typeof types.GetOrderDocument,
    "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n  \n": typeof types.ListOrdersDocument,
    "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n": typeof types.WatchOrderDocument,
    "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n": typeof types.OrderUpdatesDocument,
    "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n  \n": typeof types.PlaceAdyenOrderDocument,
};
const documents: Documents = {
    "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n": types.OrderFieldsFragmentDoc,
    "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n  \n": types.CreateOrderDocument,
    "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n  \n": types.ContinueOrderDocument,
    "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n  \n": types.ApplyEventsDocument,
    "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n  \n": types.GetOrderDocument,
    "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n  \n": types.ListOrdersDocument,
    "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n": types.WatchOrderDocument,
    "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n": types.OrderUpdatesDocument,
    "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n  \n": types.PlaceAdyenOrderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n"): (typeof documents)["\n  fragment OrderFields on Order {\n    id provider providerOrderId reference status providerStatus\n    total { amount currency minorUnits }\n    items { lineId name quantity amount { amount } }\n    payments { id method methodName status amount { amount } capturedAmount { amount } refundedAmount { amount } providerReference mandateId }\n    creation { status stopAction { type reason redirectUrl threeDS { type token paymentMethodType sessionReference details } } infos { code message } }\n    events { id type status amount { amount } source }\n    createdAt updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n  \n"): (typeof documents)["\n  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n  \n"): (typeof documents)["\n  mutation ContinueOrder($input: ContinueOrderCreationInput!) { continueOrderCreation(input: $input) { ...OrderFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n  \n"): (typeof documents)["\n  mutation ApplyEvents($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { ...OrderFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n  \n"): (typeof documents)["\n  query GetOrder($id: ID!) { order(id: $id) { ...OrderFields } }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n  \n"): (typeof documents)["\n  query ListOrders($filter: OrderFilter!, $first: Int, $after: String) {\n    orders(filter: $filter, first: $first, after: $after) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } }\n  }\n  \n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n"): (typeof documents)["\n  subscription WatchOrder($orderId: ID!, $after: String) {\n    orderStatusChanged(orderId: $orderId, after: $after) {\n      eventId previousStatus status source final at\n      order { id status providerStatus payments { status capturedAmount { amount } refundedAmount { amount } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n"): (typeof documents)["\n  subscription OrderUpdates($provider: Provider) {\n    orderUpdates(provider: $provider) { eventId status previousStatus source order { id provider } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n  \n"): (typeof documents)["\n  mutation PlaceAdyenOrder($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { ...OrderFields } }\n  \n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;