import { describe, expect, it } from 'vitest';
import { changeErrorAt200 } from '../../src/providers/intergiro/change-error-at-200.js';

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
