import { describe, expect, it } from 'vitest';
import { idInLocation, withLocatedId } from '../../src/providers/dintero/created-location.js';

describe('Dintero ids named by a Location (round eighteen)', () => {
  it('reads the id after the collection the create was made in, relative or absolute, decoded', () => {
    expect(idInLocation('/v1/accounts/T1/shopping/draft_orders/abc-1', 'draft_orders')).toBe('abc-1');
    expect(idInLocation('https://checkout.dintero.com/v1/sessions/T1.a%2Fb/', 'sessions')).toBe('T1.a/b');
    expect(idInLocation('/v1/sessions/1234567890123456789', 'sessions')).toBe('1234567890123456789');
  });

  it('reads no id from any other Location', () => {
    expect(idInLocation('/v1/sessions/abc', 'draft_orders')).toBeUndefined();
    expect(idInLocation('/v1/sessions', 'sessions')).toBeUndefined();
    expect(idInLocation('/v1/sessions/abc/items', 'sessions')).toBeUndefined();
    expect(idInLocation('', 'sessions')).toBeUndefined();
    expect(idInLocation(undefined, 'sessions')).toBeUndefined();
    expect(idInLocation('/v1/sessions/%E0%A4%A', 'sessions')).toBeUndefined();
  });

  it('adds the id only where the body names none of its own', () => {
    expect(JSON.parse(withLocatedId('', '/v1/accounts/T1/shopping/draft_orders/d1', 'draft_orders', ['id']))).toEqual({ id: 'd1' });
    expect(JSON.parse(withLocatedId('{"url":"https://x/pay/s1"}', '/v1/sessions/s1', 'sessions', ['id', 'session_id']))).toEqual({ url: 'https://x/pay/s1', id: 's1' });
    expect(withLocatedId('{"id":"d0"}', '/v1/accounts/T1/shopping/draft_orders/d1', 'draft_orders', ['id'])).toBe('{"id":"d0"}');
    expect(withLocatedId('{"session_id":"s0"}', '/v1/sessions/s1', 'sessions', ['id', 'session_id'])).toBe('{"session_id":"s0"}');
    expect(withLocatedId('', undefined, 'sessions', ['id'])).toBe('');
    expect(withLocatedId('not json', '/v1/sessions/s1', 'sessions', ['id'])).toBe('not json');
  });
});
