import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '../../src/log.js';
import { runWithRequestContext } from '../../src/observability/request-context.js';

function collect(level?: LogLevel) {
  const lines: string[] = [];
  const logger = createLogger({ ...(level ? { level } : {}), write: (line) => lines.push(line) });
  return { logger, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger (pino)', () => {
  it('writes one JSON object per line: ISO time, level by name, message, fields', () => {
    const { logger, lines, parsed } = collect();
    logger.log('warn', 'store slow', { orderId: 'ord_1', ms: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(parsed()[0]).toMatchObject({ level: 'warn', message: 'store slow', orderId: 'ord_1', ms: 12 });
    expect(parsed()[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes from its level up (default info)', () => {
    const info = collect();
    for (const level of ['debug', 'info', 'warn', 'error'] as const) info.logger.log(level, level);
    expect(info.parsed().map((line) => line.message)).toEqual(['info', 'warn', 'error']);
    const debug = collect('debug');
    debug.logger.log('debug', 'detail');
    expect(debug.lines).toHaveLength(1);
    const error = collect('error');
    error.logger.log('warn', 'hidden');
    expect(error.lines).toHaveLength(0);
  });

  it('redacts secret-named keys at any depth, and bearer tokens and JWTs inside strings', () => {
    const { logger, lines } = collect();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaG9wIn0.c2lnbmF0dXJlLXZhbHVl';
    logger.log('info', `answer quoted Bearer sk_live_abcdef and ${jwt}`, {
      headers: { Authorization: 'Bearer sk_live_abcdef', 'x-api-key': 'key-123456' },
      body: [{ cardToken: 'tok_visa_123456', nested: { client_secret: 'cs-123456', nationalId: '0102882849' } }],
      note: `token ${jwt}`,
    });
    const line = lines.join('\n');
    for (const secret of ['sk_live_abcdef', 'key-123456', 'tok_visa_123456', 'cs-123456', '0102882849', jwt]) expect(line).not.toContain(secret);
    expect(line).toContain('Bearer [redacted]');
    expect(line).toContain('[jwt]');
  });

  it('logs an error as its name and message only: no stack, no cause', () => {
    const { logger, lines, parsed } = collect();
    const error = new TypeError('provider said no to Bearer abcdefgh1234', { cause: new Error('client_secret=cs-1') });
    logger.log('error', 'failed', { error, err: error });
    expect(parsed()[0]).toMatchObject({ error: { name: 'TypeError', message: 'provider said no to Bearer [redacted]' } });
    expect(lines[0]).not.toMatch(/ at |stack|cs-1/);
  });

  it('binds the request id (and trace id) of the work in flight; an explicit field wins', () => {
    const { logger, parsed } = collect();
    logger.log('info', 'outside');
    runWithRequestContext({ requestId: 'req-0123456789' }, () => logger.log('info', 'inside'));
    runWithRequestContext({ requestId: 'req-0123456789' }, () => logger.log('info', 'named', { requestId: 'req-other-0001' }));
    const [outside, inside, named] = parsed();
    expect(outside).not.toHaveProperty('requestId');
    expect(inside).toMatchObject({ requestId: 'req-0123456789' });
    expect(inside).not.toHaveProperty('traceId');
    expect(named).toMatchObject({ requestId: 'req-other-0001' });
  });
});
