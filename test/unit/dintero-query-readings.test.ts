import { describe, expect, it } from 'vitest';
import { otherQueryReadings } from '../../src/providers/dintero/query-readings.js';

const asObjects = (readings: URLSearchParams[]) => readings.map((reading) => Object.fromEntries(reading));

describe('Dintero callback query readings (round twenty-two)', () => {
  it('a `+` written unencoded: kept by the percent-decoding reading (the values as written are the same)', () => {
    expect(asObjects(otherQueryReadings('o=A1&transaction_id=T.ab+/=cd&session_id=S.x+/=y'))).toEqual([{ o: 'A1', transaction_id: 'T.ab+/=cd', session_id: 'S.x+/=y' }]);
  });

  it('`%2F%` written unencoded: only the values as written (a `%` that is no escape cannot be decoded)', () => {
    expect(asObjects(otherQueryReadings('transaction_id=T.a%2F%b'))).toEqual([{ transaction_id: 'T.a%2F%b' }]);
  });

  it('both readings where they differ from each other and from the standard one', () => {
    expect(asObjects(otherQueryReadings('transaction_id=T.a+%2Fb'))).toEqual([{ transaction_id: 'T.a+/b' }, { transaction_id: 'T.a+%2Fb' }]);
  });

  it('an encoded query with nothing ambiguous has no other reading; none without a query', () => {
    expect(otherQueryReadings('transaction_id=T.abc&session_id=S%C3%86')).toHaveLength(1); // the values as written differ: `%C3%86`
    expect(otherQueryReadings('transaction_id=T.abc&session_id=S.def')).toEqual([]);
    expect(otherQueryReadings(undefined)).toEqual([]);
    expect(otherQueryReadings('')).toEqual([]);
  });
});
