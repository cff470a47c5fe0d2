import { describe, expect, it } from 'vitest';
import { memoryGatewaySuite, tokenFor } from '../support/gateway.js';

/*
 * README "HTTP statuses", row by row: what status each kind of answer gets over HTTP, for a
 * client that accepts application/graphql-response+json and for one that accepts (or assumes)
 * application/json. A row here that changes must change in the README too.
 */

type Accept = 'graphql-response' | 'json' | 'none' | 'any';
const ACCEPT_HEADERS: Record<Accept, string | undefined> = {
  'graphql-response': 'application/graphql-response+json, application/json',
  json: 'application/json',
  none: undefined,
  any: '*/*',
};

interface Row {
  /** The README's row. */
  what: string;
  request: { body?: string; method?: 'GET'; contentType?: string | null; query?: string; token?: 'none' | 'valid' };
  /** The status for a client accepting application/graphql-response+json, and for the others. */
  status: { preferred: number; json: number };
  code?: string;
  field?: string;
}

const createWith = (input: Record<string, unknown>) =>
  JSON.stringify({ query: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', variables: { input } });

const ROWS: Row[] = [
  {
    what: 'the operation ran, its errors in the body (here BAD_USER_INPUT from the gateway)',
    request: { body: createWith({ provider: 'INTERGIRO', currency: 'EUR', amount: '1.001', intergiro: { paymentType: 'LINK' } }) },
    status: { preferred: 200, json: 200 },
    code: 'BAD_USER_INPUT',
    field: 'input.amount',
  },
  { what: 'no token where one is needed', request: { body: JSON.stringify({ query: '{ order(id: "x") { id } }' }), token: 'none' }, status: { preferred: 401, json: 401 }, code: 'UNAUTHENTICATED' },
  { what: 'a syntax error', request: { body: JSON.stringify({ query: '{ order(' }) }, status: { preferred: 400, json: 200 }, code: 'GRAPHQL_PARSE_FAILED' },
  { what: 'a document that does not validate', request: { body: JSON.stringify({ query: '{ nope }' }) }, status: { preferred: 400, json: 200 }, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    what: 'a document over a document limit',
    request: { body: JSON.stringify({ query: `{ order(id: "x") { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ')} } }` }) },
    status: { preferred: 400, json: 200 },
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { what: 'no query at all', request: { body: '{}' }, status: { preferred: 400, json: 200 }, code: 'BAD_REQUEST' },
  {
    what: 'a missing required variable',
    request: { body: JSON.stringify({ query: 'query($id: ID!) { order(id: $id) { id } }' }) },
    status: { preferred: 400, json: 400 },
  },
  {
    what: 'a number where a Decimal string is expected (a wrong type: GraphQL\'s error, naming its field)',
    request: { body: createWith({ provider: 'INTERGIRO', currency: 'EUR', amount: 10, intergiro: { paymentType: 'LINK' } }) },
    status: { preferred: 400, json: 400 },
    field: 'input.amount',
  },
  {
    what: 'a string a scalar refuses',
    request: { body: createWith({ provider: 'INTERGIRO', currency: 'EUR', amount: 'NaN', intergiro: { paymentType: 'LINK' } }) },
    status: { preferred: 400, json: 400 },
    code: 'BAD_USER_INPUT',
    field: 'input.amount',
  },
  { what: 'a body that is not JSON', request: { body: '{not json' }, status: { preferred: 400, json: 400 }, code: 'BAD_REQUEST' },
  { what: 'a GET without the CSRF header', request: { method: 'GET', query: '{ __typename }', contentType: null }, status: { preferred: 403, json: 403 }, code: 'BAD_REQUEST' },
  {
    what: 'a body over 256 KiB',
    request: { body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(256 * 1024) } }) },
    status: { preferred: 413, json: 413 },
    code: 'REQUEST_ENTITY_TOO_LARGE',
  },
];

describe('HTTP statuses (README "HTTP statuses")', () => {
  const suite = memoryGatewaySuite('orders:read orders:create', 'statuses');

  const send = (row: Row, accept: Accept) => {
    const headers: Record<string, string> = {};
    const contentType = row.request.contentType === undefined ? 'application/json' : row.request.contentType;
    if (contentType) headers['content-type'] = contentType;
    const acceptHeader = ACCEPT_HEADERS[accept];
    if (acceptHeader) headers.accept = acceptHeader;
    if (row.request.token !== 'none') headers.authorization = `Bearer ${suite.token}`;
    if (row.request.method === 'GET') {
      return fetch(`${suite.gateway.url}/graphql?${new URLSearchParams({ query: row.request.query ?? '' })}`, { headers });
    }
    return fetch(`${suite.gateway.url}/graphql`, { method: 'POST', headers, body: row.request.body ?? '' });
  };

  for (const row of ROWS) {
    it(`${row.what}: ${row.status.preferred} with application/graphql-response+json, ${row.status.json} with application/json or no Accept`, async () => {
      for (const accept of Object.keys(ACCEPT_HEADERS) as Accept[]) {
        const response = await send(row, accept);
        const expected = accept === 'graphql-response' ? row.status.preferred : row.status.json;
        const text = await response.text();
        expect(response.status, `${accept}: ${text.slice(0, 300)}`).toBe(expected);
        const error = (JSON.parse(text) as { errors?: { extensions?: Record<string, unknown> }[] }).errors?.[0];
        expect(error?.extensions?.code, accept).toBe(row.code);
        if (row.field) expect(error?.extensions?.field, accept).toBe(row.field);
      }
    });
  }

  it('over budget: 429 with Retry-After and RATE_LIMITED, whatever the Accept', async () => {
    const limited = await suite.env.startGateway({ rateLimitPerMinute: 1 });
    const spender = await tokenFor('orders:read', `statuses-spender-${Date.now()}`);
    const ask = (accept: string) =>
      fetch(`${limited.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${spender}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    expect((await ask('application/json')).status).toBe(200);
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await ask(accept);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('RATE_LIMITED');
    }
  });
});
