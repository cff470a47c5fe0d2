import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/app.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/server/query-limits.js';
import * as documents from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, type GraphQLResponse } from '../support/graphql.js';
import { readSse } from '../support/sse.js';
import { openRawSocket } from '../support/ws-raw.js';
import { intergiroLinkOrder, intergiroOrderCount } from '../support/intergiro.js';

const linkOrder = intergiroLinkOrder('10.00');

/** `n` fragments on Order, each spreading the next: depth grows by one per spread. */
function fragmentChain(n: number): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? `fragment F${i} on Order { id }` : `fragment F${i} on Order { id ...F${i + 1} }`,
  );
  return `query Deep($id: ID!) { order(id: $id) { ...F0 } }\n${fragments.join('\n')}`;
}

/** A createOrder that would reach Intergiro, with `n` aliases of its id. */
function aliasedCreate(n: number): string {
  const aliases = Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ');
  return `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { ${aliases} } }`;
}

/** A well-formed, cheap query padded with `n` extra tokens (`__typename` selections). */
function manyTokens(n: number): string {
  return `query Big($id: ID!) { order(id: $id) { id ${'__typename '.repeat(n)} } }`;
}

function refusedAsInvalid(result: GraphQLResponse, limit: RegExp): void {
  expect(result.status).toBe(400);
  expect(result.data ?? null).toBeNull();
  // A document may break several limits at once (a deep one is costly too): each is named.
  expect(result.errors?.some((error) => limit.test(error.message))).toBe(true);
  for (const error of result.errors ?? []) {
    // A validation error, not a masked bug.
    expect(error.extensions?.code).toMatch(/^GRAPHQL_(VALIDATION|PARSE)_FAILED$/);
  }
  expect(result.raw).not.toMatch(/Unexpected error|\bat .+:\d+:\d+/);
}

describe('query limits (graphql-armor)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let tight: Gateway;
  let roomy: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway();
    tight = await env.startGateway({ queryLimits: { maxDepth: 4, maxCost: 20, maxAliases: 2, maxTokens: 200, maxDirectives: 1 } });
    roomy = await env.startGateway({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxTokens: 100_000 } });
    shop = await tokenFor('orders:create', 'limits-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'limits-back-office');
  });
  afterAll(() => env.close());

  it("lets every document of the repo's clients through with the default limits", async () => {
    const texts = Object.entries(documents)
      .filter(([, value]) => /^\s*(query|mutation|subscription) /m.test(String(value)))
      .map(([name, value]) => [name, String(value)] as const);
    expect(texts.length).toBeGreaterThanOrEqual(8);
    const created = (await gqlOk(gateway.url, documents.CREATE_ORDER, { input: linkOrder } as never, shop)).createOrder;
    for (const [name, text] of texts) {
      if (text.includes('subscription ')) {
        const poke = () => gqlOk(gateway.url, documents.CREATE_ORDER, { input: linkOrder } as never, shop);
        expect(await readSse(gateway.url, text, { orderId: created.id }, backOffice, { whenOpen: poke }), name).toMatch(/event: next\ndata: {"data":{/);
        continue;
      }
      // Variables are a placeholder: what matters is that the document is not refused as too big.
      const result = await gql(gateway.url, text, { id: created.id, orderId: created.id, input: [], filter: { provider: 'PEI' } }, backOffice);
      const codes = (result.errors ?? []).map((error) => error.extensions?.code);
      expect(codes, name).not.toContain('GRAPHQL_VALIDATION_FAILED');
      expect(codes, name).not.toContain('GRAPHQL_PARSE_FAILED');
    }
  });

  it('lets a back office read a full page of 100 orders with every field, but not three pages in one document', async () => {
    const fields = /ragment OrderFields on Order (\{[\s\S]*\})/.exec(String(documents.ORDER_FIELDS))![1];
    const page = (alias: string) => `${alias}: orders(filter: {provider: INTERGIRO}, first: 100) { nodes ${fields} pageInfo { hasNextPage endCursor } }`;
    const onePage = await gql(gateway.url, `query { ${page('a')} }`, {}, backOffice);
    expect(onePage.errors ?? []).toEqual([]);
    const throughFragment = await gql(gateway.url, `query { orders(filter: {provider: INTERGIRO}, first: 100) { nodes { ...OrderFields } } } ${String(documents.ORDER_FIELDS)}`, {}, backOffice);
    expect(throughFragment.errors ?? []).toEqual([]);
    refusedAsInvalid(await gql(gateway.url, `query { ${page('a')} ${page('b')} ${page('c')} }`, {}, backOffice), /cost limit of 60000 exceeded/i);
  });

  /** Every field of an order, inline (as a tester would write them out). */
  const everyField = () => /ragment OrderFields on Order (\{[\s\S]*\})/.exec(String(documents.ORDER_FIELDS))![1];
  /** `n` aliased pages of INTERGIRO orders with every field, each `first: <pageArgument>`. */
  const pages = (n: number, pageArgument: string | null, variables = '($n: Int)') =>
    `query${variables} { ${Array.from({ length: n }, (_, i) => `p${i}: orders(filter: {provider: INTERGIRO}${pageArgument ? `, first: ${pageArgument}` : ''}) { nodes ${everyField()} pageInfo { hasNextPage endCursor } }`).join(' ')} }`;

  it('counts a page size sent as a variable at its value: 15 pages of 100 by `first: $n` are refused, 15 pages of 1 run', async () => {
    // The tester's document: refused only when `first` was written in it.
    refusedAsInvalid(await gql(gateway.url, pages(15, '$n'), { n: 100 }, backOffice), /cost limit of 60000 exceeded, found 384515\.625\./i);
    refusedAsInvalid(await gql(gateway.url, pages(3, '$n'), { n: 100 }, backOffice), /cost limit of 60000 exceeded/i);
    // A small page is counted small: the same document runs.
    expect((await gql(gateway.url, pages(15, '$n'), { n: 1 }, backOffice)).errors ?? []).toEqual([]);
  });

  it('counts a page left out at the default page (50), a variable left out at its default, and a page size it cannot take at the largest (100)', async () => {
    // Five pages of 50 with every field (about 64,000); before, a page left out counted as one order.
    refusedAsInvalid(await gql(gateway.url, pages(5, null, ''), {}, backOffice), /cost limit of 60000 exceeded/i);
    expect((await gql(gateway.url, pages(4, null, ''), {}, backOffice)).errors ?? []).toEqual([]);
    refusedAsInvalid(await gql(gateway.url, pages(3, '$n', '($n: Int = 100)'), {}, backOffice), /cost limit of 60000 exceeded/i);
    // Not sent and no default: `first` is null, the default page.
    refusedAsInvalid(await gql(gateway.url, pages(5, '$n'), {}, backOffice), /cost limit of 60000 exceeded/i);
    // 1000 is no page size (the resolver refuses it): counted at 100, not at 1 nor at 1000.
    refusedAsInvalid(await gql(gateway.url, pages(3, '$n'), { n: 1000 }, backOffice), /cost limit of 60000 exceeded, found 76903\.125\./i);
  });

  it('counts a variable page size over graphql-ws too, and a subscription over SSE, as an error for that operation', async () => {
    const socket = openRawSocket(gateway.url, backOffice);
    await socket.acked;
    socket.send({ id: 'costly', type: 'subscribe', payload: { query: pages(15, '$n'), variables: { n: 100 } } });
    expect(JSON.stringify((await socket.waitFor('costly', 'next')).payload)).toMatch(/cost limit of 60000 exceeded/i);
    socket.send({ id: 'plain', type: 'subscribe', payload: { query: 'query { order(id: "ord_x") { id } }' } });
    expect((await socket.waitFor('plain', 'next')).payload).toEqual({ data: { order: null } });
    socket.close();
    // A subscription is counted as it starts (it has no paged field: a limit of 20 shows it).
    const updates = 'subscription { orderUpdates { eventId status source at order { id status providerStatus reference createdAt updatedAt } } }';
    expect(await readSse(tight.url, updates, {}, backOffice)).toMatch(/cost limit of 20 exceeded, found 24\.5\./i);
  });

  it("answers GraphiQL's own introspection query (GraphiQL must still load)", async () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, schemaDescription: true, directiveIsRepeatable: true });
    const result = await gql<{ __schema: { types: unknown[] } }>(gateway.url, query, {}, undefined);
    expect(result.status).toBe(200);
    expect(result.data?.__schema.types.length).toBeGreaterThan(20);
  });

  it("runs GraphiQL's walk-through mutation", async () => {
    const walkThrough = `mutation CreateLinkOrder {
      createOrder(input: {provider: INTERGIRO, currency: "EUR", reference: "demo-1"
        items: [{ name: "T-shirt", quantity: 2, unitPrice: "19.95", amount: "39.90" }]
        intergiro: { paymentType: LINK, cardholderName: true } returnUrls: { success: "https://example.com/thanks" } }) {
        id status total { amount currency } creation { status stopAction { type redirectUrl } }
      }
    }`;
    const result = await gqlOk(gateway.url, walkThrough, {}, shop);
    expect(result.createOrder.status).toBe('CREATED');
  });

  it('refuses a document nested deeper than the limit, naming it, with HTTP 400', async () => {
    refusedAsInvalid(await gql(gateway.url, fragmentChain(DEFAULT_QUERY_LIMITS.maxDepth + 5), { id: 'ord_x' }, backOffice), /depth limit of 15/);
    refusedAsInvalid(await gql(tight.url, documents.GET_ORDER as never, { id: 'ord_x' }, backOffice), /depth limit of 4/);
  });

  it('refuses a document costlier than the limit', async () => {
    const costly = await gql(tight.url, 'query($id: ID!) { order(id: $id) { id total { amount currency minorUnits } items { name amount { amount currency } } payments { id amount { amount } } } }', { id: 'ord_x' }, backOffice);
    refusedAsInvalid(costly, /cost limit of 20 exceeded/i);
  });

  it('refuses too many aliases, and nothing reaches the provider', async () => {
    const before = await intergiroOrderCount(env.intergiro);
    refusedAsInvalid(await gql(gateway.url, aliasedCreate(DEFAULT_QUERY_LIMITS.maxAliases + 1), { input: linkOrder }, shop), /Aliases limit of 15/i);
    refusedAsInvalid(await gql(tight.url, aliasedCreate(3), { input: linkOrder }, shop), /Aliases limit of 2/i);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
    // The same mutation within the limit does reach it.
    await gqlOk(gateway.url, aliasedCreate(2), { input: linkOrder }, shop);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 1);
  });

  it('counts aliased __typename like any other alias', async () => {
    const typenames = (n: number) => `query($id: ID!) { order(id: $id) { id ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} } }`;
    refusedAsInvalid(await gql(gateway.url, typenames(DEFAULT_QUERY_LIMITS.maxAliases + 1), { id: 'ord_x' }, backOffice), /Aliases limit of 15 exceeded, found 16/i);
    expect((await gql(gateway.url, typenames(DEFAULT_QUERY_LIMITS.maxAliases), { id: 'ord_x' }, backOffice)).errors ?? []).toEqual([]);
  });

  it('refuses a document of too many tokens before it is fully parsed', async () => {
    refusedAsInvalid(await gql(gateway.url, manyTokens(DEFAULT_QUERY_LIMITS.maxTokens), { id: 'ord_x' }, backOffice), /Token limit of 5000/i);
  });

  it('refuses a document nested too deeply to parse as a syntax error, not a masked bug, even without a token', async () => {
    // graphql-js parses recursively. Under the default token limit, ~2,000 levels overflow it while
    // V8 still runs the parser unoptimised (after a start); with QUERY_MAX_TOKENS raised, any deep
    // document does. 30,000 levels overflow it however far V8 has optimised it.
    const lists = `mutation { continueOrderCreation(input: {orderId: "ord_x", threeDS: ${'['.repeat(30_000)}${']'.repeat(30_000)}}) { id } }`;
    const selections = `{ ${'a{'.repeat(30_000)}id${'}'.repeat(30_000)} }`;
    for (const query of [lists, selections]) {
      for (const token of [undefined, shop]) {
        const result = await gql(roomy.url, query, {}, token);
        refusedAsInvalid(result, /nested too deeply/);
        expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      }
    }
  });

  it('refuses such a document over graphql-ws as an error for that operation; the socket stays', async () => {
    const socket = openRawSocket(roomy.url, shop);
    await socket.acked;
    socket.send({ id: 'deep', type: 'subscribe', payload: { query: `{ ${'a{'.repeat(30_000)}id${'}'.repeat(30_000)} }` } });
    expect(JSON.stringify((await socket.waitFor('deep', 'error')).payload)).toMatch(/nested too deeply/);
    socket.send({ id: 'plain', type: 'subscribe', payload: { query: 'query { order(id: "ord_x") { id } }' } });
    expect((await socket.waitFor('plain', 'next')).payload).toEqual({ data: { order: null } });
    socket.close();
  });

  it('refuses too many directives', async () => {
    refusedAsInvalid(await gql(tight.url, 'query($id: ID!) { order(id: $id) { id @include(if: true) status @skip(if: false) } }', { id: 'ord_x' }, backOffice), /Directives limit of 1/i);
  });

  it('gives no field suggestions that would reveal the schema', async () => {
    const result = await gql(gateway.url, '{ ordr(id: "x") { id } order(id: "x") { statu } }', {}, backOffice);
    expect(result.status).toBe(400);
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.raw).not.toMatch(/Did you mean/);
  });

  it('applies the same limits over graphql-ws, as an error for that operation; the socket stays', async () => {
    const client = createClient({
      url: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${backOffice}` },
      retryAttempts: 0,
    });
    let closed = false;
    client.on('closed', () => (closed = true));
    const run = (query: string) =>
      new Promise<{ errors: unknown; data: unknown }>((resolve) => {
        let data: unknown;
        client.subscribe(
          { query, variables: { id: 'ord_x', orderId: 'ord_x' } },
          { next: (value) => void (data = value.data ?? data), error: (errors) => resolve({ errors, data }), complete: () => resolve({ errors: null, data }) },
        );
      });
    const deep = `subscription Deep($orderId: ID!) { orderStatusChanged(orderId: $orderId) { order { ...F0 } } }\n${fragmentChain(20).split('\n').slice(1).join('\n')}`;
    const depth = await run(deep);
    expect(JSON.stringify(depth.errors)).toMatch(/depth limit of 15/);
    const aliases = await run(`subscription { ${Array.from({ length: 16 }, (_, i) => `a${i}: orderUpdates { eventId }`).join(' ')} }`);
    expect(JSON.stringify(aliases.errors)).toMatch(/Aliases limit of 15/i);
    const tokens = await run(`subscription { orderUpdates { eventId ${'__typename '.repeat(5000)} } }`);
    expect(JSON.stringify(tokens.errors)).toMatch(/Token limit of 5000/i);
    // Still connected: an ordinary query on the same socket answers.
    const ok = await run('query($id: ID!) { order(id: $id) { id } }');
    expect(ok).toEqual({ errors: null, data: { order: null } });
    expect(closed).toBe(false);
    await client.dispose();
  });
});
