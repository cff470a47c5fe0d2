import { describe, expect, it } from 'vitest';
import { asksForCondition, CONDITIONAL_TRIES, entityTag } from '../../src/providers/intershop/conditional-write.js';

describe('a PATCH ICM takes only as a conditional request (round twenty-four)', () => {
  it('428 Precondition Required and 412 Precondition Failed ask for a current If-Match; nothing else does', () => {
    expect(asksForCondition(428)).toBe(true);
    expect(asksForCondition(412)).toBe(true);
    for (const status of [200, 202, 204, 400, 409, 422, 429, 500]) expect(asksForCondition(status)).toBe(false);
  });

  it('an ETag is sent back exactly as written, weak ones with their W/', () => {
    expect(entityTag('"v7"')).toBe('"v7"');
    expect(entityTag(' W/"v7" ')).toBe('W/"v7"');
    expect(entityTag('"33a64df551425fcc55e4d42a148795d9f25f89d4"')).toBe('"33a64df551425fcc55e4d42a148795d9f25f89d4"');
    expect(entityTag('""')).toBe('""');
  });

  it('a header that is no single entity tag names none (the refusal then stands)', () => {
    for (const header of ['', 'v7', '"v7', 'W/v7', '"v7", "v8"', '"v 7"', '*']) expect(entityTag(header)).toBeUndefined();
  });

  it('one PATCH is sent at most three times: unconditional, with the read tag, once more after a change between read and write', () => {
    expect(CONDITIONAL_TRIES).toBe(3);
  });
});
