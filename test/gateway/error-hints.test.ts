import { describe, expect, it } from 'vitest';
import { memoryGatewaySuite } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { readSse } from '../support/sse.js';
import { openRawSocket } from '../support/ws-raw.js';

/*
 * No "Did you mean ...?" anywhere (README "Document limits"): not for a field, an input field or
 * an enum value, whether the typo is in the document or in `variables`, over HTTP, SSE and
 * graphql-ws. Each case checks that the refusal still says what is wrong.
 */

type Case = { name: string; query: string; variables: Record<string, unknown>; says: RegExp };

const CASES: Case[] = [
  { name: 'a field in the document', query: 'query($id: ID!) { order(id: $id) { statu } }', variables: { id: 'x' }, says: /Cannot query field "statu"/ },
  {
    name: 'an enum value in the document',
    query: 'subscription { orderUpdates(provider: INTERGIR) { eventId } }',
    variables: {},
    says: /Value "INTERGIR" does not exist in "Provider" enum/,
  },
  {
    name: 'an enum value in variables',
    query: 'subscription($provider: Provider) { orderUpdates(provider: $provider) { eventId } }',
    variables: { provider: 'INTERGIR' },
    says: /Value "INTERGIR" does not exist in "Provider" enum/,
  },
  {
    name: 'an input field in the document',
    query: 'query { orders(filter: { providr: PEI }) { nodes { id } } }',
    variables: {},
    says: /Field "providr" is not defined by type "OrderFilter"/,
  },
  {
    name: 'an input field in variables',
    query: 'query($filter: OrderFilter!) { orders(filter: $filter) { nodes { id } } }',
    variables: { filter: { providr: 'PEI' } },
    says: /Field "providr" is not defined by type "OrderFilter"/,
  },
  {
    name: 'an enum value inside an input given in variables',
    query: 'query($filter: OrderFilter!) { orders(filter: $filter) { nodes { id } } }',
    variables: { filter: { provider: 'PEI', status: 'CAPTURE' } },
    says: /Value "CAPTURE" does not exist in "OrderStatus" enum/,
  },
];

/** Every error message in a JSON text (a response, an SSE stream's data lines, a graphql-ws payload). */
function messagesIn(text: string): string {
  return [...text.matchAll(/"message":("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1] ?? '""') as string).join('\n');
}

describe('no schema hints in errors', () => {
  const suite = memoryGatewaySuite('orders:read', 'hints');

  for (const { name, query, variables, says } of CASES) {
    it(`${name}: over HTTP`, async () => {
      const answer = await gql(suite.gateway.url, query, variables, suite.token);
      expect(messagesIn(answer.raw)).toMatch(says);
      expect(answer.raw).not.toMatch(/Did you mean/);
    });

    it(`${name}: over SSE`, async () => {
      const text = await readSse(suite.gateway.url, query, variables, suite.token, { until: (read) => /event: complete/.test(read) || /data: .*\n/.test(read) });
      expect(messagesIn(text)).toMatch(says);
      expect(text).not.toMatch(/Did you mean/);
    });

    it(`${name}: over graphql-ws`, async () => {
      const socket = openRawSocket(suite.gateway.url, suite.token);
      await socket.acked;
      socket.send({ type: 'subscribe', id: 'typo', payload: { query, variables } });
      const answer = await Promise.race([socket.waitFor('typo', 'error'), socket.waitFor('typo', 'next')]);
      socket.close();
      const raw = JSON.stringify(answer.payload);
      expect(messagesIn(raw)).toMatch(says);
      expect(raw).not.toMatch(/Did you mean/);
    });
  }
});
