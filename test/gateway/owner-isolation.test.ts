import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { schema } from '../../src/schema/index.js';
import { GET_ORDER, type OrderView } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';
import { firstSseMessage } from '../support/sse.js';
import { placeInput } from '../support/payway.js';
import { intergiroLinkOrder } from '../support/intergiro.js';

/*
 * Caller A (shop-a) owns the orders; caller B (shop-b) holds the same scope, orders:create, and
 * must get nothing of A's through any root field, over HTTP, graphql-ws and SSE. test/gateway/
 * auth.test.ts covers tokens and a first pass of this; here every root field has a row, and a
 * field added to the schema without one fails the first test.
 */

type Transport = 'http' | 'ws' | 'sse';

interface Ctx {
  env: TestEnvironment;
  gateway: Gateway;
  a: string;
  b: string;
  reader: string;
  mine: OrderView;
  run(transport: Transport, token: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: any; codes: string[]; messages: string[] }>;
  read(id: string): Promise<OrderView>;
}

/** An order id nobody has: B's answers about A's order must be exactly these. */
const UNKNOWN_ID = 'ord_nobody_has_this_one';

const linkInput = (extra: Parameters<typeof intergiroLinkOrder>[1] = {}) => intergiroLinkOrder('7.00', extra);

/** One row per root field: what B may not do with A's order, through the given transport. */
const ROWS: Record<string, { transports: Transport[]; check(ctx: Ctx, transport: Transport): Promise<void> }> = {
  'Query.order': {
    transports: ['http', 'ws'],
    async check(ctx, transport) {
      const answer = await ctx.run(transport, ctx.b, 'query($id: ID!) { order(id: $id) { id } }', { id: ctx.mine.id });
      expect(answer.data).toEqual({ order: null });
      expect(answer).toEqual(await ctx.run(transport, ctx.b, 'query($id: ID!) { order(id: $id) { id } }', { id: UNKNOWN_ID }));
      // The control: its owner and a back office do see it.
      expect((await ctx.run(transport, ctx.a, 'query($id: ID!) { order(id: $id) { id } }', { id: ctx.mine.id })).data.order.id).toBe(ctx.mine.id);
      expect((await ctx.run(transport, ctx.reader, 'query($id: ID!) { order(id: $id) { id } }', { id: ctx.mine.id })).data.order.id).toBe(ctx.mine.id);
    },
  },
  'Query.orders': {
    transports: ['http', 'ws'],
    async check(ctx, transport) {
      const answer = await ctx.run(transport, ctx.b, '{ orders(filter: {provider: INTERGIRO}) { nodes { id } } }');
      expect(answer.codes).toEqual(['FORBIDDEN']);
      expect(answer.data ?? null).toBeNull();
    },
  },
  'Mutation.createOrder': {
    transports: ['http'],
    async check(ctx) {
      // A's idempotency key is A's: B sending the same key and input gets an order of its own.
      const key = `iso-create-${ctx.env.kind}`;
      const first = (await gqlOk(ctx.gateway.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: linkInput({ idempotencyKey: key }) }, ctx.a)).createOrder;
      const second = (await gqlOk(ctx.gateway.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: linkInput({ idempotencyKey: key }) }, ctx.b)).createOrder;
      expect(second.id).not.toBe(first.id);
      expect((await gqlOk(ctx.gateway.url, GET_ORDER, { id: first.id }, ctx.b)).order).toBeNull();
    },
  },
  'Mutation.placeAdyenOrder': {
    transports: ['http'],
    async check(ctx) {
      const key = `iso-place-${ctx.env.kind}`;
      const query = 'mutation($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { id } }';
      const first = (await gqlOk(ctx.gateway.url, query, { input: placeInput(undefined, { idempotencyKey: key }) }, ctx.a)).placeAdyenOrder;
      const second = (await gqlOk(ctx.gateway.url, query, { input: placeInput(undefined, { idempotencyKey: key }) }, ctx.b)).placeAdyenOrder;
      expect(second.id).not.toBe(first.id);
      expect((await gqlOk(ctx.gateway.url, GET_ORDER, { id: first.id }, ctx.b)).order).toBeNull();
    },
  },
  'Mutation.continueOrderCreation': {
    transports: ['http', 'ws'],
    async check(ctx, transport) {
      const before = await ctx.read(ctx.mine.id);
      const query = 'mutation($id: ID!) { continueOrderCreation(input: {orderId: $id, threeDS: {type: "challenge", data: "x"}}) { id } }';
      const answer = await ctx.run(transport, ctx.b, query, { id: ctx.mine.id });
      expect(answer.codes).toEqual(['NOT_FOUND']);
      // No existence oracle: exactly what an unknown id gets.
      expect(answer).toEqual(await ctx.run(transport, ctx.b, query, { id: UNKNOWN_ID }));
      expect(await ctx.read(ctx.mine.id)).toEqual(before);
    },
  },
  'Mutation.applyOrderEvents': {
    transports: ['http', 'ws'],
    async check(ctx, transport) {
      const before = await ctx.read(ctx.mine.id);
      const cancel = 'mutation($id: ID!) { applyOrderEvents(input: [{orderId: $id, events: [{type: CANCEL}]}]) { id } }';
      const answer = await ctx.run(transport, ctx.b, cancel, { id: ctx.mine.id });
      // The scope is checked before the order is looked up: an unknown id gets the same answer.
      expect(answer.codes).toEqual(['FORBIDDEN']);
      expect(answer).toEqual(await ctx.run(transport, ctx.b, cancel, { id: UNKNOWN_ID }));
      // Not even A's own browser token may (CONTRACT §4: orders:manage).
      expect((await ctx.run(transport, ctx.a, cancel, { id: ctx.mine.id })).codes).toEqual(['FORBIDDEN']);
      expect(await ctx.read(ctx.mine.id)).toEqual(before);
    },
  },
  'Subscription.orderStatusChanged': {
    transports: ['ws', 'sse'],
    async check(ctx, transport) {
      const query = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
      const answer = await ctx.run(transport, ctx.b, query, { id: ctx.mine.id });
      expect(answer.codes).toEqual(['NOT_FOUND']);
      expect(answer.data ?? null).toBeNull();
      // No existence oracle: exactly what an unknown id gets.
      expect(answer).toEqual(await ctx.run(transport, ctx.b, query, { id: UNKNOWN_ID }));
      expect((await ctx.run(transport, ctx.a, query, { id: ctx.mine.id })).data).toEqual({ orderStatusChanged: { status: 'CREATED' } });
    },
  },
  'Subscription.orderUpdates': {
    transports: ['ws', 'sse'],
    async check(ctx, transport) {
      const answer = await ctx.run(transport, ctx.b, 'subscription { orderUpdates { eventId order { id } } }');
      expect(answer.codes).toEqual(['FORBIDDEN']);
    },
  },
};

const rootFields = (): string[] =>
  (['Query', 'Mutation', 'Subscription'] as const).flatMap((root) => {
    const type = root === 'Query' ? schema.getQueryType() : root === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    return Object.keys(type?.getFields() ?? {}).map((field) => `${root}.${field}`);
  });

it('has an isolation row for every query, mutation and subscription of the schema', () => {
  expect(Object.keys(ROWS).sort()).toEqual(rootFields().sort());
});

describe.each(STORE_KINDS)("owner isolation: B gets nothing of A's order (%s store)", (kind) => {
  const ctx = {} as Ctx;

  beforeAll(async () => {
    ctx.env = await startTestEnvironment(kind);
    ctx.gateway = await ctx.env.startGateway();
    ctx.a = await tokenFor('orders:create', `shop-a-${kind}`);
    ctx.b = await tokenFor('orders:create', `shop-b-${kind}`);
    ctx.reader = await tokenFor('orders:read', 'back-office');
    ctx.mine = (await gqlOk(ctx.gateway.url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status } }', { input: linkInput() }, ctx.a)).createOrder;
    ctx.read = async (id) => (await gqlOk(ctx.gateway.url, GET_ORDER, { id }, ctx.reader)).order as OrderView;
    ctx.run = async (transport, token, query, variables = {}) => {
      if (transport === 'http') {
        const answer = await gql(ctx.gateway.url, query, variables, token);
        const errors = answer.errors ?? [];
        return { data: answer.data, codes: errors.map((error) => String(error.extensions?.code)), messages: errors.map((error) => error.message) };
      }
      if (transport === 'ws') {
        const ws = subscribe(ctx.gateway.url, token, query, variables);
        // One message, or the end of the operation (a refusal ends it with its error).
        await Promise.race([ws.next(5000).catch(() => undefined), ws.done.catch(() => undefined)]);
        await ws.dispose();
        const raw = JSON.stringify(ws.errors);
        const codes = raw.match(/"code":"([A-Z_]+)"/g)?.map((match) => match.slice(8, -1)) ?? [];
        const messages = [...raw.matchAll(/"message":("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1] ?? '""') as string);
        return { data: ws.messages[0], codes, messages };
      }
      return firstSseMessage(ctx.gateway.url, query, variables, token);
    };
  });
  afterAll(() => ctx.env.close());

  for (const [field, row] of Object.entries(ROWS)) {
    for (const transport of row.transports) {
      it(`${field} over ${transport}`, () => row.check(ctx, transport));
    }
  }
});
