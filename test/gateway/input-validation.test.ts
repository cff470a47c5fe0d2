import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, subscribe } from '../support/graphql.js';
import { intergiroOrderCount } from '../support/intergiro.js';
import { placeInput } from '../support/payway.js';

const valid = {
  provider: 'INTERGIRO',
  currency: 'EUR',
  items: [{ name: 'Mug', quantity: 2, unitPrice: '12.50', amount: '25.00' }],
  intergiro: { paymentType: 'LINK' },
  returnUrls: { success: 'https://shop.example/thanks' },
};

describe.each(STORE_KINDS)('bad input gets a clear error and changes nothing (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let token: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    token = await tokenFor('orders:create');
  });
  afterAll(() => env.close());

  const cases: [string, Record<string, unknown>, string][] = [
    ['an amount with more decimals than EUR has', { items: [{ name: 'Mug', amount: '25.001' }] }, 'input.items.0.amount'],
    ['ISK with decimals', { currency: 'ISK', items: undefined, amount: '9990.5' }, 'input.amount'],
    ['an unknown currency', { currency: 'XYZ' }, 'input.currency'],
    ['a currency that is not a code', { currency: 'euro' }, 'input.currency'],
    ['a relative return URL', { returnUrls: { success: '/thanks' } }, 'input.returnUrls.success'],
    // A buyer sent to `https://shop.example@pay.example/` sees a shop that is not where they go.
    ['a return URL with a user name in it', { returnUrls: { success: 'https://shop.example@pay.example/thanks' } }, 'input.returnUrls.success'],
    ['a return URL with credentials in it', { returnUrls: { cancel: 'https://user:secret@shop.example/cancel' } }, 'input.returnUrls.cancel'],
    ['an amount that is not the items sum', { amount: '30.00' }, 'input.amount'],
    ['a unit price that does not make the amount', { items: [{ name: 'Mug', quantity: 2, unitPrice: '12.00', amount: '25.00' }] }, 'input.items.0.amount'],
    ['a CARD payment without a card token', { intergiro: { paymentType: 'CARD' } }, 'input.intergiro.cardToken'],
    ['a CUSTOMER payment without a customer', { intergiro: { paymentType: 'CUSTOMER' } }, 'input.intergiro.customerId'],
    ['options of another provider', { dintero: { profileId: 'x' } }, 'input.dintero'],
    ['no currency', { currency: undefined }, 'input.currency'],
    ['a zero amount', { items: undefined, amount: '0.00' }, 'input.amount'],
    ['two lines with one lineId', { items: [{ lineId: 'a', name: 'Mug', amount: '1.00' }, { lineId: 'a', name: 'Cup', amount: '2.00' }] }, 'input.items.1.lineId'],
  ];

  it.each(cases)('%s -> BAD_USER_INPUT naming the field', async (_name, change, field) => {
    const before = await intergiroOrderCount(env.intergiro);
    const input = { ...valid, ...change };
    const result = await gql(gateway.url, CREATE_ORDER, { input }, token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
  });

  it('keeps GraphQL\'s own error for a document with a missing required field', async () => {
    const result = await gql(gateway.url, CREATE_ORDER, { input: { currency: 'EUR', amount: '1.00' } }, token);
    expect(result.errors?.[0]?.message).toMatch(/provider/);
    expect(result.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('answers NOT_SUPPORTED for a provider this gateway is not configured for', async () => {
    const partial = await env.startGateway({}, { without: ['dintero', 'payway'] });
    const dintero = await gql(partial.url, CREATE_ORDER, { input: { provider: 'DINTERO', currency: 'NOK', items: [{ name: 'Tea', amount: '10.00' }] } }, token);
    expect(dintero.errors?.[0]?.extensions?.code).toBe('NOT_SUPPORTED');
    const adyen = await gql(
      partial.url,
      `mutation($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { id } }`,
      {
        input: {
          paymentMethod: { type: 'scheme' },
          productCode: 'package_code',
          periodId: '5e4beac909c04c404a46c730',
          returnUrl: 'https://returnurl.com',
          origin: 'https://example.purchase.org',
          browserInfo: {
            browserIp: '127.0.0.1', browserLanguage: 'sv-FI', browserUserAgent: 'UA', referer: 'https://a.se',
            acceptHeader: 'text/html', colorDepth: 24, screenHeight: 723, screenWidth: 1536, timeZoneOffset: 0, javaEnabled: true,
          },
        },
      },
      token,
    );
    expect(adyen.errors?.[0]?.extensions?.code).toBe('NOT_SUPPORTED');
  });

  it('refuses a JSON input nested deeper than the JSON scalar allows (BAD_USER_INPUT naming it), where a deep one overflowed the stack', async () => {
    // 20,000 levels in ~100 KB, put in as text: the test's own JSON.stringify would overflow too.
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const post = async (query: string, input: Record<string, unknown>) => {
      const body = JSON.stringify({ query, variables: { input } }).replace('"__DEEP__"', deep);
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
        body,
      });
      return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    };
    const before = await intergiroOrderCount(env.intergiro);
    const card = { ...valid, idempotencyKey: `deep-${kind}`, intergiro: { paymentType: 'CARD', cardToken: 'tok_visa_ok', browser: '__DEEP__' } };
    const created = await post('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', card);
    expect(created.data ?? null).toBeNull();
    expect(created.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.intergiro.browser' });
    expect(created.errors?.[0]?.message).toMatch(/deeper than 32 levels/);
    const placed = await post('mutation($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { id } }', { ...placeInput(), paymentMethod: '__DEEP__' });
    expect(placed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.paymentMethod' });
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
  });

  it('never echoes a national id, a card token or card data when a variable does not fit its type, and still names the field', async () => {
    const nationalId = '0101302989';
    const card = 'adyenjs_0_1_25$SECRET-CARD-DATA';
    const pei = { provider: 'PEI', currency: 'ISK', items: [{ name: 'Lopapeysa', amount: '24900' }] };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      // A typo beside the id: graphql-js wrote the whole buyer object into its message.
      [{ ...pei, buyer: { nationalId, nationalID: nationalId } }, 'input.buyer', /Field "nationalID" is not defined by type "BuyerInput"/],
      [{ ...pei, buyer: { nationalId: Number(nationalId) } }, 'input.buyer.nationalId', /String cannot represent a non string value/],
      [{ ...pei, buyer: nationalId }, 'input.buyer', /Expected type "BuyerInput" to be an object/],
      [{ ...valid, intergiro: { paymentType: 'CARD', cardToken: { token: card } } }, 'input.intergiro.cardToken', /String cannot represent a non string value/],
    ];
    for (const [input, field, reason] of cases) {
      const result = await gql(gateway.url, CREATE_ORDER, { input } as never, token);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ field });
      expect(result.errors?.[0]?.message).toMatch(reason);
      expect(JSON.stringify(result)).not.toContain(nationalId);
      expect(JSON.stringify(result)).not.toContain('SECRET-CARD-DATA');
    }
    // A shopper's encrypted card: an unknown field anywhere in the input, or a paymentMethod nested too deep.
    const place = 'mutation($input: PlaceAdyenOrderInput!) { placeAdyenOrder(input: $input) { id } }';
    const paymentMethod = { type: 'scheme', encryptedCardNumber: card };
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 40; level++) deep = { deeper: deep };
    for (const input of [{ ...placeInput(), paymentMethod, merchantRef: 'typo' }, { ...placeInput(), paymentMethod: { ...paymentMethod, deep } }]) {
      const result = await gql(gateway.url, place, { input }, token);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.field).toMatch(/^input/);
      expect(JSON.stringify(result)).not.toContain('SECRET-CARD-DATA');
    }
  });

  it('answers a variable of the wrong type alike over HTTP, graphql-ws and SSE: GraphQL\'s own error naming the field, no contract code', async () => {
    const { id } = { id: { not: 'an id' } };
    const read = await gql(gateway.url, 'query Read($id: ID!) { order(id: $id) { id } }', { id }, token);
    expect(read.status).toBe(400);
    expect(read.errors?.[0]?.extensions).toEqual({ field: 'id' });
    const watch = 'subscription Watch($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
    const socket = subscribe(gateway.url, token, watch, { id });
    await socket.done.catch(() => undefined);
    await socket.dispose();
    const overSocket = (socket.errors[0] as { message?: string; extensions?: Record<string, unknown> }[] | undefined)?.[0];
    expect(overSocket?.message).toBe(read.errors?.[0]?.message);
    expect(overSocket?.extensions).toMatchObject({ field: 'id' });
    expect(overSocket?.extensions?.code).toBeUndefined(); // before: BAD_USER_INPUT, which CONTRACT §2 keeps for well-typed values
    const stream = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: watch, variables: { id } }),
    });
    const event = /^data: (\{.+\})$/m.exec(await stream.text())?.[1];
    expect(JSON.parse(event ?? '{}').errors?.[0]?.extensions).toEqual({ field: 'id' });
  });

  it('never echoes a national id or a card token written into the document itself, and keeps the reason', async () => {
    const create = (input: string) => `mutation { createOrder(input: {provider: PEI, currency: "ISK", items: [{name: "x", amount: "1"}], ${input}}) { id } }`;
    const cases: [string, RegExp][] = [
      [create('buyer: {nationalId: 101302989}'), /^String cannot represent a non string value\.$/],
      [create('buyer: "0101302989"'), /^Expected value of type "BuyerInput"\.$/],
      [create('buyer: {nationalId: ["0101302989"]}'), /^String cannot represent a non string value\.$/],
      [create('intergiro: {paymentType: CARD, cardToken: {token: "tok_SECRET-CARD-TOKEN"}}'), /^String cannot represent a non string value\.$/],
      [create('pei: {sequenceType: "0101302989"}'), /^Enum "PeiSequenceType" cannot represent non-enum value\.$/],
    ];
    for (const [query, reason] of cases) {
      const result = await gql(gateway.url, query, {}, token);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.errors?.[0]?.message).toMatch(reason);
      expect(JSON.stringify(result)).not.toMatch(/101302989|SECRET-CARD-TOKEN/);
    }
    // What the client needs to fix, when it is no secret, is still said.
    const typo = await gql(gateway.url, create('pei: {sequenceType: RECURING}'), {}, token);
    expect(typo.errors?.[0]?.message).toMatch(/Value "RECURING" does not exist in "PeiSequenceType" enum/);
    const nan = await gql(gateway.url, 'mutation { createOrder(input: {provider: PEI, currency: "ISK", items: [{name: "x", amount: "NaN"}]}) { id } }', {}, token);
    expect(nan.errors?.[0]?.message).toBe('Decimal cannot represent "NaN"');
  });

  it('never echoes a card token in an error', async () => {
    const secretToken = 'tok_deny_SECRET-CARD-TOKEN-123';
    const result = await gql(
      gateway.url,
      CREATE_ORDER,
      { input: { ...valid, returnUrls: { cancel: 'https://shop.example/cancel' }, intergiro: { paymentType: 'CARD', cardToken: secretToken } } },
      token,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(result)).not.toContain('SECRET-CARD-TOKEN');
  });
});
