import { describe, expect, it } from 'vitest';
import { jsonWithoutConflictingMembers } from '../../src/providers/payway/json-members-twice.js';

describe("Payway's answers: a member written twice with different values is absent (round nineteen)", () => {
  it('drops a member named twice with different values, at any depth', () => {
    expect(jsonWithoutConflictingMembers('{"item":{"status":"pending","message":"m","status":"complete"}}')).toEqual({ item: { message: 'm' } });
    expect(jsonWithoutConflictingMembers('{"item":{"amount":{"currency":"SEK","value":14900},"amount":{"value":12900,"currency":"SEK"}}}')).toEqual({ item: {} });
    expect(jsonWithoutConflictingMembers('[{"a":1,"a":2,"b":[{"c":true,"c":false}]}]')).toEqual([{ b: [{}] }]);
  });

  it('keeps a member named twice with one value, and reads everything else as JSON.parse does', () => {
    const text = ' {"item": {"status": "complete", "order_id": "A\\"1", "status": "complete", "n": -1.5e3, "x": null, "e": {}, "l": []}} ';
    expect(jsonWithoutConflictingMembers(text)).toEqual({ item: { status: 'complete', order_id: 'A"1', n: -1500, x: null, e: {}, l: [] } });
    expect(jsonWithoutConflictingMembers('{"__proto__":{"a":1}}')).toEqual(JSON.parse('{"__proto__":{"a":1}}'));
    expect(jsonWithoutConflictingMembers('"text"')).toBe('text');
  });

  it('refuses what JSON.parse refuses', () => {
    expect(() => jsonWithoutConflictingMembers('{"a":')).toThrow(SyntaxError);
    expect(() => jsonWithoutConflictingMembers('')).toThrow(SyntaxError);
  });
});
