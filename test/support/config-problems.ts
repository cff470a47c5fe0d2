import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** What loadConfig says is wrong with `env` (a ConfigError's message), or 'no error'. */
export function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return 'no error';
}
