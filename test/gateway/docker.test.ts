import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGatewayProcess } from '../support/gateway-process.js';

/**
 * No Docker engine runs here, so `docker build` cannot: these checks keep the Dockerfile and
 * docker-compose.yml in step with the code they package (the start command, the ports, the
 * configuration variables). No YAML library is installed: the compose file is read by indentation.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

/** The lines of a top-level `services:` entry, or of a key below it, without comments. */
function block(text: string, path: string[]): string[] {
  let lines = text.split('\n').filter((line) => !/^\s*(#|$)/.test(line));
  let indent = -1;
  for (const key of path) {
    const start = lines.findIndex((line) => line.trim() === `${key}:` && line.search(/\S/) > indent);
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
    expect(scripts.build).toContain('--outfile=dist/main.mjs');
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

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('runs the gateway built from the Dockerfile beside Redis, waiting for Redis to be healthy', () => {
    expect(block(compose, ['services', 'gateway']).map((line) => line.trim())).toContain('build: .');
    expect(block(compose, ['services', 'redis']).join('\n')).toMatch(/image: redis:7/);
    expect(block(compose, ['services', 'gateway', 'depends_on', 'redis']).map((line) => line.trim())).toContain('condition: service_healthy');
  });

  it("gives the gateway an environment its configuration accepts: Redis by service name, sandboxes published", () => {
    const environment = Object.fromEntries(
      block(compose, ['services', 'gateway', 'environment']).map((line) => {
        const match = /^\s*([A-Z_]+): "([^"]*)"/.exec(line);
        if (!match) throw new Error(`unexpected environment line: ${line}`);
        return [match[1]!, match[2]!];
      }),
    );
    const config = loadConfig(environment);
    expect(config).toMatchObject({ port: 4000, sandbox: true, sandboxPort: 4001, redisUrl: 'redis://redis:6379' });
    const ports = block(compose, ['services', 'gateway', 'ports']).map((line) => line.trim());
    expect(ports).toEqual([`- "${config.port}:${config.port}"`, `- "${config.sandboxPort}-${config.sandboxPort! + 5}:${config.sandboxPort}-${config.sandboxPort! + 5}"`]);
  });
});

describe("the image's command: the bundle `npm run build` writes", () => {
  it('starts, is ready, and serves the demo page from the sources beside it (sandbox mode)', async () => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
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
});
