import { describe, expect, it } from 'vitest';
import { paywayTurnedAway } from '../../src/providers/payway/come-back-later.js';
import { PaywayError } from '../../src/providers/payway/wire.js';

/** Round eighteen: which of Payway's own error answers turn a request away for now (nothing placed). */
describe('paywayTurnedAway', () => {
  const read = (body: unknown) => PaywayError.parse(body);

  it("a 503 with Payway's error body and no sign of Adyen turns the request away", () => {
    expect(paywayTurnedAway(503, read({ code: 'service_unavailable', field: null, message: 'maintenance' }))).toBe(true);
  });

  it('a 503 carrying a correlation id, Adyen\'s pspReference or Adyen\'s result reached Adyen: not turned away', () => {
    expect(paywayTurnedAway(503, read({ code: 'third_party_error', correlation_id: 'c-1' }))).toBe(false);
    expect(paywayTurnedAway(503, read({ code: 'third_party_error', additional_data: { pspReference: '8815' } }))).toBe(false);
    expect(paywayTurnedAway(503, read({ code: 'service_unavailable', additional_data: { resultCode: 'Authorised' } }))).toBe(false);
  });

  it('any other status is read as before (a 500 of Payway\'s own stays its refusal)', () => {
    expect(paywayTurnedAway(500, read({ code: 'internal_error' }))).toBe(false);
    expect(paywayTurnedAway(400, read({ code: 'invalid', field: 'period_id' }))).toBe(false);
  });
});
