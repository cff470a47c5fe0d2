import { describe, expect, it } from 'vitest';
import { isVerificationRequired, rejectionDetails } from '../../src/providers/intergiro/mapping.js';
import { IntergiroError, liftNestedError } from '../../src/providers/intergiro/wire.js';

/** Round nine (test/providers/intergiro-independent-9.test.ts): "an Error will be returned together with the id of the order". */
describe('liftNestedError (the Error beside the order\'s id)', () => {
  const nested = { id: 'o1', error: { status: 400, type: 'malformed content', error: 'verification required', content: { property: 'card', details: { url: 'u' } } } };

  it('reads `{id, error: {...}}` as the flat Error, the order\'s id kept', () => {
    const parsed = IntergiroError.parse(liftNestedError(nested));
    expect(parsed).toMatchObject({ id: 'o1', status: 400, type: 'malformed content', error: 'verification required', content: { property: 'card', details: { url: 'u' } } });
    expect(isVerificationRequired(parsed)).toBe(true);
  });

  it('keeps the envelope\'s id over the Error\'s, and the Error\'s own id where the envelope has none', () => {
    expect(liftNestedError({ id: 'o1', error: { id: 'e9', error: 'card declined' } })).toMatchObject({ id: 'o1', error: 'card declined' });
    expect(liftNestedError({ id: null, error: { id: 'e9', error: 'card declined' } })).toMatchObject({ id: 'e9' });
    expect(liftNestedError({ error: { type: 'malformed content' } })).toEqual({ type: 'malformed content' });
  });

  it('leaves a flat Error, a body that is no object, and an `error` in words as they are', () => {
    const flat = { status: 400, type: 'malformed content', error: 'card declined', id: 'o1' };
    expect(liftNestedError(flat)).toBe(flat);
    expect(liftNestedError([nested])).toEqual([nested]);
    expect(liftNestedError('text')).toBe('text');
    expect(liftNestedError(undefined)).toBeUndefined();
    expect(rejectionDetails(IntergiroError.parse(liftNestedError({ id: 'o1', error: { type: 'malformed content', error: 'card declined' } })))).toMatchObject({
      providerCode: 'malformed content',
      message: expect.stringContaining('card declined'),
    });
  });
});
