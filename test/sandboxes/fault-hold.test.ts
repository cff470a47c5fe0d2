/**
 * The sandboxes' `hold` fault (kit/faults.ts), over real HTTP: the request takes effect at once,
 * its answer waits until the test (or `POST /sandbox/faults/release`) releases it, exactly as
 * the handler wrote it; a caller gone meanwhile is simply not answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes/index.js';
import { eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET } from '../support/gateway.js';
import { intergiroOrderCount } from '../support/intergiro.js';

describe('the hold fault', () => {
  let running: RunningSandboxes;
  beforeAll(async () => {
    running = await startSandboxes({ secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET } });
  });
  afterAll(() => running?.close());

  const create = (signal?: AbortSignal): Promise<Response> =>
    fetch(`${running.sandboxes.intergiro.url}/v1/order`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ number: 'held-1', items: 12, currency: 'EUR', payment: { type: 'defer', method: 'link' } }),
      ...(signal ? { signal } : {}),
    });

  it('applies the request, holds its answer until released, then sends it as written', async () => {
    const intergiro = running.sandboxes.intergiro;
    const before = await intergiroOrderCount(intergiro);
    // Armed over HTTP, as a staging run would.
    const armed = await fetch(`${intergiro.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'hold', only: '^POST /v1/order$' }),
    });
    expect(armed.status).toBe(201);

    let answered = false;
    const answer = create().then((response) => {
      answered = true;
      return response;
    });
    await eventually(async () => intergiro.faults.held() === 1);
    // It took effect; nobody has been told.
    expect(await intergiroOrderCount(intergiro)).toBe(before + 1);
    expect(((await (await fetch(`${intergiro.url}/sandbox/faults`)).json()) as { held: number }).held).toBe(1);
    expect(answered).toBe(false);

    const released = await fetch(`${intergiro.url}/sandbox/faults/release`, { method: 'POST' });
    expect(await released.json()).toEqual({ released: 1 });
    const response = await answer;
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ number: 'held-1', status: 'deferred' });
    expect(intergiro.faults.held()).toBe(0);
  });

  it('a held answer whose caller has gone is released to nobody', async () => {
    const intergiro = running.sandboxes.intergiro;
    intergiro.faults.inject({ kind: 'hold', only: /^POST \/v1\/order$/ });
    const controller = new AbortController();
    const answer = create(controller.signal).catch((error: unknown) => error);
    await eventually(async () => intergiro.faults.held() === 1);
    controller.abort();
    expect(await answer).toBeInstanceOf(Error);
    expect(intergiro.faults.release()).toBe(1);
    // The sandbox still answers the next request normally.
    expect((await create()).status).toBe(201);
  });
});
