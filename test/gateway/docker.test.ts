import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadSandboxesConfig, SECRET_VARIABLES } from '../../src/sandboxes/config.js';
import { startGatewayProcess } from '../support/gateway-process.js';
import { freePortRun, startSandboxesProcess } from '../support/sandboxes-process.js';

/**
 * No Docker engine runs here, so `docker build` cannot: these checks keep the Dockerfile and
 * docker-compose.yml in step with the code they package (the start command, the ports, the
 * configuration variables). No YAML library is installed: the compose file is read by indentation.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

/** The lines of a top-level entry, or of a key below it, without comments. */
function block(text: string, path: string[]): string[] {
  let lines = text.split('\n').filter((line) => !/^\s*(#|$)/.test(line));
  let indent = -1;
  for (const key of path) {
    // `key:`, or `key: &anchor` (an extension field others merge with `<<: *anchor`).
    const start = lines.findIndex((line) => new RegExp(`^${key}:( &[\\w-]+)?$`).test(line.trim()) && line.search(/\S/) > indent);
    if (start < 0) return [];
    indent = lines[start]!.search(/\S/);
    const end = lines.findIndex((line, index) => index > start && line.search(/\S/) <= indent);
    lines = lines.slice(start + 1, end < 0 ? undefined : end);
  }
  return lines;
}

describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((line) => /^[A-Z]+ /.test(line));

  it("builds the bundle and runs what `npm run start:built` runs, as one process, as a non-root user", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(instructions).toContain('RUN npm run build');
    // Two entry points into dist/ as .mjs: dist/main.mjs (this CMD) and dist/sandboxes-main.mjs (compose's sandboxes).
    expect(scripts.build).toMatch(/^esbuild src\/main\.ts src\/sandboxes-main\.ts /);
    expect(scripts.build).toContain('--outdir=dist');
    expect(scripts.build).toContain('--out-extension:.js=.mjs');
    const cmd = instructions.filter((line) => line.startsWith('CMD '));
    expect(cmd).toHaveLength(1);
    expect((JSON.parse(cmd[0]!.slice(4)) as string[]).join(' ')).toBe(scripts['start:built']);
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    // The build runs in the production-only stage, so esbuild must be a production dependency.
    expect((JSON.parse(read('package.json')) as { dependencies: Record<string, string> }).dependencies).toHaveProperty('esbuild');
  });

  it('builds in stages from node:20-bookworm-slim with production dependencies only', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    expect(from.length).toBeGreaterThanOrEqual(2);
    for (const line of from) expect(line).toMatch(/^FROM node:20-bookworm-slim\b/);
    expect(instructions.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(existsSync(`${root}package-lock.json`)).toBe(true);
    expect(instructions.some((line) => line.startsWith('COPY') && / src \.\/src$/.test(line))).toBe(true);
  });

  it('checks readiness and exposes the gateway and sandbox ports', () => {
    const health = instructions.find((line) => line.startsWith('HEALTHCHECK '));
    expect(health).toContain('/health/ready');
    const exposed = instructions.find((line) => line.startsWith('EXPOSE '))!.split(/\s+/).slice(1);
    expect(exposed).toEqual(['4000', '4001', '4002', '4003', '4004', '4005', '4006']);
  });

  it('keeps local state out of the build context but not the sources', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    for (const entry of ['node_modules', '.git', '.env', 'test']) expect(ignored).toContain(entry);
    for (const needed of ['src', 'package.json', 'package-lock.json', 'tsconfig.json']) expect(ignored).not.toContain(needed);
  });
});

/**
 * What compose makes of `${NAME:-default}` and `${NAME:?message}` given the operator's `env`
 * (the shell or .env); a required one that is unset fails as `docker compose` would.
 */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind: string | undefined, text: string | undefined) => {
    if (env[name] !== undefined) return env[name];
    if (kind === '-') return text ?? '';
    throw new Error(kind === '?' ? `${name}: ${text}` : `${name} is unset`);
  });
}

/** A service's `environment:` as the container sees it: merged anchors first, then its own keys. */
function environmentOf(compose: string, service: string, operator: Record<string, string>): Record<string, string> {
  const pairs = (lines: string[]): [string, string][] =>
    lines.flatMap((line): [string, string][] => {
      const merge = /^\s*<<: \*([\w-]+)$/.exec(line);
      if (merge) {
        const anchor = compose.split('\n').find((candidate) => candidate.endsWith(`: &${merge[1]}`));
        if (!anchor) throw new Error(`no anchor ${merge[1]}`);
        return pairs(block(compose, [anchor.slice(0, anchor.indexOf(':'))]));
      }
      const match = /^\s*([A-Z_]+): "([^"]*)"$/.exec(line);
      if (!match) throw new Error(`unexpected environment line: ${line}`);
      return [[match[1]!, interpolate(match[2]!, operator)]];
    });
  return Object.fromEntries(pairs(block(compose, ['services', service, 'environment'])));
}

const trimmed = (lines: string[]): string[] => lines.map((line) => line.trim());

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');
  // What an operator puts in .env: only the one variable compose insists on.
  const operator = { AUTH_JWT_SECRET: 'operator-chosen-jwt-secret-0123456789' };
  const gatewayEnv = environmentOf(compose, 'gateway', operator);
  const sandboxesEnv = environmentOf(compose, 'sandboxes', operator);

  it('runs the gateway and the sandboxes from the Dockerfile beside Redis; the gateway waits for both', () => {
    for (const service of ['gateway', 'sandboxes']) {
      expect(trimmed(block(compose, ['services', service]))).toContain('build: .');
      expect(trimmed(block(compose, ['services', service]))).toContain('image: payments-gateway:local');
    }
    expect(block(compose, ['services', 'redis']).join('\n')).toMatch(/image: redis:7/);
    for (const dependency of ['redis', 'sandboxes']) {
      expect(trimmed(block(compose, ['services', 'gateway', 'depends_on', dependency]))).toContain('condition: service_healthy');
    }
    expect(block(compose, ['services', 'sandboxes', 'healthcheck']).join('\n')).toContain(`127.0.0.1:${sandboxesEnv.SANDBOX_PORT}/`);
  });

  it('will not start the gateway without AUTH_JWT_SECRET from the operator', () => {
    expect(() => environmentOf(compose, 'gateway', {})).toThrow(/AUTH_JWT_SECRET/);
  });

  it('runs the bundle of src/sandboxes-main.ts with an environment its configuration accepts, its six ports published', () => {
    const command = trimmed(block(compose, ['services', 'sandboxes'])).find((line) => line.startsWith('command: '));
    expect(JSON.parse(command!.slice('command: '.length))).toEqual(['node', '--enable-source-maps', 'dist/sandboxes-main.mjs']);
    const config = loadSandboxesConfig(sandboxesEnv);
    // Reachable from outside the container, pages advertised at the published ports, the gateway by service name.
    expect(config).toMatchObject({ bindHost: '0.0.0.0', publicHost: 'localhost', apiHost: 'sandboxes', gatewayUrl: `http://gateway:${gatewayEnv.PORT}` });
    expect(block(compose, ['services']).some((line) => line === `  ${config.apiHost}:`)).toBe(true);
    expect(trimmed(block(compose, ['services', 'sandboxes', 'ports']))).toEqual([`- "${config.firstPort}-${config.firstPort + 5}:${config.firstPort}-${config.firstPort + 5}"`]);
    // Every credential is given (none made up per start, which the gateway could not know).
    expect(config.givenSecrets).toEqual([...SECRET_VARIABLES]);
  });

  it('configures the gateway as for real providers: every one at the sandboxes service, with the same credentials', () => {
    expect(gatewayEnv).not.toHaveProperty('SANDBOX');
    expect(gatewayEnv).not.toHaveProperty('SANDBOX_PORT');
    const config = loadConfig(gatewayEnv);
    const sandboxes = loadSandboxesConfig(sandboxesEnv);
    expect(config).toMatchObject({ port: 4000, sandbox: false, redisUrl: 'redis://redis:6379', auth: { jwtSecret: operator.AUTH_JWT_SECRET } });
    // Providers call back at PUBLIC_URL; Payway at SANDBOX_GATEWAY_URL: both the gateway by service name.
    expect(config.publicUrl).toBe(sandboxes.gatewayUrl);
    const api = (offset: number, path = ''): string => `http://${sandboxes.apiHost}:${sandboxes.firstPort + offset}${path}`;
    expect(config.intergiro).toEqual({ url: api(0), apiKey: sandboxesEnv.INTERGIRO_API_KEY, callbackSecret: sandboxesEnv.INTERGIRO_CALLBACK_SECRET });
    expect(config.pei).toEqual({
      url: api(1),
      tokenUrl: api(1, '/core/connect/token'),
      // The one browser-facing provider URL: the gateway hands <it>/<orderId> to the buyer.
      checkoutUrl: `http://${sandboxes.publicHost}:${sandboxes.firstPort + 1}/checkout`,
      clientId: sandboxesEnv.PEI_CLIENT_ID,
      clientSecret: sandboxesEnv.PEI_CLIENT_SECRET,
      merchantId: sandboxesEnv.PEI_MERCHANT_ID,
    });
    expect(config.intershop).toEqual({ url: api(2, '/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-'), authToken: sandboxesEnv.INTERSHOP_AUTH_TOKEN });
    expect(config.dintero).toEqual({
      apiUrl: api(3),
      checkoutUrl: api(4),
      accountId: sandboxesEnv.DINTERO_ACCOUNT_ID,
      clientId: sandboxesEnv.DINTERO_CLIENT_ID,
      clientSecret: sandboxesEnv.DINTERO_CLIENT_SECRET,
      profileId: sandboxesEnv.DINTERO_PROFILE_ID,
    });
    expect(config.payway).toEqual({ url: api(5), token: sandboxesEnv.PAYWAY_TOKEN, webhookSecret: sandboxesEnv.PAYWAY_WEBHOOK_SECRET });
    expect(trimmed(block(compose, ['services', 'gateway', 'ports']))).toEqual([`- "${config.port}:${config.port}"`]);
  });

  it('takes every shared credential from the operator when set (one env file serves both services)', () => {
    const overrides = Object.fromEntries(SECRET_VARIABLES.map((name) => [name, `operator-${name.toLowerCase()}`]));
    const gateway = environmentOf(compose, 'gateway', { ...operator, ...overrides });
    const sandboxes = environmentOf(compose, 'sandboxes', { ...operator, ...overrides });
    for (const name of SECRET_VARIABLES) {
      expect(gateway[name]).toBe(overrides[name]);
      expect(sandboxes[name]).toBe(overrides[name]);
    }
  });
});

describe('the bundles `npm run build` writes: the image\'s command and the sandboxes service\'s', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }, 60_000);

  it('dist/main.mjs starts, is ready, and serves the demo page from the sources beside it (sandbox mode)', async () => {
    const gateway = await startGatewayProcess({ SANDBOX: '1' }, 'built');
    try {
      expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
      const app = await fetch(`${gateway.url}/demo/app.js`);
      expect(app.status).toBe(200);
      expect(await app.text()).toContain('orderStatusChanged');
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  it('dist/sandboxes-main.mjs starts the sandboxes, prints where they are, and exits 0 on SIGTERM', async () => {
    const first = await freePortRun(6);
    const sandboxes = await startSandboxesProcess({ SANDBOX_PORT: String(first), INTERGIRO_API_KEY: 'bundle-intergiro-api-key' }, 'built');
    try {
      expect(sandboxes.printed.INTERGIRO_URL).toBe(`http://localhost:${first}`);
      // The given key stays unprinted; a secret nobody gave is made up for this run and printed, or no gateway could know it.
      expect(sandboxes.printed).not.toHaveProperty('INTERGIRO_API_KEY');
      expect(sandboxes.printed.PAYWAY_WEBHOOK_SECRET).toMatch(/^[\w-]{16,}$/);
      const orders = await fetch(`http://127.0.0.1:${first}/v1/order`, { headers: { authorization: 'Bearer bundle-intergiro-api-key' } });
      expect(orders.status).toBe(200);
    } finally {
      expect(await sandboxes.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);
});
