import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs in sandbox mode with nothing set: port 4000, in-process store, 2 s reconciliation', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, sandbox: true, reconcileIntervalMs: 2000 });
    expect(config.redisUrl).toBeUndefined();
  });

  it('switches to real providers when a provider URL is set, and then needs client auth', () => {
    expect(() => loadConfig({ INTERGIRO_URL: 'https://merchant.intergiro.com', INTERGIRO_API_KEY: 'k' })).toThrow(/AUTH_JWT_SECRET/);
    const config = loadConfig({ INTERGIRO_URL: 'https://merchant.intergiro.com/', INTERGIRO_API_KEY: 'k', AUTH_JWT_SECRET: 's', REDIS_URL: 'redis://cache:6379' });
    expect(config.sandbox).toBe(false);
    expect(config.intergiro).toEqual({ url: 'https://merchant.intergiro.com', apiKey: 'k' });
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('names the variable that is wrong', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(attempt({ PORT: 'eighty' })).toMatch(/PORT/);
    expect(attempt({ REDIS_URL: 'http://not-redis' })).toMatch(/REDIS_URL/);
    expect(attempt({ RECONCILE_INTERVAL_MS: '5' })).toMatch(/RECONCILE_INTERVAL_MS/);
    expect(attempt({ INTERGIRO_URL: 'https://x.example' })).toMatch(/INTERGIRO_API_KEY/);
  });
});
