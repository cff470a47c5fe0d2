import { describe, expect, it } from 'vitest';
import { paywayErrorIn } from '../../src/providers/payway/error-in-ok.js';

/** Payway's error body under a 2xx (round twenty-three): which bodies are its refusal. */
describe('paywayErrorIn', () => {
  it.each([
    ['the bare body', '{"code":"invalid_parameter","field":"period_id","message":"m"}'],
    ['under item', '{"item":{"code":"invalid_parameter","field":"period_id","message":"m"}}'],
    ['under item beside a word of its own', '{"item":{"status":"error","code":"invalid_parameter","field":"period_id"}}'],
    ['under error beside success:false', '{"success":false,"error":{"code":"invalid_parameter","field":"period_id"}}'],
    ['listed', '{"errors":[{"code":"invalid_parameter","field":"period_id"}]}'],
  ])('%s is the refusal', (_how, text) => {
    expect(paywayErrorIn(text)).toMatchObject({ code: 'invalid_parameter', field: 'period_id' });
  });

  it('keeps a correlation id written as a long number as its digits', () => {
    expect(paywayErrorIn('{"code":"third_party_error","correlation_id":8835123456789012345}')).toMatchObject({ correlation_id: '8835123456789012345' });
  });

  it.each([
    ['no code', '{"success":false,"message":"Something went wrong"}'],
    ["an envelope's success code", '{"code":200,"message":"OK"}'],
    ['a code of 0 around an item of an unknown word', '{"code":0,"message":"success","item":{"status":"received"}}'],
    ['a word code beside an item of an unknown word without a code of its own', '{"error":{"code":"x"},"item":{"status":"received"}}'],
    ['HTML', '<html><body>The requested URL was rejected.</body></html>'],
    ['empty', ''],
  ])('%s is none', (_how, text) => {
    expect(paywayErrorIn(text)).toBeUndefined();
  });
});
