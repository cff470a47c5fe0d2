import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config-problems.js';
import { runGatewayProcess, startGatewayProcess } from '../support/gateway-process.js';

describe('configuration errors at start', () => {
  it('lists every wrong variable at once, each by name, none by value', () => {
    const secret = 'jwks-with-a-secret-0123456789';
    const message = configProblems({
      PORT: 'eighty',
      REDIS_URL: 'http://cache:6379',
      LOG_LEVEL: 'chatty',
      AUTH_JWKS_URL: `not a url ${secret}`,
      PAYWAY_URL: 'https://backend.example',
      DINTERO_API_URL: 'https://api.dintero.example',
    });
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'AUTH_JWKS_URL', 'PAYWAY_TOKEN, PAYWAY_WEBHOOK_SECRET are required with PAYWAY_URL']) {
      expect(message).toContain(name);
    }
    expect(message).toMatch(/DINTERO_CHECKOUT_URL.*required with DINTERO_API_URL/);
    for (const value of ['eighty', 'cache:6379', 'chatty', secret]) expect(message).not.toContain(value);
  });

  it('reads the observability variables: LOG_LEVEL, METRICS_TOKEN and the OTLP endpoints', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info' });
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ LOG_LEVEL: 'debug', METRICS_TOKEN: 'scrape' })).toMatchObject({ logLevel: 'debug', metricsToken: 'scrape' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'payments-graphql-gateway',
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/traces', OTEL_SERVICE_NAME: 'gw' }).tracing,
    ).toEqual({ tracesUrl: 'http://other:4318/traces', serviceName: 'gw' });
  });

  it('stops the process with a non-zero exit, naming each variable on stderr and echoing no value', async () => {
    const secretToken = 'payway-identity-token-that-must-not-show';
    const { code, stdout, stderr } = await runGatewayProcess({
      PORT: '99999',
      REDIS_URL: 'not-a-url',
      PAYWAY_URL: 'https://backend.example',
      PAYWAY_TOKEN: secretToken,
      AUTH_JWT_SECRET: 'auth-secret-that-must-not-show',
    });
    expect(code).toBe(78);
    expect(stderr).toMatch(/^ {2}PORT: /m);
    expect(stderr).toMatch(/^ {2}REDIS_URL: /m);
    expect(stderr).toContain('PAYWAY_WEBHOOK_SECRET is required with PAYWAY_URL');
    for (const value of ['99999', 'not-a-url', secretToken, 'auth-secret-that-must-not-show']) expect(`${stdout}${stderr}`).not.toContain(value);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    expect(stdout).not.toMatch(/listening/i);
  });

  it('starts with an AUTH_JWT_SECRET under 32 characters, warning that it can be guessed, without echoing it', async () => {
    const short = 'short-operator-secret';
    const child = await startGatewayProcess({ SANDBOX: '1', AUTH_JWT_SECRET: short });
    try {
      expect(child.output()).toMatch(/AUTH_JWT_SECRET is shorter than 32 characters/);
      expect(child.output()).not.toContain(short);
      // With the operator's secret there is no demo page (its tokens could be real elsewhere), and none is announced.
      expect((await fetch(`${child.url}/demo`)).status).toBe(404);
      expect(child.output()).not.toMatch(/Demo checkout/);
    } finally {
      await child.stop();
    }
  });
});
