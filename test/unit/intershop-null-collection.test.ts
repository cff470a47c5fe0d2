import { describe, expect, it } from 'vitest';
import { nullCollectionAsEmpty } from '../../src/providers/intershop/null-collection.js';

describe('nullCollectionAsEmpty (an ICM collection resource whose `data` is a Java null)', () => {
  it('reads a top-level `"data": null` as the empty list, keeping the rest', () => {
    expect(JSON.parse(nullCollectionAsEmpty('{"data":null,"info":{"total":0}}'))).toEqual({ data: [], info: { total: 0 } });
  });

  it('leaves an answer without `data`, a list, a nested null, or no JSON as it is', () => {
    for (const text of ['{"info":{}}', '{"data":[]}', '{"data":[{"id":"a","payments":null}]}', '[]', 'null', '<html>', '']) {
      expect(nullCollectionAsEmpty(text)).toBe(text);
    }
  });
});
