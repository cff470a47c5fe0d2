import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { loadSandboxesConfig } from '../../src/sandboxes/config.js';

describe('SANDBOX_SEED_MINIMAL (the sandboxes as a service)', () => {
  it('1 runs every sandbox seed-minimal; unset runs them full', () => {
    const tuning = loadSandboxesConfig({ SANDBOX_SEED_MINIMAL: '1' }).start.tuning!;
    for (const name of ['intergiro', 'pei', 'intershop', 'dintero', 'payway'] as const) expect(tuning[name]).toMatchObject({ seedMinimal: true });
    const full = loadSandboxesConfig({}).start.tuning!;
    for (const name of ['intergiro', 'pei', 'intershop', 'dintero', 'payway'] as const) expect(full[name]?.seedMinimal).toBeUndefined();
  });

  it('another value is a configuration error naming the variable', () => {
    expect(() => loadSandboxesConfig({ SANDBOX_SEED_MINIMAL: 'yes' })).toThrow(ConfigError);
    expect(() => loadSandboxesConfig({ SANDBOX_SEED_MINIMAL: 'yes' })).toThrow(/SANDBOX_SEED_MINIMAL/);
  });
});
