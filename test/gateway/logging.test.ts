import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { CREATE_ORDER } from '../support/documents.js';
import { AUTH_SECRET, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';

const CARD_TOKEN = 'tok_deny_4111-SECRET-CARD';

describe('what the gateway logs', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  const lines: string[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await env.startGateway({}, { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }) });
  });
  afterAll(() => env.close());

  it('holds no credential, card token, client token or stack trace, even when things fail', async () => {
    const token = await tokenFor('orders:create');
    const card = { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'CARD', cardToken: CARD_TOKEN } };
    await gql(gateway.url, CREATE_ORDER, { input: card }, token);
    env.intergiro.fault('http500');
    await gql(gateway.url, CREATE_ORDER, { input: card }, token);
    env.intergiro.fault('malformed');
    await gql(gateway.url, CREATE_ORDER, { input: card }, token);
    const forged = await env.intergiro.signOrder({ id: 'x' } as never, { key: 'wrong' });
    await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: forged });
    await gql(gateway.url, CREATE_ORDER, { input: card }, `${token}x`);

    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    for (const secret of [CARD_TOKEN, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, AUTH_SECRET, token, forged]) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
  });
});
