import { describe, expect, it } from 'vitest';
import { problemStatus, refusalInStandardShape } from '../../src/providers/dintero/refusal-bodies.js';

describe('Dintero: refusals in a 2xx body in standard shapes (round twenty-three)', () => {
  it.each([
    [{ errors: [{ code: 'E400', message: 'capture refused' }] }, { code: 'E400', message: 'capture refused' }],
    [{ errors: ['capture refused'] }, { message: 'capture refused' }],
    [{ errors: [{ status: '422', title: 'Invalid', detail: 'amount too large' }], data: null }, { code: undefined, message: 'amount too large' }],
    [{ type: 'about:blank', title: 'Request refused', status: 400, detail: 'capture refused' }, { code: '400', message: 'capture refused' }],
    [{ title: 'Conflict', status: 409 }, { code: '409', message: 'Conflict' }],
  ])('%j is a refusal', (body, said) => {
    expect(refusalInStandardShape(body)).toEqual(said);
  });

  it.each([
    [{ errors: [] }],
    [{ errors: [{ message: 'partial' }], data: { id: 'T1', status: 'CAPTURED' } }],
    [{ errors: [{ message: 'warning' }], id: 'T1' }],
    [{ title: 'Server error', status: 500, detail: 'try later' }],
    [{ title: 'Too many requests', status: 429 }],
    [{ status: 400 }],
    [{ id: 'T1', status: 'CAPTURED', amount: 100 }],
    [{}],
  ])('%j says no refusal for sure', (body) => {
    expect(refusalInStandardShape(body)).toBeUndefined();
  });
});

describe('Dintero: the status of problem details in a 2xx body (round twenty-four)', () => {
  it.each([
    [{ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'try later' }, 503],
    [{ title: 'Too many requests', status: 429 }, 429],
    [{ type: 'https://example.com/problems/refused', status: 400 }, 400],
  ])('%j carries the status %s', (body, status) => {
    expect(problemStatus(body)).toBe(status);
  });

  it.each([[{ status: 503 }], [{ id: 'T1', status: 'CAPTURED' }], [{ title: 'Odd', status: 200 }], [{ title: 'Odd', status: '503' }], [{}]])('%j is no problem details', (body) => {
    expect(problemStatus(body)).toBeUndefined();
  });
});
