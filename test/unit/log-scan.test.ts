import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isCardNumber, isKennitala, scanDirectory, scanLine } from '../../scripts/scan-test-logs.js';
import { secretsOfEnv } from '../support/test-logs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const clean = '{"level":"info","time":"2026-11-22T13:15:32.299Z","requestId":"484f696f-9b7d-48c9-8c87-180c8beeda2f","orderId":"ord_1795353012598","message":"webhook accepted","at":1795353012598,"auth":"Bearer [redacted]","token":"[redacted]","note":"[jwt] ******2849"}';

describe('the test-log scan', () => {
  const dirs: string[] = [];
  const plant = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'log-scan-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('passes what the logger writes: redactions, ids, epoch times, masked kennitalas', () => {
    expect(scanLine(clean, ['some-recorded-secret'])).toEqual([]);
  });

  it('does not take the digits at the end of a request id for a kennitala', () => {
    expect(isKennitala('3105814450')).toBe(true);
    expect(scanLine('{"requestId":"e2f440ba-efdd-4182-a0e2-6c3105814450","message":"provider call"}', [])).toEqual([]);
  });

  it('does not take ten digits inside a trace or span id for a kennitala, but still finds a card number of sixteen digits', () => {
    expect(scanLine('{"traceId":"241923e45965496667917e0cc1726950","message":"provider call"}', [])).toEqual([]);
    expect(scanLine('{"traceparent":"00-241923e45965496667917e0cc1726950-bfd4818375001394-01"}', [])).toEqual([]);
    expect(scanLine('{"traceId":"241923e45965496667917e0cc1726950","ssn":"0102882849"}', [])).toEqual(['national id']);
    expect(scanLine('{"id":"4111111111111111"}', [])).toEqual(['card number']);
  });

  it('finds each kind of leak', () => {
    expect(scanLine('{"x":"uses some-recorded-secret here"}', ['some-recorded-secret'])).toEqual(['secret from the test setup']);
    expect(scanLine('authorization: Bearer abcdef123456', [])).toEqual(['bearer token']);
    expect(scanLine('"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaG9wIn0.c2lnbmF0dXJl"', [])).toEqual(['JWT']);
    expect(scanLine('"card":"tok_3ds_9f8e7d6c5b4a39281706f5e4d3c2b1a0"', [])).toEqual(['card token']);
    expect(scanLine('"number":"4111111111111111"', [])).toEqual(['card number']);
    expect(scanLine('"number":"5454 5454 5454 5454"', [])).toEqual(['card number']);
    expect(scanLine('"ssn":"010288-2849"', [])).toEqual(['national id']);
    expect(scanLine('"ssn":"1203894569"', [])).toEqual(['national id']);
  });

  it("looks for a child process's credentials: secret-named variables and a URL's password, not addresses or user names", () => {
    const env = {
      REDIS_URL: 'redis://admin:url%40password@cache:6379',
      REDIS_USERNAME: 'gateway',
      REDIS_PASSWORD: 'data-node-password',
      REDIS_SENTINEL_PASSWORD: 'sentinel-password',
      PEI_TOKEN_URL: 'https://auth.pei.is/core/connect/token',
      PAYWAY_TOKEN: 'payway-identity-token',
    };
    expect(secretsOfEnv(env).sort()).toEqual(['data-node-password', 'payway-identity-token', 'sentinel-password', 'url@password']);
  });

  it('tells a card number and a kennitala from other digits', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false); // Luhn
    expect(isCardNumber('1795353012598')).toBe(false); // epoch ms: no card scheme starts with 1
    expect(isKennitala('1201743399')).toBe(true);
    expect(isKennitala('1201743389')).toBe(false); // check digit
    expect(isKennitala('1795353012')).toBe(false); // epoch seconds: no month 95
  });

  it('reports a planted secret by file, line and kind, and the command fails without printing it', () => {
    const secret = 'planted-secret-value-42';
    const dir = plant({
      '1.secrets': `${secret}\n`,
      '1.ndjson': `${clean}\n{"message":"oops ${secret}"}\n`,
      'child-2.log': 'Gateway listening\n{"card":"4000 0000 0000 0002"}\n',
    });
    const result = scanDirectory(dir);
    expect(result).toMatchObject({ files: 2, lines: 4 });
    expect(result.findings.map((finding) => `${finding.file.split('/').pop()}:${finding.line}: ${finding.kind}`)).toEqual([
      '1.ndjson:2: secret from the test setup',
      'child-2.log:2: card number',
    ]);

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scan-test-logs.ts', '--dir', dir], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1.ndjson:2: secret from the test setup');
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    expect(`${run.stdout}${run.stderr}`).not.toContain('4000 0000 0000 0002');
  });

  it('passes clean logs, and fails when there are none to read', () => {
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scan-test-logs.ts', '--dir', plant({ '1.ndjson': `${clean}\n` })], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const empty = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/scan-test-logs.ts', '--dir', plant({})], { cwd: root, encoding: 'utf8' });
    expect(empty.status).toBe(1);
  });
});
