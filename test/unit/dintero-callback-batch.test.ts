/** Round twenty-five of Dintero: a callback whose JSON body is a list (src/providers/dintero/callback-batch.ts). */
import { describe, expect, it } from 'vitest';
import { batchedCallbacks, MAX_BATCHED } from '../../src/providers/dintero/callback-batch.js';
import { dinteroWebhookHint } from '../../src/providers/dintero/webhook.js';
import type { WebhookRequest } from '../../src/domain/provider-port.js';

const OWN = 'gateway_dintero_order';
const request = (body: string, query = `${OWN}=ORDER1`): WebhookRequest => ({
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(body),
  query: new URLSearchParams(query),
  rawQuery: query,
});

describe('batchedCallbacks', () => {
  it('round twenty-eight: a list wrapped in an object\'s one list member (`{events: [...]}`, beside a delivery id) is that list', () => {
    const [one] = batchedCallbacks(request('{"events":[{"transaction_id":"T1","session_id":"S1"}],"delivery_id":"D1"}'), OWN)!;
    expect(JSON.parse(one!.body.toString())).toEqual({ transaction_id: 'T1', session_id: 'S1' });
    expect(batchedCallbacks(request('{"data":[{"id":"T1","status":"AUTHORIZED"},{"id":"T2","status":"AUTHORIZED"}]}'), OWN)).toHaveLength(2);
  });

  it('round twenty-eight: a callback or transaction itself is never opened (its `items`, `events`), nor an object with two lists (a guess)', () => {
    expect(batchedCallbacks(request('{"id":"T1","status":"AUTHORIZED","events":[{"event":"AUTHORIZE"}]}'), OWN)).toBeUndefined();
    expect(batchedCallbacks(request('{"transaction_id":"T1","items":[{"line_id":"1"}]}'), OWN)).toBeUndefined();
    expect(batchedCallbacks(request('{"a":[{"transaction_id":"T1"}],"b":[{"transaction_id":"T2"}]}'), OWN)).toBeUndefined();
    expect(batchedCallbacks(request('{"events":[]}'), OWN)).toBeUndefined();
  });

  it('a list of one is that callback, under the URL\'s own parameter', () => {
    const [one, ...rest] = batchedCallbacks(request('[{"transaction_id":"T1","session_id":"S1"}]'), OWN)!;
    expect(rest).toEqual([]);
    expect(JSON.parse(one!.body.toString())).toEqual({ transaction_id: 'T1', session_id: 'S1' });
    expect(one!.query.get(OWN)).toBe('ORDER1');
    expect(one!.rawQuery).toBe(`${OWN}=ORDER1`);
  });

  it('in a list of several, each is tied by its own ids: the URL\'s own parameter is left out, others kept', () => {
    const batch = batchedCallbacks(request('[{"transaction_id":"T1"},{"transaction_id":"T2"}]', `${OWN}=ORDER1&shop=a`), OWN)!;
    expect(batch.map((one) => JSON.parse(one.body.toString()))).toEqual([{ transaction_id: 'T1' }, { transaction_id: 'T2' }]);
    for (const one of batch) {
      expect(one.query.has(OWN)).toBe(false);
      expect(one.rawQuery).toBe('shop=a');
    }
  });

  it('ids beyond 2^53 keep their digits; a byte order mark is no content', () => {
    const [one] = batchedCallbacks(request('\uFEFF[{"id":1234567890123456789,"status":"AUTHORIZED"}]'), OWN)!;
    expect(JSON.parse(one!.body.toString())).toEqual({ id: '1234567890123456789', status: 'AUTHORIZED' });
  });

  it(`at most ${MAX_BATCHED} are read; what is no object is left out`, () => {
    const items = Array.from({ length: MAX_BATCHED + 5 }, (_, index) => ({ transaction_id: `T${index}` }));
    expect(batchedCallbacks(request(JSON.stringify(items)), OWN)).toHaveLength(MAX_BATCHED);
    expect(batchedCallbacks(request('["T1", null, [1], {"transaction_id":"T2"}]'), OWN)!.map((one) => one.body.toString())).toEqual(['{"transaction_id":"T2"}']);
  });

  it.each([['{"transaction_id":"T1"}'], ['[]'], ['["T1"]'], ['transaction_id=T1'], ['']])('%j is no list of callbacks', (body) => {
    expect(batchedCallbacks(request(body), OWN)).toBeUndefined();
  });
});

describe('the hint of a list (what the throttle admits it by)', () => {
  const single = '{"transaction_id":"T1","merchant_reference":"ORDER-REF-1"}';
  it("a list of one is that callback's hint", () => {
    expect(dinteroWebhookHint(request(`[${single}]`, ''))).toEqual(dinteroWebhookHint(request(single, '')));
    expect(dinteroWebhookHint(request(`[${single}]`, ''))).toMatchObject({ providerOrderId: 'ORDER-REF-1' });
  });

  it('a list of several names no order: it shares the lease of hints naming none, so one anonymous request is not ten leased reads', () => {
    expect(dinteroWebhookHint(request(`[${single},{"transaction_id":"T2","merchant_reference":"ORDER-REF-2"}]`))).toEqual({});
  });
});
