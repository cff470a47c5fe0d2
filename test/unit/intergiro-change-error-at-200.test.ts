import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { OrderChangeRequest } from '../../src/domain/provider-port.js';
import { changeErrorAt200, UnknownChangeErrorAt200 } from '../../src/providers/intergiro/change-error-at-200.js';
import { refusalsShownAfterErrorAt200 } from '../../src/providers/intergiro/error-at-200-read-back.js';
import { makeOrder } from '../support/orders.js';

/** Round twenty-three: an Error answered 200 in place of the PATCH's echo, read by the status it gives itself. */
describe('Intergiro changeErrorAt200', () => {
  it('"come back later" took nothing', () => {
    for (const status of [408, 425, 429]) expect(changeErrorAt200({ status, type: 'too many requests' })).toBe('turned-away');
  });

  it('a 4xx is a refusal', () => {
    for (const status of [400, 404, 409, 422]) expect(changeErrorAt200({ status, type: 'malformed content', error: 'cannot charge order' })).toBe('refused');
  });

  it('a 5xx, or no numeric status, leaves the change unknown (it may have been made)', () => {
    expect(changeErrorAt200({ status: 500, type: 'unknown error' })).toBe('unknown');
    expect(changeErrorAt200({ status: 503, error: 'backend down' })).toBe('unknown');
    expect(changeErrorAt200({ type: 'too many requests', error: 'rate limit exceeded' })).toBe('unknown');
  });
});

/** Round twenty-four: such an Error's orders read back, only a refusal they show answered. */
describe('Intergiro refusalsShownAfterErrorAt200', () => {
  const error = new UnknownChangeErrorAt200({ type: 'malformed content', error: 'cannot charge order' });
  const request = (id: string, types: ('CAPTURE' | 'REFUND' | 'CANCEL')[]): OrderChangeRequest => ({
    order: makeOrder({ id, status: 'AUTHORIZED' }),
    changes: types.map((type) => ({ type })),
  });

  it('is still PROVIDER_UNAVAILABLE (its intent pending)', () => {
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('answers a refusal the read back shows; anything else, done included, stays unknown; several changes of one order are not read', async () => {
    const requests = [request('refused', ['CAPTURE']), request('done', ['REFUND']), request('several', ['REFUND', 'CAPTURE'])];
    const refusal = new GatewayError('PROVIDER_REJECTED', 'Intergiro refused the change: the order is cancelled');
    let asked: string[] = [];
    const answers = await refusalsShownAfterErrorAt200(requests, error, async (checked, results, leftOut) => {
      asked = checked.map(({ order }) => order.id);
      expect([...leftOut]).toEqual(checked.map((_, index) => index));
      expect(results.every((result) => result.ok)).toBe(true);
      return [
        { ok: false, error: refusal, observations: [], applied: [false] },
        { ok: true, observations: [] },
      ];
    });
    expect(asked).toEqual(['refused', 'done']);
    expect(answers[0]).toMatchObject({ ok: false, error: refusal, applied: [false] });
    expect(answers[1]).toMatchObject({ ok: false, error, applied: [false] });
    expect(answers[2]).toMatchObject({ ok: false, error, applied: [false, false] });
  });
});
